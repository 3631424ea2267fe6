/**
 * The GraphQL operations of the scenarios. Every GraphQL target (the gateway, the passthrough
 * peer, the graphql-constant peer) is sent the same document; interface-typed fields select
 * __typename so the constant peer can answer them from captured data.
 */

/** Which pods the filtered queries select: a label selector plus a phase, as a dashboard would. */
export const POD_SELECTOR = "tier=backend";

export const PODS_QUERY = `query PodsQuery($selector: String!) {
  pods(first: 50, filter: { labelSelector: $selector, phases: [RUNNING] }, orderBy: { field: NAME, direction: ASC }) {
    totalCount
    nodes { __typename id clusterName namespaceName name phase restarts nodeName createdAt }
  }
}`;

export const NODE_LOOKUP = `query NodeLookup($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Pod { clusterName namespaceName name phase restarts nodeName node { name } }
  }
}`;

export const DASHBOARD = `query Dashboard {
  clusters(first: 1000) {
    totalCount
    nodes {
      name
      summary { nodes readyNodes namespaces workloads pods { total running pending succeeded failed } }
    }
  }
  workloads(first: 50) {
    totalCount
    nodes {
      __typename
      id kind clusterName namespaceName name replicas { desired ready }
      pods(first: 100) { nodes { name phase node { name } } }
    }
  }
}`;

/** A small query for the throughput scenario: one namespace of one cluster, five pods. */
export const SMALL_QUERY = `query Small($cluster: String!) {
  pods(first: 5, filter: { clusters: [$cluster], namespaces: ["payments"] }, orderBy: { field: NAME, direction: ASC }) {
    totalCount
    nodes { name phase }
  }
}`;

export interface PodsAnswer {
  pods: {
    totalCount: number;
    nodes: { id: string; clusterName: string; namespaceName: string; name: string }[];
  };
}
