/**
 * The PromQL behind every metric, one template per series, written against the names and labels
 * real clusters have (kube-state-metrics v2, the kubelet's cAdvisor, node-exporter). A template
 * is aggregated `by` the labels of the level it is asked at and receives the matchers that pin it
 * to one cluster and to the requested objects; the caller never writes PromQL here.
 */

/** The labels one answer is split by: a series level names what each returned sample is about. */
export type SeriesLevel = "cluster" | "node" | "namespace" | "pod" | "container" | WorkloadSeriesLevel;
export type WorkloadSeriesLevel = "deployment" | "statefulset" | "daemonset";

export const GROUP_LABELS: Readonly<Record<SeriesLevel, readonly string[]>> = {
  cluster: [],
  node: ["node"],
  namespace: ["namespace"],
  pod: ["namespace", "pod"],
  container: ["namespace", "pod", "container"],
  deployment: ["namespace", "deployment"],
  statefulset: ["namespace", "statefulset"],
  daemonset: ["namespace", "daemonset"],
};

/** The window of every rate(): KubeSphere's, and long enough for two scrapes at any common interval. */
export const RATE_WINDOW = "5m";

export type SeriesId =
  | "cpu_usage"
  | "memory_working_set"
  | "cpu_requests"
  | "cpu_limits"
  | "memory_requests"
  | "memory_limits"
  | "network_receive"
  | "network_transmit"
  | "restarts"
  | "pods_running"
  | "pod_count"
  | "node_count"
  | "node_cpu_usage"
  | "cpu_allocatable"
  | "memory_allocatable"
  | "node_memory_used"
  | "node_memory_total"
  | "node_load1"
  | "filesystem_used"
  | "filesystem_size"
  | "replicas_desired"
  | "replicas_available";

interface SeriesTemplate {
  /** The levels it can be grouped at (the labels its series carry). */
  levels: readonly SeriesLevel[];
  /** `m(...fixed)` writes the selector: the template's own matchers plus the request's. */
  promql(by: string, m: (...fixed: string[]) => string, level: SeriesLevel): string;
}

const POD_LEVELS: readonly SeriesLevel[] = ["cluster", "namespace", "pod", "container"];
const NODE_LEVELS: readonly SeriesLevel[] = ["cluster", "node"];
const sum = (by: string, inner: string) => `sum by (${by}) (${inner})`;
const rate = (inner: string) => `rate(${inner}[${RATE_WINDOW}])`;

/** kube-state-metrics names each workload kind's replica series differently. */
const REPLICA_SERIES: Readonly<Record<WorkloadSeriesLevel, { desired: string; available: string }>> = {
  deployment: {
    desired: "kube_deployment_spec_replicas",
    available: "kube_deployment_status_replicas_available",
  },
  statefulset: { desired: "kube_statefulset_replicas", available: "kube_statefulset_status_replicas_ready" },
  daemonset: {
    desired: "kube_daemonset_status_desired_number_scheduled",
    available: "kube_daemonset_status_number_available",
  },
};
const WORKLOAD_LEVELS = Object.keys(REPLICA_SERIES) as WorkloadSeriesLevel[];

export const SERIES: Readonly<Record<SeriesId, SeriesTemplate>> = {
  // The pause container (container="") holds only the pod's network: excluded from CPU and memory.
  cpu_usage: {
    levels: POD_LEVELS,
    promql: (by, m) => sum(by, rate(`container_cpu_usage_seconds_total${m('container!=""')}`)),
  },
  memory_working_set: {
    levels: POD_LEVELS,
    promql: (by, m) => sum(by, `container_memory_working_set_bytes${m('container!=""')}`),
  },
  cpu_requests: {
    levels: [...POD_LEVELS, "node"],
    promql: (by, m) => sum(by, `kube_pod_container_resource_requests${m('resource="cpu"')}`),
  },
  cpu_limits: {
    levels: [...POD_LEVELS, "node"],
    promql: (by, m) => sum(by, `kube_pod_container_resource_limits${m('resource="cpu"')}`),
  },
  memory_requests: {
    levels: [...POD_LEVELS, "node"],
    promql: (by, m) => sum(by, `kube_pod_container_resource_requests${m('resource="memory"')}`),
  },
  memory_limits: {
    levels: [...POD_LEVELS, "node"],
    promql: (by, m) => sum(by, `kube_pod_container_resource_limits${m('resource="memory"')}`),
  },
  // Network counters belong to the pod's sandbox, on eth0.
  network_receive: {
    levels: ["cluster", "namespace", "pod"],
    promql: (by, m) => sum(by, rate(`container_network_receive_bytes_total${m('interface="eth0"')}`)),
  },
  network_transmit: {
    levels: ["cluster", "namespace", "pod"],
    promql: (by, m) => sum(by, rate(`container_network_transmit_bytes_total${m('interface="eth0"')}`)),
  },
  restarts: {
    levels: POD_LEVELS,
    promql: (by, m) => sum(by, `kube_pod_container_status_restarts_total${m()}`),
  },
  pods_running: {
    levels: ["cluster", "namespace", "pod"],
    promql: (by, m) => sum(by, `kube_pod_status_phase${m('phase="Running"')}`),
  },
  pod_count: {
    levels: ["cluster", "namespace", "node"],
    promql: (by, m) => `count by (${by}) (kube_pod_info${m()})`,
  },
  node_count: { levels: ["cluster"], promql: (by, m) => `count by (${by}) (kube_node_info${m()})` },
  node_cpu_usage: {
    levels: NODE_LEVELS,
    promql: (by, m) => sum(by, rate(`node_cpu_seconds_total${m('mode!~"idle|iowait|steal"')}`)),
  },
  cpu_allocatable: {
    levels: NODE_LEVELS,
    promql: (by, m) => sum(by, `kube_node_status_allocatable${m('resource="cpu"')}`),
  },
  memory_allocatable: {
    levels: NODE_LEVELS,
    promql: (by, m) => sum(by, `kube_node_status_allocatable${m('resource="memory"')}`),
  },
  node_memory_used: {
    levels: NODE_LEVELS,
    promql: (by, m) => sum(by, `node_memory_MemTotal_bytes${m()} - node_memory_MemAvailable_bytes${m()}`),
  },
  node_memory_total: { levels: NODE_LEVELS, promql: (by, m) => sum(by, `node_memory_MemTotal_bytes${m()}`) },
  node_load1: { levels: NODE_LEVELS, promql: (by, m) => sum(by, `node_load1${m()}`) },
  filesystem_used: {
    levels: NODE_LEVELS,
    promql: (by, m) =>
      sum(
        by,
        `node_filesystem_size_bytes${m('mountpoint="/"')} - node_filesystem_avail_bytes${m('mountpoint="/"')}`,
      ),
  },
  filesystem_size: {
    levels: NODE_LEVELS,
    promql: (by, m) => sum(by, `node_filesystem_size_bytes${m('mountpoint="/"')}`),
  },
  replicas_desired: {
    levels: WORKLOAD_LEVELS,
    promql: (by, m, level) => sum(by, `${REPLICA_SERIES[level as WorkloadSeriesLevel].desired}${m()}`),
  },
  replicas_available: {
    levels: WORKLOAD_LEVELS,
    promql: (by, m, level) => sum(by, `${REPLICA_SERIES[level as WorkloadSeriesLevel].available}${m()}`),
  },
};

/**
 * The whole query for one series at one level: `matchers` pin the cluster (a shared Prometheus)
 * and the requested objects; they are already validated and quoted (promql.ts).
 */
export function seriesQuery(
  id: SeriesId,
  level: SeriesLevel,
  matchers: readonly string[],
  /** The cluster label of a shared Prometheus, when one query answers for several clusters. */
  clusterLabel?: string,
): string {
  const template = SERIES[id];
  if (!template.levels.includes(level)) throw new Error(`series ${id} has no ${level} level`);
  const m = (...fixed: string[]) => `{${[...fixed, ...matchers].join(",")}}`;
  const by = clusterLabel === undefined ? GROUP_LABELS[level] : [clusterLabel, ...GROUP_LABELS[level]];
  return template.promql(by.join(", "), m, level);
}
