/**
 * The numbers beside the objects: one request's metric reads, answered through its QueryBatch
 * and bounded by its Scope. Pod-made levels (container, pod, workload, namespace, workspace) read
 * only the namespaces whose pods the caller may read; cluster and node numbers sum over every
 * tenant, so they need the cluster's nodes and every namespace's pods. A workload is the sum of
 * its current pods (the cache knows them), a workspace the sum of its readable namespaces.
 * A Prometheus that fails becomes a per-cluster outcome and a null, never a failed request.
 */
import type { CacheEntry } from "../cache/entry.js";
import { QueryAccessError, QueryInputError } from "../cache/query/errors.js";
import type { Scope } from "../cache/scope.js";
import {
  findMetric,
  type MetricDefinition,
  type MetricLevel,
  type MetricUnit,
} from "../backends/prometheus/catalog.js";
import { PrometheusError } from "../backends/prometheus/errors.js";
import { UpstreamRefusedError } from "../limits/request-budget.js";
import { checkName, type NamePattern } from "../backends/prometheus/promql.js";
import type { SeriesId, SeriesLevel, WorkloadSeriesLevel } from "../backends/prometheus/series.js";
import {
  collect,
  type ObjectGraph,
  type ObjectReader,
  type ClusterOutcomes,
} from "../query-service/index.js";
import { labelKey, QueryBatch, type SeriesAnswer, type SeriesAsk } from "./query-batch.js";
import type { RangeCache } from "./range-cache.js";
import { RawQueryError } from "./raw-query-error.js";
import type { MetricsSource, MetricsSources } from "./sources.js";
import { alignedValues, type AlignedWindow } from "./window.js";

export type MetricTarget =
  | { level: "CLUSTER"; cluster: string }
  | { level: "NODE"; cluster: string; node: string }
  | { level: "NAMESPACE"; cluster: string; namespace: string }
  /** The workspace's namespaces per cluster, as the caller may read them. */
  | { level: "WORKSPACE"; namespaces: ReadonlyMap<string, readonly string[]> }
  | { level: "WORKLOAD"; workload: CacheEntry }
  | { level: "POD"; cluster: string; namespace: string; pod: string }
  | { level: "CONTAINER"; cluster: string; namespace: string; pod: string; container: string };

/** The longest raw PromQL query accepted (Prometheus's own limit is the request size). */
export const MAX_RAW_QUERY = 10_000;

export type RawResult =
  | { resultType: "vector"; result: Array<{ metric: Record<string, string>; value: number }> }
  | {
      resultType: "matrix";
      result: Array<{ metric: Record<string, string>; values: Array<[number, number]> }>;
    };

/** The levels whose lists can be ordered by a metric. */
export type RankedLevel = "WORKLOAD" | "POD" | "NAMESPACE" | "NODE";

export interface MetricSeriesData {
  metric: string;
  unit: MetricUnit;
  /** Unix seconds of the first point. */
  start: number;
  step: number;
  values: (number | null)[];
}

export interface MetricReadsOptions {
  sources: MetricsSources;
  reader: ObjectReader;
  graph: ObjectGraph;
  scope: Scope;
  outcomes: ClusterOutcomes;
  /** Where range answers are kept between requests (and replicas); none: every range is asked. */
  rangeCache?: RangeCache;
  /** Whether the caller is a platform admin (the only ones who may send raw PromQL). */
  platformAdmin: () => boolean;
  nowMs?: number;
}

/** The series level each workload kind's replica series is kept at by kube-state-metrics. */
export const REPLICA_LEVEL: Readonly<Record<string, WorkloadSeriesLevel>> = {
  Deployment: "deployment",
  StatefulSet: "statefulset",
  DaemonSet: "daemonset",
};

/** One part of a metric (a series over some objects of one cluster), read and reduced. */
interface Part {
  ask: SeriesAsk;
  /** The label keys of the answer that belong to the target; summed. Undefined: every key. */
  keys: readonly string[] | undefined;
}

/** What an ask says beyond its source, series and window. */
type AskFields = Omit<SeriesAsk, "source" | "series" | "window">;

const exactly = (label: string, name: string): SeriesAsk["names"] => ({ label, patterns: [{ exact: name }] });

export class MetricReads {
  readonly batch: QueryBatch;
  private readonly workloadPods = new Map<string, CacheEntry[]>();

  constructor(private readonly options: MetricReadsOptions) {
    this.batch = new QueryBatch(Math.floor((options.nowMs ?? Date.now()) / 1000), options.rangeCache);
  }

  /** The metric's current value; null when there is no data or its Prometheus failed. */
  async value(target: MetricTarget, name: string): Promise<number | null> {
    const definition = this.definition(target.level, name);
    const read = (series: SeriesId) => this.sum(this.parts(target, series, undefined), undefined);
    if ("series" in definition.formula) return (await read(definition.formula.series)) as number | null;
    const [top, bottom] = await Promise.all(definition.formula.ratio.map(read));
    return ratio(top as number | null, bottom as number | null);
  }

  /** The metric over `window`, aligned to its step; null when its Prometheus failed everywhere. */
  async series(target: MetricTarget, name: string, window: AlignedWindow): Promise<MetricSeriesData | null> {
    const definition = this.definition(target.level, name);
    const read = async (series: SeriesId) =>
      (await this.sum(this.parts(target, series, window), window)) as (number | null)[] | null;
    let values: (number | null)[] | null;
    if ("series" in definition.formula) values = await read(definition.formula.series);
    else {
      const [top, bottom] = await Promise.all(definition.formula.ratio.map(read));
      values = top && bottom ? top.map((t, i) => ratio(t, bottom[i] ?? null)) : null;
    }
    if (!values) return null;
    return { metric: definition.name, unit: definition.unit, start: window.start, step: window.step, values };
  }

  /**
   * The metric for every readable object of a level in one cluster, keyed by `keyOf` (to order
   * a list by it): one query per series, whatever the number of objects.
   */
  async valuesIn(cluster: string, level: RankedLevel, name: string): Promise<Map<string, number>> {
    const definition = this.definition(level, name);
    if (level === "NODE") this.requireClusterWide(cluster);
    const source = this.sourceFor(cluster);
    if (!source) return new Map();
    const read = (series: SeriesId) => this.rank(source, level, series);
    if ("series" in definition.formula) return read(definition.formula.series);
    const [top, bottom] = await Promise.all([
      read(definition.formula.ratio[0]),
      read(definition.formula.ratio[1]),
    ]);
    const out = new Map<string, number>();
    for (const [key, t] of top) {
      const r = ratio(t, bottom.get(key) ?? null);
      if (r !== null) out.set(key, r);
    }
    return out;
  }

  private async rank(
    source: MetricsSource,
    level: RankedLevel,
    series: SeriesId,
  ): Promise<Map<string, number>> {
    const { cluster } = source;
    const namespaces = level === "NODE" ? "all" : this.readableNamespaces(cluster);
    const values = async (seriesLevel: SeriesLevel) =>
      ((await this.answer({
        source,
        series,
        level: seriesLevel,
        namespaces,
        names: "all",
        wholeCluster: this.whole(cluster),
      })) ?? new Map()) as Map<string, number>;
    if (level === "NODE") return values("node");
    if (level === "NAMESPACE") return values("namespace");
    if (level === "POD") return values("pod");
    if (series !== "replicas_desired" && series !== "replicas_available")
      return this.byWorkload(cluster, await values("pod"));
    // Replica series are per workload kind: (namespace, name) -> the workload's uid.
    const { reader, scope } = this.options;
    const out = new Map<string, number>();
    await Promise.all(
      Object.entries(REPLICA_LEVEL).map(async ([kind, seriesLevel]) => {
        for (const [key, value] of await values(seriesLevel)) {
          const [namespace, name] = key.split("\u0000") as [string, string];
          const workload = reader.getByName(cluster, kind, namespace, name, scope);
          if (workload) out.set(workload.uid, value);
        }
      }),
    );
    return out;
  }

  /**
   * A PromQL query as written, for platform admins: sent to the cluster's Prometheus unchanged,
   * so with a shared Prometheus it may read any cluster's series. `inFleet` says whether the
   * fleet has the cluster: a shared Prometheus would answer for any name, a typo included.
   */
  async raw(
    cluster: string,
    query: string,
    window: AlignedWindow | undefined,
    inFleet: boolean,
  ): Promise<RawResult> {
    if (!this.options.platformAdmin())
      throw new QueryAccessError(
        "query",
        "raw PromQL is for platform admins: it can read every tenant's series",
      );
    if (query.trim() === "" || query.length > MAX_RAW_QUERY)
      throw new QueryInputError("query", `a query must be 1 to ${MAX_RAW_QUERY} characters`);
    if (!inFleet) throw new QueryInputError("cluster", `no cluster named ${cluster} in the fleet`);
    const source = this.options.sources.forCluster(cluster);
    if (!source) throw new QueryInputError("cluster", `no Prometheus is configured for cluster ${cluster}`);
    try {
      if (window) {
        const series = await source.client.range(query, window);
        return { resultType: "matrix", result: series.map((s) => ({ metric: s.labels, values: s.points })) };
      }
      const samples = await source.client.instant(query, this.batch.time);
      return { resultType: "vector", result: samples.map((s) => ({ metric: s.labels, value: s.value })) };
    } catch (error) {
      throw error instanceof PrometheusError ? new RawQueryError(cluster, error) : error;
    }
  }

  /**
   * Throws QueryAccessError (FORBIDDEN) when the target's numbers are outside the caller's
   * access: checked once per object by `usage` and `metrics`, and again by every read.
   */
  authorize(target: MetricTarget): void {
    switch (target.level) {
      case "CLUSTER":
      case "NODE":
        return this.requireClusterWide(target.cluster);
      case "WORKSPACE":
        return;
      case "WORKLOAD":
        return this.requireNamespace(target.workload.cluster, target.workload.namespace);
      default:
        return this.requireNamespace(target.cluster, target.namespace);
    }
  }

  /** The key valuesIn uses for an object of its level. */
  static keyOf(entry: CacheEntry): string {
    if (entry.kind === "Pod") return labelKey([entry.namespace, entry.name]);
    if (entry.kind === "Namespace") return labelKey([entry.name]);
    if (entry.kind === "Node") return labelKey([entry.name]);
    return entry.uid;
  }

  private definition(level: MetricLevel, name: string): MetricDefinition {
    const definition = findMetric(level, name);
    // The schema's enums come from the catalog, so this is a programming error, not bad input.
    if (!definition) throw new Error(`no ${level} metric ${name}`);
    return definition;
  }

  private sourceFor(cluster: string): MetricsSource | undefined {
    const source = this.options.sources.forCluster(cluster);
    if (!source)
      this.options.outcomes.warn({
        code: "METRICS_NOT_CONFIGURED",
        message: `no Prometheus is configured for cluster ${cluster}, so its metrics are null`,
        cluster,
      });
    return source;
  }

  /** The parts a target's metric is made of: one per cluster it spans. */
  private parts(target: MetricTarget, series: SeriesId, window: AlignedWindow | undefined): Part[] {
    this.authorize(target);
    const ask = (cluster: string, rest: AskFields, keys?: readonly string[]): Part[] => {
      const source = this.sourceFor(cluster);
      return source
        ? [{ ask: { source, series, window, wholeCluster: this.whole(cluster), ...rest }, keys }]
        : [];
    };
    switch (target.level) {
      case "CLUSTER":
        return ask(target.cluster, { level: "cluster", namespaces: "all" });
      case "NODE":
        return ask(
          target.cluster,
          { level: "node", namespaces: "all", names: exactly("node", checkName("node", target.node)) },
          [labelKey([target.node])],
        );
      case "NAMESPACE":
        return ask(
          target.cluster,
          { level: "namespace", namespaces: [checkName("namespace", target.namespace)] },
          [labelKey([target.namespace])],
        );
      case "WORKSPACE":
        return [...target.namespaces].flatMap(([cluster, all]) => {
          const readable = all
            .filter((ns) => this.readable(cluster, ns))
            .map((ns) => checkName("namespace", ns));
          if (readable.length === 0) return [];
          return ask(
            cluster,
            { level: "namespace", namespaces: readable },
            readable.map((ns) => labelKey([ns])),
          );
        });
      case "POD":
        return ask(
          target.cluster,
          {
            level: "pod",
            namespaces: [checkName("namespace", target.namespace)],
            names: exactly("pod", checkName("pod", target.pod)),
          },
          [labelKey([target.namespace, target.pod])],
        );
      case "CONTAINER":
        checkName("container", target.container);
        return ask(
          target.cluster,
          {
            level: "container",
            namespaces: [checkName("namespace", target.namespace)],
            names: exactly("pod", checkName("pod", target.pod)),
          },
          [labelKey([target.namespace, target.pod, target.container])],
        );
      case "WORKLOAD":
        return this.workloadParts(target.workload, series, ask);
    }
  }

  private workloadParts(
    workload: CacheEntry,
    series: SeriesId,
    ask: (cluster: string, rest: AskFields, keys?: readonly string[]) => Part[],
  ): Part[] {
    const { cluster, namespace, name } = workload;
    checkName("namespace", namespace);
    if (series === "replicas_desired" || series === "replicas_available") {
      const replicaLevel = REPLICA_LEVEL[workload.kind];
      if (!replicaLevel) return [];
      return ask(
        cluster,
        {
          level: replicaLevel,
          namespaces: [namespace],
          names: exactly(replicaLevel, checkName("workload", name)),
        },
        [labelKey([namespace, name])],
      );
    }
    const pods = this.podsOf(workload);
    if (pods.length === 0) return [];
    const patterns: NamePattern[] = pods.map((p) => ({ exact: checkName("pod", p.name) }));
    return ask(
      cluster,
      { level: "pod", namespaces: [namespace], names: { label: "pod", patterns } },
      pods.map((pod) => labelKey([namespace, pod.name])),
    );
  }

  /** A workload's current pods, read once per request however many of its metrics are asked. */
  private podsOf(workload: CacheEntry): CacheEntry[] {
    let pods = this.workloadPods.get(workload.uid);
    if (!pods) {
      const { reader, graph, scope } = this.options;
      const { owners } = graph.podsOf(workload, scope);
      const filter = { clusters: [workload.cluster], namespaces: [workload.namespace], owners };
      this.workloadPods.set(workload.uid, (pods = collect(reader, "Pod", filter, scope)));
    }
    return pods;
  }

  /**
   * Sums the parts' values (or points, pointwise); null when no part had data or every part
   * failed. No parts at all (a workload without pods, a cluster without a Prometheus, which is
   * warned of) is no data rather than a failure: a series of nulls.
   */
  private async sum(
    parts: Part[],
    window: AlignedWindow | undefined,
  ): Promise<number | (number | null)[] | null> {
    if (parts.length === 0) return window ? new Array<number | null>(window.points).fill(null) : null;
    const answers = await Promise.all(parts.map((p) => this.answer(p.ask)));
    let total: number | null = null;
    let points: (number | null)[] | null = null;
    let answered = false;
    answers.forEach((answer, i) => {
      if (!answer) return;
      answered = true;
      const keys = parts[i]!.keys ?? [...answer.keys()];
      for (const key of keys) {
        const found = answer.get(key);
        if (found === undefined) continue;
        if (typeof found === "number") {
          if (Number.isFinite(found)) total = (total ?? 0) + found;
        } else if (window) {
          const values = alignedValues(window, found);
          points ??= new Array<number | null>(window.points).fill(null);
          values.forEach((v, j) => {
            if (v !== null) points![j] = (points![j] ?? 0) + v;
          });
        }
      }
    });
    if (window) return points ?? (answered ? new Array<number | null>(window.points).fill(null) : null);
    return total;
  }

  /** The group's answer, or undefined after reporting why the cluster's Prometheus failed. */
  private async answer(ask: SeriesAsk): Promise<SeriesAnswer | undefined> {
    try {
      return await this.batch.load(ask);
    } catch (error) {
      if (error instanceof UpstreamRefusedError) {
        this.options.outcomes.reportRefusal(ask.source.cluster, "metrics", error, "PROMETHEUS");
        return undefined;
      }
      const e = error as { code?: string; message?: string; retryable?: boolean };
      const code =
        e.code === "PROMETHEUS_TIMEOUT" || e.code === "PROMETHEUS_BAD_QUERY"
          ? e.code
          : "PROMETHEUS_UNAVAILABLE";
      this.options.outcomes.reportClusterError(
        ask.source.cluster,
        code,
        `metrics of cluster ${ask.source.cluster}: ${e.message ?? String(error)}`,
        e.retryable ?? true,
        "PROMETHEUS",
      );
      return undefined;
    }
  }

  /** Pod values summed per controlling workload (by uid), through the cache's owner chains. */
  private byWorkload(cluster: string, answer: SeriesAnswer): Map<string, number> {
    const { reader, graph, scope } = this.options;
    const out = new Map<string, number>();
    for (const [key, value] of answer) {
      if (typeof value !== "number" || !Number.isFinite(value)) continue;
      const [namespace, name] = key.split("\u0000") as [string, string];
      const pod = reader.getByName(cluster, "Pod", namespace, name, scope);
      const workload = pod && graph.controllingWorkload(pod, scope);
      if (workload) out.set(workload.uid, (out.get(workload.uid) ?? 0) + value);
    }
    return out;
  }

  private readable(cluster: string, namespace: string): boolean {
    const namespaces = this.options.scope.namespacesIn(cluster, "Pod");
    return namespaces === "*" || namespaces.has(namespace);
  }

  /** Every namespace's pods are readable: the cluster's asks may share a query with other clusters. */
  private whole(cluster: string): boolean {
    return this.options.scope.namespacesIn(cluster, "Pod") === "*";
  }

  private readableNamespaces(cluster: string): "all" | string[] {
    const namespaces = this.options.scope.namespacesIn(cluster, "Pod");
    return namespaces === "*" ? "all" : [...namespaces];
  }

  private requireNamespace(cluster: string, namespace: string): void {
    if (!this.readable(cluster, namespace))
      throw new QueryAccessError(
        "namespace",
        `you may not read the pods of namespace ${namespace} in cluster ${cluster}, so not their metrics either`,
      );
  }

  /** Cluster and node numbers include every tenant's pods: only for who may read all of them. */
  private requireClusterWide(cluster: string): void {
    const { scope } = this.options;
    if (scope.namespacesIn(cluster, "Pod") !== "*" || !scope.allowsClusterKind(cluster, "Node"))
      throw new QueryAccessError(
        "cluster",
        `cluster- and node-level metrics of cluster ${cluster} need read access to its nodes and to the pods of every namespace`,
      );
  }
}

/**
 * A raw query's failure, coded as the same failure of `usage` or `metrics` is in the cluster's
 * outcome (PROMETHEUS_BAD_QUERY with Prometheus's own message, ...), since here it is the field's.
 */
function ratio(top: number | null, bottom: number | null): number | null {
  if (top === null || bottom === null || bottom === 0) return null;
  return top / bottom;
}
