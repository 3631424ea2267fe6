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

/**
 * The metrics scenario's page: workloads of two namespaces that every simulated cluster has
 * (checkout: 3 workloads, cart: 2), in the default order (by cluster): 5 per cluster, so the
 * first 50 span 10 clusters. Neither namespace has a workload whose name extends another's, so the
 * per-object peer's `pod=~"<name>-.*"` reads exactly each workload's pods.
 */
export const METRICS_PAGE_FILTER = { namespaces: ["checkout", "cart"] };

const WORKLOAD_ROW = "kind clusterName namespaceName name";

export const METRICS_PAGE = `query MetricsPage($filter: WorkloadFilter!) {
  workloads(first: 50, filter: $filter) {
    nodes { ${WORKLOAD_ROW} usage { cpuUsage memoryWorkingSet } }
  }
}`;

/** The same page without usage: what the per-object peer lists before asking Prometheus. */
export const METRICS_PAGE_LIST = `query MetricsPageList($filter: WorkloadFilter!) {
  workloads(first: 50, filter: $filter) {
    nodes { ${WORKLOAD_ROW} }
  }
}`;

/** The ten workloads of the whole fleet using the most CPU. */
export const TOP_BY_CPU = `query TopByCpu {
  workloads(first: 10, orderBy: { metric: CPU_USAGE, direction: DESC }) {
    nodes { ${WORKLOAD_ROW} usage { cpuUsage memoryWorkingSet } }
  }
}`;

export interface WorkloadUsageRow {
  kind: string;
  clusterName: string;
  namespaceName: string;
  name: string;
  usage?: { cpuUsage: number | null; memoryWorkingSet: number | null } | null;
}

export interface WorkloadsAnswer {
  workloads: { nodes: WorkloadUsageRow[] };
}
