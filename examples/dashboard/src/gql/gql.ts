/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Viewer {\n    viewer {\n      user\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  subscription ClusterOutcomeUpdates {\n    clusterOutcomeChanged {\n      status\n      outcome {\n        clusterName\n        staleSince\n      }\n    }\n  }\n": typeof types.ClusterOutcomeUpdatesDocument,
    "\n  query FleetClusters {\n    clusters {\n      totalCount\n      nodes {\n        id\n        name\n        health {\n          status\n          kubernetesVersion\n          lastError\n        }\n        freshness {\n          synced\n          staleSince\n        }\n        workloads(first: 1) {\n          totalCount\n        }\n      }\n    }\n  }\n": typeof types.FleetClustersDocument,
    "\n  fragment EventFields on Event {\n    id\n    clusterName\n    namespaceName\n    type\n    reason\n    message\n    count\n    lastTimestamp\n    involvedObject {\n      kind\n      name\n    }\n  }\n": typeof types.EventFieldsFragmentDoc,
    "\n  query RecentEvents {\n    events(first: 10) {\n      nodes {\n        ...EventFields\n      }\n    }\n  }\n": typeof types.RecentEventsDocument,
    "\n  subscription EventUpdates {\n    eventChanges {\n      type\n      object {\n        ...EventFields\n      }\n    }\n  }\n": typeof types.EventUpdatesDocument,
    "\n  query WorkloadPods($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Workload {\n        pods(first: 20) {\n          nodes {\n            id\n            clusterName\n            namespaceName\n            name\n            phase\n          }\n        }\n      }\n    }\n  }\n": typeof types.WorkloadPodsDocument,
    "\n  subscription PodLogLines($cluster: String!, $namespace: String!, $pod: String!) {\n    podLogs(cluster: $cluster, namespace: $namespace, pod: $pod, tailLines: 50, timestamps: true) {\n      line\n      timestamp\n      container\n    }\n  }\n": typeof types.PodLogLinesDocument,
    "\n  query FleetWorkloads($filter: WorkloadFilter, $first: Int!, $after: String) {\n    workloads(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      outcomes {\n        clusterName\n        synced\n        staleSince\n        error {\n          code\n          message\n          retryable\n        }\n      }\n      nodes {\n        id\n        clusterName\n        namespaceName\n        name\n        kind\n        status\n        ready\n        replicas {\n          desired\n          ready\n          available\n        }\n        usage {\n          cpuUsage\n          memoryWorkingSet\n        }\n      }\n    }\n  }\n": typeof types.FleetWorkloadsDocument,
    "\n  subscription WorkloadUpdates($filter: WorkloadFilter) {\n    workloadChanges(filter: $filter) {\n      type\n      cluster\n      object {\n        id\n        status\n        ready\n        replicas {\n          desired\n          ready\n          available\n        }\n      }\n    }\n  }\n": typeof types.WorkloadUpdatesDocument,
};
const documents: Documents = {
    "\n  query Viewer {\n    viewer {\n      user\n    }\n  }\n": types.ViewerDocument,
    "\n  subscription ClusterOutcomeUpdates {\n    clusterOutcomeChanged {\n      status\n      outcome {\n        clusterName\n        staleSince\n      }\n    }\n  }\n": types.ClusterOutcomeUpdatesDocument,
    "\n  query FleetClusters {\n    clusters {\n      totalCount\n      nodes {\n        id\n        name\n        health {\n          status\n          kubernetesVersion\n          lastError\n        }\n        freshness {\n          synced\n          staleSince\n        }\n        workloads(first: 1) {\n          totalCount\n        }\n      }\n    }\n  }\n": types.FleetClustersDocument,
    "\n  fragment EventFields on Event {\n    id\n    clusterName\n    namespaceName\n    type\n    reason\n    message\n    count\n    lastTimestamp\n    involvedObject {\n      kind\n      name\n    }\n  }\n": types.EventFieldsFragmentDoc,
    "\n  query RecentEvents {\n    events(first: 10) {\n      nodes {\n        ...EventFields\n      }\n    }\n  }\n": types.RecentEventsDocument,
    "\n  subscription EventUpdates {\n    eventChanges {\n      type\n      object {\n        ...EventFields\n      }\n    }\n  }\n": types.EventUpdatesDocument,
    "\n  query WorkloadPods($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Workload {\n        pods(first: 20) {\n          nodes {\n            id\n            clusterName\n            namespaceName\n            name\n            phase\n          }\n        }\n      }\n    }\n  }\n": types.WorkloadPodsDocument,
    "\n  subscription PodLogLines($cluster: String!, $namespace: String!, $pod: String!) {\n    podLogs(cluster: $cluster, namespace: $namespace, pod: $pod, tailLines: 50, timestamps: true) {\n      line\n      timestamp\n      container\n    }\n  }\n": types.PodLogLinesDocument,
    "\n  query FleetWorkloads($filter: WorkloadFilter, $first: Int!, $after: String) {\n    workloads(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      outcomes {\n        clusterName\n        synced\n        staleSince\n        error {\n          code\n          message\n          retryable\n        }\n      }\n      nodes {\n        id\n        clusterName\n        namespaceName\n        name\n        kind\n        status\n        ready\n        replicas {\n          desired\n          ready\n          available\n        }\n        usage {\n          cpuUsage\n          memoryWorkingSet\n        }\n      }\n    }\n  }\n": types.FleetWorkloadsDocument,
    "\n  subscription WorkloadUpdates($filter: WorkloadFilter) {\n    workloadChanges(filter: $filter) {\n      type\n      cluster\n      object {\n        id\n        status\n        ready\n        replicas {\n          desired\n          ready\n          available\n        }\n      }\n    }\n  }\n": types.WorkloadUpdatesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      user\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      user\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ClusterOutcomeUpdates {\n    clusterOutcomeChanged {\n      status\n      outcome {\n        clusterName\n        staleSince\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ClusterOutcomeUpdates {\n    clusterOutcomeChanged {\n      status\n      outcome {\n        clusterName\n        staleSince\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FleetClusters {\n    clusters {\n      totalCount\n      nodes {\n        id\n        name\n        health {\n          status\n          kubernetesVersion\n          lastError\n        }\n        freshness {\n          synced\n          staleSince\n        }\n        workloads(first: 1) {\n          totalCount\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FleetClusters {\n    clusters {\n      totalCount\n      nodes {\n        id\n        name\n        health {\n          status\n          kubernetesVersion\n          lastError\n        }\n        freshness {\n          synced\n          staleSince\n        }\n        workloads(first: 1) {\n          totalCount\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EventFields on Event {\n    id\n    clusterName\n    namespaceName\n    type\n    reason\n    message\n    count\n    lastTimestamp\n    involvedObject {\n      kind\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment EventFields on Event {\n    id\n    clusterName\n    namespaceName\n    type\n    reason\n    message\n    count\n    lastTimestamp\n    involvedObject {\n      kind\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentEvents {\n    events(first: 10) {\n      nodes {\n        ...EventFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentEvents {\n    events(first: 10) {\n      nodes {\n        ...EventFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EventUpdates {\n    eventChanges {\n      type\n      object {\n        ...EventFields\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription EventUpdates {\n    eventChanges {\n      type\n      object {\n        ...EventFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkloadPods($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Workload {\n        pods(first: 20) {\n          nodes {\n            id\n            clusterName\n            namespaceName\n            name\n            phase\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkloadPods($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Workload {\n        pods(first: 20) {\n          nodes {\n            id\n            clusterName\n            namespaceName\n            name\n            phase\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PodLogLines($cluster: String!, $namespace: String!, $pod: String!) {\n    podLogs(cluster: $cluster, namespace: $namespace, pod: $pod, tailLines: 50, timestamps: true) {\n      line\n      timestamp\n      container\n    }\n  }\n"): (typeof documents)["\n  subscription PodLogLines($cluster: String!, $namespace: String!, $pod: String!) {\n    podLogs(cluster: $cluster, namespace: $namespace, pod: $pod, tailLines: 50, timestamps: true) {\n      line\n      timestamp\n      container\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FleetWorkloads($filter: WorkloadFilter, $first: Int!, $after: String) {\n    workloads(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      outcomes {\n        clusterName\n        synced\n        staleSince\n        error {\n          code\n          message\n          retryable\n        }\n      }\n      nodes {\n        id\n        clusterName\n        namespaceName\n        name\n        kind\n        status\n        ready\n        replicas {\n          desired\n          ready\n          available\n        }\n        usage {\n          cpuUsage\n          memoryWorkingSet\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FleetWorkloads($filter: WorkloadFilter, $first: Int!, $after: String) {\n    workloads(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      outcomes {\n        clusterName\n        synced\n        staleSince\n        error {\n          code\n          message\n          retryable\n        }\n      }\n      nodes {\n        id\n        clusterName\n        namespaceName\n        name\n        kind\n        status\n        ready\n        replicas {\n          desired\n          ready\n          available\n        }\n        usage {\n          cpuUsage\n          memoryWorkingSet\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WorkloadUpdates($filter: WorkloadFilter) {\n    workloadChanges(filter: $filter) {\n      type\n      cluster\n      object {\n        id\n        status\n        ready\n        replicas {\n          desired\n          ready\n          available\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription WorkloadUpdates($filter: WorkloadFilter) {\n    workloadChanges(filter: $filter) {\n      type\n      cluster\n      object {\n        id\n        status\n        ready\n        replicas {\n          desired\n          ready\n          available\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;