/**
 * One request's metric reads, gathered into as few PromQL queries as the answer allows: every
 * ask made while resolvers run in the same turn joins a group per (backend, series, level,
 * window), and each group is sent once, restricted to the union of what its askers named and
 * aggregated `by` the level's labels. A page of 50 workloads' CPU over 50 clusters is then one
 * query per Prometheus, not one per workload (DataLoader's scheduling, with groups instead of
 * keys). Clusters share a group only where the caller reads every namespace's pods: the union of
 * names asked in one cluster can then match nothing the caller may not read in another. Where
 * the Scope is narrower, each cluster is its own group.
 */
import { labelMatcher, type NamePattern } from "../backends/prometheus/promql.js";
import { GROUP_LABELS, seriesQuery, type SeriesId, type SeriesLevel } from "../backends/prometheus/series.js";
import type { RangeCache } from "./range-cache.js";
import type { MetricsSource, RangeWindow } from "./sources.js";

/** What one ask restricts the query to: "all" where the Scope reads everything of the cluster. */
export interface SeriesAsk {
  source: MetricsSource;
  series: SeriesId;
  level: SeriesLevel;
  /** Undefined: an instant query at the batch's time. */
  window?: RangeWindow;
  namespaces: "all" | readonly string[];
  /** The label naming the objects (pod, node, deployment...) and the names asked; "all" for every one. */
  names?: { label: string; patterns: readonly NamePattern[] } | "all";
  /** The caller reads every namespace's pods in this cluster: the ask may share a query with other clusters. */
  wholeCluster?: boolean;
}

/** One cluster's part of a group's answer: per label key (GROUP_LABELS values joined by NUL), a value or points. */
export type SeriesAnswer = ReadonlyMap<string, number | ReadonlyArray<readonly [number, number]>>;

interface Group {
  ask: SeriesAsk;
  clusters: Set<string>;
  namespaces: Set<string> | "all";
  nameLabel?: string;
  names: NamePattern[] | "all";
  waiters: Array<{ cluster: string; resolve: (a: SeriesAnswer) => void; reject: (e: unknown) => void }>;
}

const NO_SERIES: SeriesAnswer = new Map();

export const labelKey = (values: readonly string[]): string => values.join("\u0000");

export class QueryBatch {
  private pending = new Map<string, Group>();
  private scheduled = false;
  private sent = 0;

  constructor(
    /** Unix seconds: instant queries are evaluated then, so every number of one answer is of one moment. */
    readonly time: number,
    private readonly rangeCache?: RangeCache,
  ) {}

  /** PromQL queries this request has sent. */
  get queries(): number {
    return this.sent;
  }

  load(ask: SeriesAsk): Promise<SeriesAnswer> {
    const key = groupKey(ask);
    let group = this.pending.get(key);
    if (!group) {
      group = { ask, clusters: new Set(), namespaces: new Set(), names: [], waiters: [] };
      this.pending.set(key, group);
    }
    merge(group, ask);
    this.schedule();
    const cluster = ask.source.cluster;
    return new Promise((resolve, reject) => group.waiters.push({ cluster, resolve, reject }));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the promise jobs of this turn: every resolver of a list's items has asked by then.
    void Promise.resolve().then(() =>
      process.nextTick(() => {
        this.scheduled = false;
        const groups = [...this.pending.values()];
        this.pending = new Map();
        for (const group of groups) void this.send(group);
      }),
    );
  }

  private async send(group: Group): Promise<void> {
    try {
      const answer = await this.run(group);
      for (const w of group.waiters) w.resolve(answer.get(w.cluster) ?? NO_SERIES);
    } catch (error) {
      for (const w of group.waiters) w.reject(error);
    }
  }

  /** The group's answer per cluster. */
  private async run(group: Group): Promise<Map<string, SeriesAnswer>> {
    const { ask } = group;
    const matchers: string[] = [];
    const pin = ask.source.clusterLabel;
    if (pin)
      matchers.push(
        labelMatcher(
          pin.name,
          [...group.clusters].map((exact) => ({ exact })),
        ),
      );
    if (group.namespaces !== "all") {
      // Nothing readable: nothing to ask, and no query that could show anything.
      if (group.namespaces.size === 0) return new Map();
      matchers.push(
        labelMatcher(
          "namespace",
          [...group.namespaces].map((exact) => ({ exact })),
        ),
      );
    }
    if (group.names !== "all" && group.nameLabel) {
      if (group.names.length === 0) return new Map();
      matchers.push(labelMatcher(group.nameLabel, group.names));
    }
    const query = seriesQuery(ask.series, ask.level, matchers, pin?.name);
    const labels = GROUP_LABELS[ask.level];
    const byCluster = new Map<string, Map<string, number | Array<readonly [number, number]>>>();
    const partOf = (sample: { labels: Record<string, string> }) => {
      const cluster = pin ? (sample.labels[pin.name] ?? "") : ask.source.cluster;
      let part = byCluster.get(cluster);
      if (!part)
        byCluster.set(cluster, (part = new Map<string, number | Array<readonly [number, number]>>()));
      return part;
    };
    const { client } = ask.source;
    const window = ask.window;
    if (window) {
      const fetchRange = () => {
        this.sent++;
        return client.range(query, window);
      };
      const series = this.rangeCache
        ? await this.rangeCache.read(client.backend ?? ask.source.cluster, query, window, fetchRange)
        : await fetchRange();
      for (const s of series) partOf(s).set(labelKey(labels.map((l) => s.labels[l] ?? "")), s.points);
    } else {
      this.sent++;
      for (const s of await client.instant(query, this.time))
        partOf(s).set(labelKey(labels.map((l) => s.labels[l] ?? "")), s.value);
    }
    return byCluster;
  }
}

/** Clients by identity: clusters on one shared Prometheus have one client. */
const clientIds = new WeakMap<object, number>();
let nextClientId = 0;

function groupKey(ask: SeriesAsk): string {
  const w = ask.window;
  const { client, clusterLabel, cluster } = ask.source;
  let id = clientIds.get(client);
  if (id === undefined) clientIds.set(client, (id = nextClientId++));
  // Only a Prometheus that tells clusters apart by a label can answer several in one query.
  const who = clusterLabel && ask.wholeCluster ? `${id}/${clusterLabel.name}` : `${id}/${cluster}`;
  return [who, ask.series, ask.level, w ? `${w.start}/${w.end}/${w.step}` : "now"].join("|");
}

function merge(group: Group, ask: SeriesAsk): void {
  group.clusters.add(ask.source.cluster);
  if (ask.namespaces === "all") group.namespaces = "all";
  else if (group.namespaces !== "all") for (const ns of ask.namespaces) group.namespaces.add(ns);
  const names = ask.names ?? "all";
  if (names === "all") group.names = "all";
  else {
    group.nameLabel = names.label;
    if (group.names !== "all") group.names.push(...names.patterns);
  }
}
