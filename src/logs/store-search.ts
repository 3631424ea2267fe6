/**
 * One page of entries across log stores, in one global order: time, then cluster, then the
 * store's own tie-breakers (_index, _doc). Each store is asked once per page with `search_after`
 * (never a deep from+size, which stops at 10,000), and the answers are merged. A store that
 * fails leaves its clusters out of the page and says so; it never fails the page.
 */
import type { estypes } from "@elastic/elasticsearch";
import { LogStoreError, type LogStoreErrorCode } from "../backends/logstore/errors.js";
import { UpstreamRefusedError } from "../limits/request-budget.js";
import { dailyIndices, type TimeRange } from "./time-range.js";
import { within, type Clause } from "./dsl.js";
import { groupByStore, scopeClause, type LogTarget, type StoreGroup } from "./targets.js";
import type { LogIndices } from "../config/index.js";

export type Order = "asc" | "desc";

/** time (epoch ms), cluster, index, doc: where an entry sits in the merged order. */
export type SortKey = readonly [number, string, string, number];

export interface SearchSpec {
  /** Which daily indices: the prefix among the store's configured ones. */
  prefix: (indices: LogIndices) => string;
  timeField: string;
  namespaceField: string;
  /** The filter's own clauses for one store's query (everything but time, clusters and Scope). */
  clauses: (group: StoreGroup) => Clause[];
}

export interface StoreHit {
  cluster: string;
  key: SortKey;
  source: unknown;
}

export interface StoreFailure {
  clusters: string[];
  /** The store failed, or the request's budget refused the call (never sent). */
  error: LogStoreError | UpstreamRefusedError;
}

export interface StorePage {
  hits: StoreHit[];
  hasNextPage: boolean;
  /** Every match of the search (not only this page); null unless asked for or a store failed. */
  total: number | null;
  failures: StoreFailure[];
  /** Requests sent to stores for this page. */
  requests: number;
}

export interface PageRequest {
  range: TimeRange;
  first: number;
  after?: SortKey;
  order: Order;
  countTotal: boolean;
  signal?: AbortSignal;
}

// Sort values beyond every real one, so that `search_after` can start at a time, ties included or not.
const HIGHEST_INDEX = "\uffff";
const LOWEST_INDEX = "";
const HIGHEST_DOC = 2_147_483_647;
const LOWEST_DOC = -1;

export function compareKeys(a: SortKey, b: SortKey, order: Order): number {
  const sign = order === "asc" ? 1 : -1;
  for (let i = 0; i < 4; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return (x < y ? -1 : 1) * sign;
  }
  return 0;
}

/** Where a store's search resumes after `after` (a cluster's own store has no cluster in its sort). */
function searchAfterFor(group: StoreGroup, after: SortKey, order: Order): estypes.SortResults | undefined {
  const [time, cluster, index, doc] = after;
  if (group.clusterKeyword !== undefined) return [time, cluster, index, doc];
  const own = group.targets[0]!.cluster;
  if (own === cluster) return [time, index, doc];
  // Every entry of this cluster at `time` comes after the cursor when its name sorts after the
  // cursor's cluster: resume just before that instant; otherwise just after it.
  const tiesFollow = order === "asc" ? own > cluster : own < cluster;
  const low = [LOWEST_INDEX, LOWEST_DOC] as const;
  const high = [HIGHEST_INDEX, HIGHEST_DOC] as const;
  if (order === "asc") return tiesFollow ? [time - 1, ...high] : [time, ...high];
  return tiesFollow ? [time + 1, ...low] : [time, ...low];
}

export function sortFor(group: StoreGroup, spec: SearchSpec, order: Order): estypes.Sort {
  return [
    { [spec.timeField]: { order } },
    ...(group.clusterKeyword !== undefined ? [{ [group.clusterKeyword]: { order } }] : []),
    { _index: { order } },
    { _doc: { order } },
  ];
}

/** The bool filter every request of the search shares for one store: time, Scope, filter. */
export function storeQuery(group: StoreGroup, spec: SearchSpec, range: TimeRange): Clause {
  const scope = scopeClause(group, spec.namespaceField);
  return {
    bool: { filter: [within(spec.timeField, range), ...(scope ? [scope] : []), ...spec.clauses(group)] },
  };
}

export function indicesFor(group: StoreGroup, spec: SearchSpec, range: TimeRange): string {
  return dailyIndices(spec.prefix(group.source.indices), range).join(",");
}

/**
 * What every search sends: days with no index yet are simply empty; and an answer missing a
 * shard is an error, not a short page — a cursor moved past a shard that did not answer would
 * never show its entries (Elasticsearch returns partial results by default).
 */
export const SEARCH_OPTIONS = {
  ignore_unavailable: true,
  allow_no_indices: true,
  allow_partial_search_results: false,
} as const;

export async function searchPage(
  targets: readonly LogTarget[],
  spec: SearchSpec,
  request: PageRequest,
): Promise<StorePage> {
  const groups = groupByStore(targets);
  const size = request.first + 1;
  const failures: StoreFailure[] = [];
  let total: number | null = request.countTotal ? 0 : null;
  const answers = await Promise.all(
    groups.map(async (group) => {
      const after = request.after ? searchAfterFor(group, request.after, request.order) : undefined;
      try {
        const answer = await group.source.client.search(
          {
            index: indicesFor(group, spec, request.range),
            ...SEARCH_OPTIONS,
            query: storeQuery(group, spec, request.range),
            sort: sortFor(group, spec, request.order),
            size,
            track_total_hits: request.countTotal,
            ...(after ? { search_after: after } : {}),
          },
          request.signal,
        );
        return { group, answer };
      } catch (error) {
        failures.push({ clusters: group.targets.map((t) => t.cluster), error: asStoreError(group, error) });
        return undefined;
      }
    }),
  );
  const hits: StoreHit[] = [];
  for (const done of answers) {
    if (!done) continue;
    const { group, answer } = done;
    if (total !== null) total += totalOf(answer.hits.total);
    for (const hit of answer.hits.hits) {
      const key = keyOf(group, hit);
      if (key) hits.push({ cluster: key[1], key, source: hit._source });
    }
  }
  hits.sort((a, b) => compareKeys(a.key, b.key, request.order));
  const hasNextPage = hits.length > request.first;
  return {
    hits: hits.slice(0, request.first),
    hasNextPage,
    total: failures.length > 0 ? null : total,
    failures,
    requests: groups.length,
  };
}

export function keyOf(group: StoreGroup, hit: estypes.SearchHit): SortKey | undefined {
  const sort: readonly unknown[] = hit.sort ?? [];
  const time = Number(sort[0]);
  if (!Number.isFinite(time)) return undefined;
  if (group.clusterKeyword !== undefined) {
    const [, cluster, index, doc] = sort;
    return [
      time,
      typeof cluster === "string" ? cluster : String(cluster),
      typeof index === "string" ? index : hit._index,
      Number(doc),
    ];
  }
  const [, index, doc] = sort;
  return [time, group.targets[0]!.cluster, typeof index === "string" ? index : hit._index, Number(doc)];
}

function totalOf(total: estypes.SearchTotalHits | number | undefined): number {
  if (total === undefined) return 0;
  return typeof total === "number" ? total : total.value;
}

export function asStoreError(group: StoreGroup, error: unknown): LogStoreError | UpstreamRefusedError {
  if (error instanceof LogStoreError || error instanceof UpstreamRefusedError) return error;
  const code: LogStoreErrorCode = "LOG_STORE_UNAVAILABLE";
  const text = error instanceof Error ? error.message : String(error);
  return new LogStoreError(
    code,
    group.source.client.backend,
    `the log store at ${group.source.client.backend} failed: ${text}`,
    {
      retryable: true,
      cause: error,
    },
  );
}
