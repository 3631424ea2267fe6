/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What an event of an object subscription says. */
export type ChangeType =
  /** The object appeared, or entered the subscription's filter or your access. */
  | 'ADDED'
  /** The object was deleted, or left the filter or your access; `object` is null. */
  | 'DELETED'
  /** The history no longer reaches back to your cursor: list again (the list's `watchCursor`) and subscribe `after:` it. Live changes follow from now. */
  | 'RESET'
  /** You have every change up to here: after the initial objects (`sendInitial`), and after a stretch of coalesced events when you fell behind. */
  | 'SYNCED'
  /** The object changed and still matches. */
  | 'UPDATED';

/** Why a cluster's part of an answer is missing, incomplete or old. */
export type ClusterErrorCode =
  /** The cluster refused the gateway's request. */
  | 'CLUSTER_FORBIDDEN'
  /** The cluster did not answer within its deadline. */
  | 'CLUSTER_TIMEOUT'
  /** The cluster is down, not synced yet, or disconnected. */
  | 'CLUSTER_UNAVAILABLE'
  /** The cluster's log store refused the search. */
  | 'LOG_STORE_BAD_QUERY'
  /** The cluster's log store did not answer within its deadline. */
  | 'LOG_STORE_TIMEOUT'
  /** The cluster's log store is down or refused the gateway. */
  | 'LOG_STORE_UNAVAILABLE'
  /** The cluster's Prometheus refused the query. */
  | 'PROMETHEUS_BAD_QUERY'
  /** The cluster's Prometheus did not answer within its deadline. */
  | 'PROMETHEUS_TIMEOUT'
  /** The cluster's Prometheus is down or refused the gateway. */
  | 'PROMETHEUS_UNAVAILABLE';

/** The verdict of a cluster's last health probe. */
export type ClusterStatus =
  /** The API server answers, slowly or reporting a problem. */
  | 'DEGRADED'
  /** The API server answers and reports itself ready. */
  | 'READY'
  /** No health probe has finished yet. */
  | 'UNKNOWN'
  /** The API server does not answer; its objects are served from the cache. */
  | 'UNREACHABLE';

/** How serious an event is. */
export type EventType =
  /** Information. */
  | 'NORMAL'
  /** A value this version of the API does not know (a newer Kubernetes may send one). */
  | 'UNKNOWN'
  /** Something may need attention. */
  | 'WARNING';

/** A pod's status.phase. */
export type PodPhase =
  /** Every container terminated, at least one in failure. */
  | 'FAILED'
  /** Accepted, but not every container runs yet (scheduling, pulling images). */
  | 'PENDING'
  /** Bound to a node, with at least one container running. */
  | 'RUNNING'
  /** Every container terminated successfully and will not restart. */
  | 'SUCCEEDED'
  /** The pod's state could not be obtained, or is a value unknown to this API. */
  | 'UNKNOWN';

/** Which workloads to list. */
export type WorkloadFilter = {
  /** A label selector over the clusters' labels, e.g. "region=eu,environment!=dev". */
  clusterSelector?: string | null | undefined;
  /** Cluster names; a name unknown or outside your scope matches nothing (with a warning). */
  clusters?: Array<string> | null | undefined;
  /** Default: every workload kind. */
  kinds?: Array<WorkloadKind> | null | undefined;
  /** A Kubernetes label selector over the objects' labels, e.g. "app=web,tier in (front,api)". */
  labelSelector?: string | null | undefined;
  /** A case-insensitive substring of the name. */
  nameContains?: string | null | undefined;
  /** Namespace names; unknown names match nothing. */
  namespaces?: Array<string> | null | undefined;
  /** true: every desired replica is ready; false: not. */
  ready?: boolean | null | undefined;
  /** Only workloads in one of these states. */
  statuses?: Array<WorkloadStatus> | null | undefined;
  /** Only objects in namespaces of these workspaces (cluster-scoped kinds: in clusters where they have namespaces). */
  workspaces?: Array<string> | null | undefined;
};

/** The Kubernetes kinds that are workloads. */
export type WorkloadKind =
  /** batch/v1 CronJob. */
  | 'CRON_JOB'
  /** apps/v1 DaemonSet. */
  | 'DAEMON_SET'
  /** apps/v1 Deployment. */
  | 'DEPLOYMENT'
  /** batch/v1 Job. */
  | 'JOB'
  /** apps/v1 StatefulSet. */
  | 'STATEFUL_SET';

/** One word for a workload's state, as a console shows it. */
export type WorkloadStatus =
  /** A Job that finished successfully. */
  | 'COMPLETE'
  /** Its rollout exceeded its progress deadline, or (a Job) it failed. */
  | 'FAILED'
  /** Every desired replica is updated and ready (a CronJob: scheduling). */
  | 'RUNNING'
  /** Scaled to zero replicas. */
  | 'STOPPED'
  /** A paused Deployment, or a suspended Job or CronJob. */
  | 'SUSPENDED'
  /** A value this version of the API does not know (a newer Kubernetes may send one). */
  | 'UNKNOWN'
  /** Rolling out, scaling, or waiting for replicas to become ready. */
  | 'UPDATING';

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { __typename: 'Query', viewer: { __typename: 'Viewer', user: string } };

export type ClusterOutcomeUpdatesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ClusterOutcomeUpdatesSubscription = { clusterOutcomeChanged: { __typename: 'ClusterOutcomeChange', status: ClusterStatus, outcome: { __typename: 'ClusterOutcome', clusterName: string, staleSince: string | null } } };

export type FleetClustersQueryVariables = Exact<{ [key: string]: never; }>;


export type FleetClustersQuery = { __typename: 'Query', clusters: { __typename: 'ClusterConnection', totalCount: number | null, nodes: Array<{ __typename: 'Cluster', id: string, name: string, health: { __typename: 'ClusterHealth', status: ClusterStatus, kubernetesVersion: string | null, lastError: string | null }, freshness: { __typename: 'ClusterFreshness', synced: boolean, staleSince: string | null }, workloads: { __typename: 'WorkloadConnection', totalCount: number | null } }> } };

export type EventFieldsFragment = { __typename: 'Event', id: string, clusterName: string, namespaceName: string, type: EventType, reason: string, message: string, count: number, lastTimestamp: string | null, involvedObject: { __typename: 'InvolvedObject', kind: string, name: string } };

export type RecentEventsQueryVariables = Exact<{ [key: string]: never; }>;


export type RecentEventsQuery = { __typename: 'Query', events: { __typename: 'EventConnection', nodes: Array<{ __typename: 'Event', id: string, clusterName: string, namespaceName: string, type: EventType, reason: string, message: string, count: number, lastTimestamp: string | null, involvedObject: { __typename: 'InvolvedObject', kind: string, name: string } }> } };

export type EventUpdatesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type EventUpdatesSubscription = { eventChanges: { __typename: 'EventChange', type: ChangeType, object: { __typename: 'Event', id: string, clusterName: string, namespaceName: string, type: EventType, reason: string, message: string, count: number, lastTimestamp: string | null, involvedObject: { __typename: 'InvolvedObject', kind: string, name: string } } | null } };

export type WorkloadPodsQueryVariables = Exact<{
  id: string | number;
}>;


export type WorkloadPodsQuery = { __typename: 'Query', node:
    | { __typename: 'Cluster', id: string }
    | { __typename: 'ClusterNode', id: string }
    | { __typename: 'ConfigMap', id: string }
    | { __typename: 'CronJob', id: string, pods: { __typename: 'PodConnection', nodes: Array<{ __typename: 'Pod', id: string, clusterName: string, namespaceName: string, name: string, phase: PodPhase }> } }
    | { __typename: 'DaemonSet', id: string, pods: { __typename: 'PodConnection', nodes: Array<{ __typename: 'Pod', id: string, clusterName: string, namespaceName: string, name: string, phase: PodPhase }> } }
    | { __typename: 'Deployment', id: string, pods: { __typename: 'PodConnection', nodes: Array<{ __typename: 'Pod', id: string, clusterName: string, namespaceName: string, name: string, phase: PodPhase }> } }
    | { __typename: 'Event', id: string }
    | { __typename: 'HorizontalPodAutoscaler', id: string }
    | { __typename: 'Ingress', id: string }
    | { __typename: 'Job', id: string, pods: { __typename: 'PodConnection', nodes: Array<{ __typename: 'Pod', id: string, clusterName: string, namespaceName: string, name: string, phase: PodPhase }> } }
    | { __typename: 'LimitRange', id: string }
    | { __typename: 'Namespace', id: string }
    | { __typename: 'PersistentVolume', id: string }
    | { __typename: 'PersistentVolumeClaim', id: string }
    | { __typename: 'Pod', id: string }
    | { __typename: 'ReplicaSet', id: string }
    | { __typename: 'ResourceQuota', id: string }
    | { __typename: 'Secret', id: string }
    | { __typename: 'Service', id: string }
    | { __typename: 'ServiceAccount', id: string }
    | { __typename: 'StatefulSet', id: string, pods: { __typename: 'PodConnection', nodes: Array<{ __typename: 'Pod', id: string, clusterName: string, namespaceName: string, name: string, phase: PodPhase }> } }
    | { __typename: 'StorageClass', id: string }
    | { __typename: 'Workspace', id: string }
   | null };

export type PodLogLinesSubscriptionVariables = Exact<{
  cluster: string;
  namespace: string;
  pod: string;
}>;


export type PodLogLinesSubscription = { podLogs: { __typename: 'PodLogLine', line: string, timestamp: string | null, container: string } };

export type FleetWorkloadsQueryVariables = Exact<{
  filter?: WorkloadFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type FleetWorkloadsQuery = { __typename: 'Query', workloads: { __typename: 'WorkloadConnection', totalCount: number | null, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, outcomes: Array<{ __typename: 'ClusterOutcome', clusterName: string, synced: boolean, staleSince: string | null, error: { __typename: 'OutcomeError', code: ClusterErrorCode, message: string, retryable: boolean } | null }>, nodes: Array<
      | { __typename: 'CronJob', id: string, clusterName: string, namespaceName: string, name: string, kind: WorkloadKind, status: WorkloadStatus, ready: boolean, replicas: { __typename: 'WorkloadReplicas', desired: number, ready: number, available: number } | null, usage: { __typename: 'WorkloadUsage', cpuUsage: number | null, memoryWorkingSet: number | null } | null }
      | { __typename: 'DaemonSet', id: string, clusterName: string, namespaceName: string, name: string, kind: WorkloadKind, status: WorkloadStatus, ready: boolean, replicas: { __typename: 'WorkloadReplicas', desired: number, ready: number, available: number } | null, usage: { __typename: 'WorkloadUsage', cpuUsage: number | null, memoryWorkingSet: number | null } | null }
      | { __typename: 'Deployment', id: string, clusterName: string, namespaceName: string, name: string, kind: WorkloadKind, status: WorkloadStatus, ready: boolean, replicas: { __typename: 'WorkloadReplicas', desired: number, ready: number, available: number } | null, usage: { __typename: 'WorkloadUsage', cpuUsage: number | null, memoryWorkingSet: number | null } | null }
      | { __typename: 'Job', id: string, clusterName: string, namespaceName: string, name: string, kind: WorkloadKind, status: WorkloadStatus, ready: boolean, replicas: { __typename: 'WorkloadReplicas', desired: number, ready: number, available: number } | null, usage: { __typename: 'WorkloadUsage', cpuUsage: number | null, memoryWorkingSet: number | null } | null }
      | { __typename: 'StatefulSet', id: string, clusterName: string, namespaceName: string, name: string, kind: WorkloadKind, status: WorkloadStatus, ready: boolean, replicas: { __typename: 'WorkloadReplicas', desired: number, ready: number, available: number } | null, usage: { __typename: 'WorkloadUsage', cpuUsage: number | null, memoryWorkingSet: number | null } | null }
    > } };

export type WorkloadUpdatesSubscriptionVariables = Exact<{
  filter?: WorkloadFilter | null | undefined;
}>;


export type WorkloadUpdatesSubscription = { workloadChanges: { __typename: 'WorkloadChange', type: ChangeType, cluster: string | null, object:
      | { __typename: 'CronJob', id: string, status: WorkloadStatus, ready: boolean, replicas: { __typename: 'WorkloadReplicas', desired: number, ready: number, available: number } | null }
      | { __typename: 'DaemonSet', id: string, status: WorkloadStatus, ready: boolean, replicas: { __typename: 'WorkloadReplicas', desired: number, ready: number, available: number } | null }
      | { __typename: 'Deployment', id: string, status: WorkloadStatus, ready: boolean, replicas: { __typename: 'WorkloadReplicas', desired: number, ready: number, available: number } | null }
      | { __typename: 'Job', id: string, status: WorkloadStatus, ready: boolean, replicas: { __typename: 'WorkloadReplicas', desired: number, ready: number, available: number } | null }
      | { __typename: 'StatefulSet', id: string, status: WorkloadStatus, ready: boolean, replicas: { __typename: 'WorkloadReplicas', desired: number, ready: number, available: number } | null }
     | null } };

export const EventFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Event"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"clusterName"}},{"kind":"Field","name":{"kind":"Name","value":"namespaceName"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"lastTimestamp"}},{"kind":"Field","name":{"kind":"Name","value":"involvedObject"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<EventFieldsFragment, unknown>;
export const ViewerDocument = {"__meta__":{"hash":"sha256:cf4e8e6ef3c8d8f80317417d1858f9b0f5b54dc164e78f245af4ea4557d0160c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"user"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const ClusterOutcomeUpdatesDocument = {"__meta__":{"hash":"sha256:bf350d2cf4dcca716e34b604e3199c2701d628fb26626aba555dd1a0d6670f29"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ClusterOutcomeUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clusterOutcomeChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"clusterName"}},{"kind":"Field","name":{"kind":"Name","value":"staleSince"}}]}}]}}]}}]} as unknown as DocumentNode<ClusterOutcomeUpdatesSubscription, ClusterOutcomeUpdatesSubscriptionVariables>;
export const FleetClustersDocument = {"__meta__":{"hash":"sha256:dcd4103460eb03c835a064480f479be1a98fd766a26a655e6733e73c4da71b64"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FleetClusters"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"clusters"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"kubernetesVersion"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}},{"kind":"Field","name":{"kind":"Name","value":"freshness"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"synced"}},{"kind":"Field","name":{"kind":"Name","value":"staleSince"}}]}},{"kind":"Field","name":{"kind":"Name","value":"workloads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}}]}}]}}]}}]} as unknown as DocumentNode<FleetClustersQuery, FleetClustersQueryVariables>;
export const RecentEventsDocument = {"__meta__":{"hash":"sha256:054081d74d9448e883fae6c6a26a87e54a20f302e550f5616c017f21e26c1786"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecentEvents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Event"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"clusterName"}},{"kind":"Field","name":{"kind":"Name","value":"namespaceName"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"lastTimestamp"}},{"kind":"Field","name":{"kind":"Name","value":"involvedObject"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RecentEventsQuery, RecentEventsQueryVariables>;
export const EventUpdatesDocument = {"__meta__":{"hash":"sha256:774e3ad9503c8c49347e537c27367d060fc7afb13d64599446356e1a13801980"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"EventUpdates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventChanges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"object"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Event"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"clusterName"}},{"kind":"Field","name":{"kind":"Name","value":"namespaceName"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"lastTimestamp"}},{"kind":"Field","name":{"kind":"Name","value":"involvedObject"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<EventUpdatesSubscription, EventUpdatesSubscriptionVariables>;
export const WorkloadPodsDocument = {"__meta__":{"hash":"sha256:da0e3cdf76d999299222253486161d051c4f03438fc244999f5f64e77feb0057"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkloadPods"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Workload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"pods"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"clusterName"}},{"kind":"Field","name":{"kind":"Name","value":"namespaceName"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phase"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<WorkloadPodsQuery, WorkloadPodsQueryVariables>;
export const PodLogLinesDocument = {"__meta__":{"hash":"sha256:b0663e4f8ecde6eb90aeed734409db6f7de29917d5083483a236a6dcf3937841"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PodLogLines"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"namespace"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"pod"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"podLogs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"cluster"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cluster"}}},{"kind":"Argument","name":{"kind":"Name","value":"namespace"},"value":{"kind":"Variable","name":{"kind":"Name","value":"namespace"}}},{"kind":"Argument","name":{"kind":"Name","value":"pod"},"value":{"kind":"Variable","name":{"kind":"Name","value":"pod"}}},{"kind":"Argument","name":{"kind":"Name","value":"tailLines"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"timestamps"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"line"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"container"}}]}}]}}]} as unknown as DocumentNode<PodLogLinesSubscription, PodLogLinesSubscriptionVariables>;
export const FleetWorkloadsDocument = {"__meta__":{"hash":"sha256:d81fbdbfee5c0e596da7776321550443f7a8ca37d43094fd2832da8bdd8921a6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FleetWorkloads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WorkloadFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"workloads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outcomes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"clusterName"}},{"kind":"Field","name":{"kind":"Name","value":"synced"}},{"kind":"Field","name":{"kind":"Name","value":"staleSince"}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"clusterName"}},{"kind":"Field","name":{"kind":"Name","value":"namespaceName"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"replicas"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"desired"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"available"}}]}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cpuUsage"}},{"kind":"Field","name":{"kind":"Name","value":"memoryWorkingSet"}}]}}]}}]}}]}}]} as unknown as DocumentNode<FleetWorkloadsQuery, FleetWorkloadsQueryVariables>;
export const WorkloadUpdatesDocument = {"__meta__":{"hash":"sha256:f717c1fbd614772b1016d54d69492b62e463fc6cc7cb12a39599d32c72828070"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WorkloadUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WorkloadFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workloadChanges"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"cluster"}},{"kind":"Field","name":{"kind":"Name","value":"object"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"replicas"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"desired"}},{"kind":"Field","name":{"kind":"Name","value":"ready"}},{"kind":"Field","name":{"kind":"Name","value":"available"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WorkloadUpdatesSubscription, WorkloadUpdatesSubscriptionVariables>;