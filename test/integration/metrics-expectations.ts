/**
 * What the metrics tests expect, asked of Prometheus itself. For every usage field of every level,
 * the PromQL that computes it, written here from the exporters' documentation (kube-state-metrics,
 * the kubelet's cAdvisor, node-exporter) and KubeSphere's definitions of each number — not taken
 * from the gateway — plus the comparison of the gateway's numbers with Prometheus's answers.
 */
import { expect } from "vitest";
import type { MatrixSeries, RunningPrometheus, VectorSample } from "../support/prometheus.js";

/** One usage field: an aggregate over a selector, or the ratio of two other fields of the level. */
export type FieldExpectation =
  | { aggregate: "sum" | "count"; over: (selector: string) => string }
  | { ratio: readonly [top: string, bottom: string] };

/** Usage field -> how Prometheus computes it, for one level. */
export type LevelExpectations = Readonly<Record<string, FieldExpectation>>;

const sum = (over: (s: string) => string): FieldExpectation => ({ aggregate: "sum", over });
const count = (over: (s: string) => string): FieldExpectation => ({ aggregate: "count", over });
const ratio = (top: string, bottom: string): FieldExpectation => ({ ratio: [top, bottom] });

/** `{a, b}` of a metric name's own matchers and the object's selector (which may be empty). */
const m = (own: string, selector: string) => `{${[own, selector].filter((x) => x !== "").join(",")}}`;

/** Containers' numbers; the pause container (container="") is the pod's sandbox, not a workload. */
export const CONTAINER_USAGE: LevelExpectations = {
  cpuUsage: sum((s) => `rate(container_cpu_usage_seconds_total${m('container!=""', s)}[5m])`),
  cpuRequests: sum((s) => `kube_pod_container_resource_requests${m('resource="cpu"', s)}`),
  cpuLimits: sum((s) => `kube_pod_container_resource_limits${m('resource="cpu"', s)}`),
  cpuUtilisation: ratio("cpuUsage", "cpuRequests"),
  memoryWorkingSet: sum((s) => `container_memory_working_set_bytes${m('container!=""', s)}`),
  memoryRequests: sum((s) => `kube_pod_container_resource_requests${m('resource="memory"', s)}`),
  memoryLimits: sum((s) => `kube_pod_container_resource_limits${m('resource="memory"', s)}`),
  memoryUtilisation: ratio("memoryWorkingSet", "memoryRequests"),
  restarts: sum((s) => `kube_pod_container_status_restarts_total${m("", s)}`),
};

/** Network counters are the sandbox's, on eth0. */
const NETWORK: LevelExpectations = {
  networkReceive: sum((s) => `rate(container_network_receive_bytes_total${m('interface="eth0"', s)}[5m])`),
  networkTransmit: sum((s) => `rate(container_network_transmit_bytes_total${m('interface="eth0"', s)}[5m])`),
};

const POD_COUNTS: LevelExpectations = {
  podCount: count((s) => `kube_pod_info${m("", s)}`),
  podsRunning: sum((s) => `kube_pod_status_phase${m('phase="Running"', s)}`),
};

export const POD_USAGE: LevelExpectations = { ...CONTAINER_USAGE, ...NETWORK };
export const NAMESPACE_USAGE: LevelExpectations = { ...POD_USAGE, ...POD_COUNTS };
export const WORKSPACE_USAGE = NAMESPACE_USAGE;

/** kube-state-metrics' replica series of each workload kind, labelled by the kind in lower case. */
const REPLICA_SERIES: Readonly<Record<string, { label: string; desired: string; available: string }>> = {
  DEPLOYMENT: {
    label: "deployment",
    desired: "kube_deployment_spec_replicas",
    available: "kube_deployment_status_replicas_available",
  },
  STATEFUL_SET: {
    label: "statefulset",
    desired: "kube_statefulset_replicas",
    available: "kube_statefulset_status_replicas_ready",
  },
  DAEMON_SET: {
    label: "daemonset",
    desired: "kube_daemonset_status_desired_number_scheduled",
    available: "kube_daemonset_status_number_available",
  },
};

/**
 * A workload's numbers: its pods' (the selector given to each field names them), and its kind's
 * replica series, selected by the workload's own name (`where` pins cluster and namespace).
 */
export function workloadUsage(kind: string, where: string, name: string): LevelExpectations {
  const replicas = REPLICA_SERIES[kind];
  if (!replicas) throw new Error(`no replica series for ${kind}`);
  const by = `${where},${matcher(replicas.label, [name])}`;
  return {
    ...POD_USAGE,
    replicasDesired: sum(() => `${replicas.desired}{${by}}`),
    replicasAvailable: sum(() => `${replicas.available}{${by}}`),
  };
}

/** Nodes' numbers: node-exporter for usage, kube-state-metrics for capacity and what pods ask. */
export const NODE_USAGE: LevelExpectations = {
  cpuUsage: sum((s) => `rate(node_cpu_seconds_total${m('mode!~"idle|iowait|steal"', s)}[5m])`),
  cpuAllocatable: sum((s) => `kube_node_status_allocatable${m('resource="cpu"', s)}`),
  cpuRequests: CONTAINER_USAGE.cpuRequests!,
  cpuLimits: CONTAINER_USAGE.cpuLimits!,
  cpuUtilisation: ratio("cpuUsage", "cpuAllocatable"),
  memoryUsage: sum(
    (s) => `node_memory_MemTotal_bytes${m("", s)} - node_memory_MemAvailable_bytes${m("", s)}`,
  ),
  memoryTotal: sum((s) => `node_memory_MemTotal_bytes${m("", s)}`),
  memoryAllocatable: sum((s) => `kube_node_status_allocatable${m('resource="memory"', s)}`),
  memoryRequests: CONTAINER_USAGE.memoryRequests!,
  memoryLimits: CONTAINER_USAGE.memoryLimits!,
  memoryUtilisation: ratio("memoryUsage", "memoryTotal"),
  load1: sum((s) => `node_load1${m("", s)}`),
  filesystemUsed: sum(
    (s) =>
      `node_filesystem_size_bytes${m('mountpoint="/"', s)} - node_filesystem_avail_bytes${m('mountpoint="/"', s)}`,
  ),
  filesystemSize: sum((s) => `node_filesystem_size_bytes${m('mountpoint="/"', s)}`),
  filesystemUtilisation: ratio("filesystemUsed", "filesystemSize"),
  podCount: POD_COUNTS.podCount!,
};

export const CLUSTER_USAGE: LevelExpectations = {
  ...NODE_USAGE,
  podsRunning: POD_COUNTS.podsRunning!,
  nodeCount: count((s) => `kube_node_info${m("", s)}`),
  ...NETWORK,
};

/** `label="value"` and `label=~"a|b"` matchers, values quoted and regex-escaped. */
export function matcher(label: string, values: readonly string[]): string {
  if (values.length === 1) return `${label}=${JSON.stringify(values[0])}`;
  const escaped = values.map((v) => v.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&"));
  return `${label}=~${JSON.stringify(escaped.join("|"))}`;
}

/** The PromQL of one aggregate field over `selector`. */
export function aggregateQuery(field: FieldExpectation, selector: string): string {
  if ("ratio" in field) throw new Error("a ratio has no query of its own");
  return `${field.aggregate}(${field.over(selector)})`;
}

/**
 * The PromQL of one aggregate field over the namespaces a workspace label names: grouped per
 * (cluster, namespace), joined with kube_namespace_labels (the workspace label of each namespace,
 * as kube-state-metrics exports it), then summed — KubeSphere's workspace query.
 */
export function workspaceQuery(field: FieldExpectation, workspace: string, selector = ""): string {
  if ("ratio" in field) throw new Error("a ratio has no query of its own");
  const grouped = `${field.aggregate} by (cluster, namespace) (${field.over(selector)})`;
  const members = `kube_namespace_labels{label_kubesphere_io_workspace=${JSON.stringify(workspace)}}`;
  return `sum(${grouped} * on (cluster, namespace) group_left () ${members})`;
}

/** Prometheus's number format (strings, with NaN and infinities spelled out). */
export function sampleNumber(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}

/** The one number an aggregate answers with; null for an empty answer (no series at all). */
export function onlyValue(samples: readonly VectorSample[], query: string): number | null {
  if (samples.length > 1) throw new Error(`${query} answered ${samples.length} series, not one`);
  return samples.length === 0 ? null : sampleNumber(samples[0]!.value[1]);
}

/** A ratio as the schema defines one: null without a top, a bottom, or with a zero bottom. */
export function ratioOf(top: number | null, bottom: number | null): number | null {
  return top === null || bottom === null || bottom === 0 ? null : top / bottom;
}

/** Each field of `level` as Prometheus answers it at `time`; `query` writes a field's PromQL. */
export async function expectedUsage(
  prometheus: RunningPrometheus,
  level: LevelExpectations,
  query: (field: FieldExpectation) => string,
  time: number,
): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  const aggregates = Object.entries(level).filter(([, f]) => !("ratio" in f));
  await Promise.all(
    aggregates.map(async ([name, field]) => {
      const promql = query(field);
      out[name] = onlyValue(await prometheus.query(promql, time), promql);
    }),
  );
  for (const [name, field] of Object.entries(level))
    if ("ratio" in field) out[name] = ratioOf(out[field.ratio[0]] ?? null, out[field.ratio[1]] ?? null);
  return out;
}

export interface Window {
  start: number;
  end: number;
  step: number;
}

/** The points of a one-series range answer at each step of `window`, null where there is none. */
export function stepValues(
  series: readonly MatrixSeries[],
  window: Window,
  query: string,
): (number | null)[] {
  if (series.length > 1) throw new Error(`${query} answered ${series.length} series, not one`);
  const values = new Array<number | null>((window.end - window.start) / window.step + 1).fill(null);
  for (const [time, text] of series[0]?.values ?? [])
    values[(time - window.start) / window.step] = sampleNumber(text);
  return values;
}

/** Each field of `level` over `window`, as /api/v1/query_range answers it. */
export async function expectedSeries(
  prometheus: RunningPrometheus,
  level: LevelExpectations,
  query: (field: FieldExpectation) => string,
  window: Window,
): Promise<Record<string, (number | null)[]>> {
  const out: Record<string, (number | null)[]> = {};
  const aggregates = Object.entries(level).filter(([, f]) => !("ratio" in f));
  await Promise.all(
    aggregates.map(async ([name, field]) => {
      const promql = query(field);
      out[name] = stepValues(await prometheus.queryRange(promql, window), window, promql);
    }),
  );
  for (const [name, field] of Object.entries(level))
    if ("ratio" in field) {
      const [top, bottom] = [out[field.ratio[0]]!, out[field.ratio[1]]!];
      out[name] = top.map((t, i) => ratioOf(t, bottom[i] ?? null));
    }
  return out;
}

/**
 * Float sums depend on their order: the gateway adds per-pod (or per-namespace) answers itself
 * where Prometheus's sum() adds them inside one query, so equal numbers may differ in the last
 * bits. A relative 1e-9 is millions of times that rounding and far below any real difference
 * (one sample more or less in a rate, one pod more or less in a sum).
 */
const RELATIVE = 1e-9;

export function expectSameNumber(
  got: number | null | undefined,
  expected: number | null,
  what: string,
): void {
  if (expected === null || !Number.isFinite(expected)) {
    expect(got ?? null, `${what}: Prometheus has no number`).toBeNull();
    return;
  }
  expect(got, `${what}: Prometheus says ${expected}`).not.toBeNull();
  expect(
    Math.abs(got! - expected),
    `${what}: the gateway says ${got}, Prometheus ${expected}`,
  ).toBeLessThanOrEqual(RELATIVE * Math.abs(expected));
}

export function expectSameNumbers(
  got: Readonly<Record<string, number | null>>,
  expected: Readonly<Record<string, number | null>>,
  what: string,
): void {
  expect(Object.keys(got).sort(), `${what}: fields`).toEqual(Object.keys(expected).sort());
  for (const [name, value] of Object.entries(expected)) expectSameNumber(got[name], value, `${what} ${name}`);
}

/** The schema's enum value of a usage field: cpuUsage -> CPU_USAGE, load1 -> LOAD1. */
export const metricName = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
