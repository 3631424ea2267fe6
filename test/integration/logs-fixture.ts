/**
 * What the container-log tests share: the fleet's real pods (from the simulator's stores), log
 * documents written for them with a known global order, the order the gateway must merge them
 * in (time, cluster, daily index, write order within the index — the store's `_doc`), phrase
 * matching as the store's standard analyser does it for plain words, and paging through
 * `logs` over HTTP.
 */
import { expect } from "vitest";
import { DEFAULT_LOG_STORE } from "../../src/config/index.js";
import type { SimFleet } from "../../sim/fleet.js";
import { PODS } from "../../sim/controllers/resources.js";
import { dailyIndex, writeLogLines, type LogLineDoc } from "../support/log-store.js";
import type { AuthGateway } from "./auth-gateway-fixture.js";
import type { GraphQLResponse } from "./server-fixture.js";

/** The fleet small and still: two clusters of about 30 pods, no churn, no Prometheus endpoints. */
export const LOGS_FLEET = { clusters: 2, nodes: 2, pods: 30, churn: 0, metrics: false } as const;

export interface SimPod {
  cluster: string;
  namespace: string;
  name: string;
  containers: string[];
  node: string;
  labels: Record<string, string>;
}

/** Every pod of the fleet as the simulator stores it. */
export function fleetPods(sim: SimFleet): SimPod[] {
  const out: SimPod[] = [];
  for (const cluster of sim.clusters)
    for (const pod of cluster.store.all(PODS)) {
      const spec = pod.spec as { containers: { name: string }[]; nodeName?: string };
      out.push({
        cluster: cluster.name,
        namespace: pod.metadata.namespace!,
        name: pod.metadata.name!,
        containers: spec.containers.map((c) => c.name),
        node: spec.nodeName ?? "",
        labels: { ...(pod.metadata.labels ?? {}) },
      });
    }
  return out;
}

/** A document as written, with its place in the store's write order. */
export interface WrittenDoc extends LogLineDoc {
  seq: number;
}

/** Collects documents in the order they will be written (the store's `_doc` order per index). */
export class DocBook {
  readonly docs: WrittenDoc[] = [];

  add(line: LogLineDoc): WrittenDoc {
    const doc = { ...line, seq: this.docs.length };
    this.docs.push(doc);
    return doc;
  }

  line(pod: SimPod, time: number, log: string, extra: Partial<LogLineDoc> = {}): WrittenDoc {
    return this.add({
      cluster: pod.cluster,
      namespace: pod.namespace,
      pod: pod.name,
      container: pod.containers[0]!,
      node: pod.node,
      labels: pod.labels,
      time,
      log,
      ...extra,
    });
  }

  /** Writes every document (to `urlOf(doc)`), in book order, one bulk per store. */
  async write(urlOf: (doc: WrittenDoc) => string | undefined): Promise<void> {
    const byUrl = new Map<string, WrittenDoc[]>();
    for (const doc of this.docs) {
      const url = urlOf(doc);
      if (url === undefined) continue;
      byUrl.set(url, [...(byUrl.get(url) ?? []), doc]);
    }
    for (const [url, docs] of byUrl) await writeLogLines(url, docs);
  }
}

export type Direction = "NEWEST_FIRST" | "OLDEST_FIRST";

/** The merged order the gateway promises: time, cluster, daily index, then the store's `_doc`. */
export function inOrder(docs: readonly WrittenDoc[], direction: Direction): WrittenDoc[] {
  const sign = direction === "OLDEST_FIRST" ? 1 : -1;
  const index = (d: WrittenDoc) => dailyIndex(DEFAULT_LOG_STORE.indices.logs, d.time);
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...docs].sort(
    (a, b) =>
      sign *
      (cmp(a.time, b.time) || cmp(a.cluster, b.cluster) || cmp(index(a), index(b)) || cmp(a.seq, b.seq)),
  );
}

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Whether `phrase`'s words appear in `text` consecutively, in order, whatever the case. */
export function hasPhrase(text: string, phrase: string): boolean {
  const hay = words(text);
  const needle = words(phrase);
  if (needle.length === 0) return true;
  for (let i = 0; i + needle.length <= hay.length; i++)
    if (needle.every((w, j) => hay[i + j] === w)) return true;
  return false;
}

/** The fields of a log entry the tests read. */
export const ENTRY_FIELDS = `time message clusterName namespace podName container node stream source`;

export interface Entry {
  time: string;
  message: string;
  clusterName: string;
  namespace: string;
  podName: string;
  container: string;
  node: string | null;
  stream: string | null;
  source: string;
}

export interface OutcomeShape {
  clusterName: string;
  source: string;
  error: { code: string; message: string; retryable: boolean } | null;
}

export const OUTCOME_FIELDS = `clusterName source error { code message retryable }`;

export interface EntryPage {
  edges: { cursor: string; node: Entry }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number | null;
  outcomes: OutcomeShape[];
}

export const PAGE_FIELDS = `edges { cursor node { ${ENTRY_FIELDS} } }
  pageInfo { hasNextPage endCursor } totalCount outcomes { ${OUTCOME_FIELDS} }`;

export const LOGS = `query Logs($filter: LogFilter, $first: Int, $after: String, $direction: LogDirection) {
  logs(filter: $filter, first: $first, after: $after, direction: $direction) { ${PAGE_FIELDS} }
}`;

export const HISTOGRAM = `query Histogram($filter: LogFilter, $interval: String) {
  logHistogram(filter: $filter, interval: $interval) {
    interval total buckets { time count } outcomes { ${OUTCOME_FIELDS} }
  }
}`;

/** The entry an expected document must come back as. */
export function entryOf(doc: WrittenDoc): Entry {
  return {
    time: new Date(doc.time).toISOString(),
    message: doc.log,
    clusterName: doc.cluster,
    namespace: doc.namespace,
    podName: doc.pod,
    container: doc.container,
    node: doc.node ?? "node-0",
    stream: "stdout",
    source: "LOG_STORE",
  };
}

/** An entry as compared: its time normalised to an ISO string to the millisecond. */
export function normalised(entry: Entry): Entry {
  return { ...entry, time: new Date(entry.time).toISOString() };
}

export interface PagedAll {
  entries: Entry[];
  pages: number;
  totalCounts: (number | null)[];
  responses: GraphQLResponse<{ logs: EntryPage }>[];
}

/**
 * Pages through `logs` with `first` per page until hasNextPage is false, as `user`; every page
 * must answer without errors unless `allowErrors`.
 */
export async function pageAll(
  fixture: Pick<AuthGateway, "query">,
  user: string,
  filter: Record<string, unknown>,
  first: number,
  direction: Direction,
  allowErrors = false,
): Promise<PagedAll> {
  const entries: Entry[] = [];
  const totalCounts: (number | null)[] = [];
  const responses: GraphQLResponse<{ logs: EntryPage }>[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const answer: GraphQLResponse<{ logs: EntryPage }> = await fixture.query<{ logs: EntryPage }>(
      user,
      LOGS,
      { filter, first, after, direction },
    );
    responses.push(answer);
    if (!allowErrors) expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const page = answer.data!.logs;
    expect(page.edges.length).toBeLessThanOrEqual(first);
    entries.push(...page.edges.map((e) => normalised(e.node)));
    totalCounts.push(page.totalCount);
    if (!page.pageInfo.hasNextPage) return { entries, pages, totalCounts, responses };
    expect(page.edges.length, "a page with a next page is full").toBe(first);
    after = page.pageInfo.endCursor;
    expect(after).toBe(page.edges.at(-1)!.cursor);
    if (pages > 10_000) throw new Error("paging does not end");
  }
}

/** A range covering every document of `docs` (and a second either side). */
export function rangeOf(docs: readonly { time: number }[]): { start: string; end: string } {
  const times = docs.map((d) => d.time);
  return {
    start: new Date(Math.min(...times) - 1000).toISOString(),
    end: new Date(Math.max(...times) + 1000).toISOString(),
  };
}

/** The `extensions.code` of every error of an answer. */
export const codes = (answer: GraphQLResponse): unknown[] =>
  (answer.errors ?? []).map((e) => e.extensions?.code);
