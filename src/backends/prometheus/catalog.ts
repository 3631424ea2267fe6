/**
 * The metric catalog: what each level of the schema offers, its unit, and how it is computed from
 * the series in series.ts — one series, or the ratio of two (utilisation is usage over what was
 * requested or allocatable, computed after summing, so a workload's utilisation is its pods'
 * total usage over their total requests, never an average of ratios). docs/metrics.md is this
 * table for people, with the KubeSphere name of each metric where it has one.
 */
import type { SeriesId } from "./series.js";

export const METRIC_LEVELS = [
  "CLUSTER",
  "NODE",
  "WORKSPACE",
  "NAMESPACE",
  "WORKLOAD",
  "POD",
  "CONTAINER",
] as const;
export type MetricLevel = (typeof METRIC_LEVELS)[number];

/** The schema's name of each level's object type (the node type is ClusterNode): its enums and usage types are named after it. */
export const LEVEL_TYPE_NAMES: Readonly<Record<MetricLevel, string>> = {
  CLUSTER: "Cluster",
  NODE: "ClusterNode",
  WORKSPACE: "Workspace",
  NAMESPACE: "Namespace",
  WORKLOAD: "Workload",
  POD: "Pod",
  CONTAINER: "Container",
};

export type MetricUnit = "CORES" | "BYTES" | "BYTES_PER_SECOND" | "RATIO" | "COUNT" | "LOAD";

export type MetricFormula = { series: SeriesId } | { ratio: readonly [SeriesId, SeriesId] };

export interface MetricDefinition {
  /** The enum value in the schema, e.g. CPU_USAGE. */
  name: string;
  unit: MetricUnit;
  description: string;
  formula: MetricFormula;
  /** KubeSphere's name for the same number at this level, where it has one. */
  kubesphere?: string;
}

const m = (
  name: string,
  unit: MetricUnit,
  formula: MetricFormula,
  description: string,
  kubesphere?: string,
): MetricDefinition => ({ name, unit, formula, description, kubesphere });

/** The metrics every level made of pods has (container, pod, workload, namespace, workspace). */
function podMetrics(prefix: string | undefined): MetricDefinition[] {
  const ks = (suffix: string) => (prefix ? `${prefix}_${suffix}` : undefined);
  return [
    m(
      "CPU_USAGE",
      "CORES",
      { series: "cpu_usage" },
      "CPU used, in cores (rate over 5 minutes).",
      ks("cpu_usage"),
    ),
    m("CPU_REQUESTS", "CORES", { series: "cpu_requests" }, "CPU requested by the containers, in cores."),
    m("CPU_LIMITS", "CORES", { series: "cpu_limits" }, "CPU limits of the containers, in cores."),
    m(
      "CPU_UTILISATION",
      "RATIO",
      { ratio: ["cpu_usage", "cpu_requests"] },
      "CPU used over CPU requested (1 = all of it); null without requests.",
    ),
    m(
      "MEMORY_WORKING_SET",
      "BYTES",
      { series: "memory_working_set" },
      "Memory working set, in bytes.",
      ks("memory_usage_wo_cache"),
    ),
    m(
      "MEMORY_REQUESTS",
      "BYTES",
      { series: "memory_requests" },
      "Memory requested by the containers, in bytes.",
    ),
    m("MEMORY_LIMITS", "BYTES", { series: "memory_limits" }, "Memory limits of the containers, in bytes."),
    m(
      "MEMORY_UTILISATION",
      "RATIO",
      { ratio: ["memory_working_set", "memory_requests"] },
      "Memory working set over memory requested; null without requests.",
    ),
    m("RESTARTS", "COUNT", { series: "restarts" }, "Container restarts since the pods started."),
  ];
}

const network = (prefix: string): MetricDefinition[] => [
  m(
    "NETWORK_RECEIVE",
    "BYTES_PER_SECOND",
    { series: "network_receive" },
    "Bytes received per second (rate over 5 minutes).",
    `${prefix}_net_bytes_received`,
  ),
  m(
    "NETWORK_TRANSMIT",
    "BYTES_PER_SECOND",
    { series: "network_transmit" },
    "Bytes sent per second (rate over 5 minutes).",
    `${prefix}_net_bytes_transmitted`,
  ),
];

const podCounts = (prefix: string): MetricDefinition[] => [
  m("POD_COUNT", "COUNT", { series: "pod_count" }, "Pods that exist (any phase).", `${prefix}_pod_count`),
  m(
    "PODS_RUNNING",
    "COUNT",
    { series: "pods_running" },
    "Pods in phase Running.",
    `${prefix}_pod_running_count`,
  ),
];

/** Node and cluster: capacity from kube-state-metrics, usage from node-exporter. */
function nodeMetrics(prefix: string): MetricDefinition[] {
  return [
    m(
      "CPU_USAGE",
      "CORES",
      { series: "node_cpu_usage" },
      "CPU busy (not idle, iowait or steal), in cores.",
      `${prefix}_cpu_usage`,
    ),
    m(
      "CPU_ALLOCATABLE",
      "CORES",
      { series: "cpu_allocatable" },
      "CPU allocatable to pods, in cores.",
      `${prefix}_cpu_total`,
    ),
    m("CPU_REQUESTS", "CORES", { series: "cpu_requests" }, "CPU requested by pods, in cores."),
    m("CPU_LIMITS", "CORES", { series: "cpu_limits" }, "CPU limits of pods, in cores."),
    m(
      "CPU_UTILISATION",
      "RATIO",
      { ratio: ["node_cpu_usage", "cpu_allocatable"] },
      "CPU busy over CPU allocatable.",
      `${prefix}_cpu_utilisation`,
    ),
    m(
      "MEMORY_USAGE",
      "BYTES",
      { series: "node_memory_used" },
      "Memory in use (total minus available), in bytes.",
      `${prefix}_memory_usage_wo_cache`,
    ),
    m(
      "MEMORY_TOTAL",
      "BYTES",
      { series: "node_memory_total" },
      "Physical memory, in bytes.",
      `${prefix}_memory_total`,
    ),
    m(
      "MEMORY_ALLOCATABLE",
      "BYTES",
      { series: "memory_allocatable" },
      "Memory allocatable to pods, in bytes.",
    ),
    m("MEMORY_REQUESTS", "BYTES", { series: "memory_requests" }, "Memory requested by pods, in bytes."),
    m("MEMORY_LIMITS", "BYTES", { series: "memory_limits" }, "Memory limits of pods, in bytes."),
    m(
      "MEMORY_UTILISATION",
      "RATIO",
      { ratio: ["node_memory_used", "node_memory_total"] },
      "Memory in use over physical memory.",
      `${prefix}_memory_utilisation`,
    ),
    m(
      "LOAD1",
      "LOAD",
      { series: "node_load1" },
      "1-minute load average (summed over nodes for a cluster).",
      `${prefix}_load1`,
    ),
    m(
      "FILESYSTEM_USED",
      "BYTES",
      { series: "filesystem_used" },
      "Root filesystem used, in bytes.",
      `${prefix}_disk_size_usage`,
    ),
    m(
      "FILESYSTEM_SIZE",
      "BYTES",
      { series: "filesystem_size" },
      "Root filesystem size, in bytes.",
      `${prefix}_disk_size_capacity`,
    ),
    m(
      "FILESYSTEM_UTILISATION",
      "RATIO",
      { ratio: ["filesystem_used", "filesystem_size"] },
      "Root filesystem used over its size.",
      `${prefix}_disk_size_utilisation`,
    ),
    m("POD_COUNT", "COUNT", { series: "pod_count" }, "Pods that exist (any phase).", `${prefix}_pod_count`),
  ];
}

export const CATALOG: Readonly<Record<MetricLevel, readonly MetricDefinition[]>> = {
  CLUSTER: [
    ...nodeMetrics("cluster"),
    m(
      "PODS_RUNNING",
      "COUNT",
      { series: "pods_running" },
      "Pods in phase Running.",
      "cluster_pod_running_count",
    ),
    m("NODE_COUNT", "COUNT", { series: "node_count" }, "Nodes.", "cluster_node_total"),
    ...network("cluster"),
  ],
  NODE: nodeMetrics("node"),
  WORKSPACE: [...podMetrics("workspace"), ...network("workspace"), ...podCounts("workspace")],
  NAMESPACE: [...podMetrics("namespace"), ...network("namespace"), ...podCounts("namespace")],
  WORKLOAD: [
    ...podMetrics("workload"),
    ...network("workload"),
    m(
      "REPLICAS_DESIRED",
      "COUNT",
      { series: "replicas_desired" },
      "Replicas asked for (Deployments, StatefulSets; DaemonSets: nodes scheduled); null for other kinds.",
    ),
    m(
      "REPLICAS_AVAILABLE",
      "COUNT",
      { series: "replicas_available" },
      "Replicas available (StatefulSets: ready); null for other kinds.",
      "workload_deployment_replica_available",
    ),
  ],
  POD: [...podMetrics("pod"), ...network("pod")],
  CONTAINER: podMetrics("container"),
};

export function findMetric(level: MetricLevel, name: string): MetricDefinition | undefined {
  return CATALOG[level].find((d) => d.name === name);
}

/** The series a metric reads: one, or the two of its ratio. */
export function seriesOf(formula: MetricFormula): readonly SeriesId[] {
  return "series" in formula ? [formula.series] : formula.ratio;
}
