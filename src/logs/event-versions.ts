/**
 * Which stored version of an event is its newest: the store keeps one document per ADDED or
 * MODIFIED version of an Event (same uid, growing count and lastTimestamp), and event history
 * lists each event once. For the events of one page this asks each store once:
 *
 *   terms(cluster) -> terms(metadata.uid, the page's uids) -> terms(lastTimestamp, newest first, size 1)
 *
 * under the search's own query (range, Scope, filter), which gives each event's newest time among
 * the documents that match and how many documents share it. Where several share it (the event
 * was updated twice within a second, or exported twice), one more search per store, sorted as
 * NEWEST_FIRST, names the first of them: the newest version is the event's first document in the
 * NEWEST_FIRST order, whatever order the page is read in.
 */
import type { estypes } from "@elastic/elasticsearch";
import { allOf, anyOf, eitherOf, within, type Clause } from "./dsl.js";
import {
  SEARCH_OPTIONS,
  asStoreError,
  indicesFor,
  keyOf,
  sortFor,
  storeQuery,
  type SearchSpec,
  type SortKey,
  type StoreFailure,
} from "./store-search.js";
import { groupByStore, type LogTarget, type StoreGroup } from "./targets.js";
import type { TimeRange } from "./time-range.js";

export interface Newest {
  /** The newest lastTimestamp among the event's matching documents (epoch ms). */
  time: number;
  /** Documents at that time. */
  versions: number;
  /** The key of the newest document, found when several share the newest time. */
  first?: SortKey;
}

export interface VersionFields {
  /** The exact-match field of the event's uid. */
  uidField: string;
  uidOf: (source: unknown) => string | undefined;
}

export interface NewestVersions {
  /** By versionKey(cluster, uid); an event without a matching document is absent. */
  newest: Map<string, Newest>;
  failures: StoreFailure[];
  requests: number;
}

/** Ties resolved per request at most: more documents than this at one instant for one page is not history. */
const MAX_TIED_DOCUMENTS = 10_000;

export const versionKey = (cluster: string, uid: string): string => `${cluster}\u0000${uid}`;

export async function newestVersions(
  targets: readonly LogTarget[],
  spec: SearchSpec,
  fields: VersionFields,
  range: TimeRange,
  /** The uids of the page's events, by cluster. */
  wanted: ReadonlyMap<string, ReadonlySet<string>>,
  signal?: AbortSignal,
): Promise<NewestVersions> {
  const newest = new Map<string, Newest>();
  const failures: StoreFailure[] = [];
  let requests = 0;
  const groups = groupByStore(targets.filter((t) => (wanted.get(t.cluster)?.size ?? 0) > 0));
  await Promise.all(
    groups.map(async (group) => {
      const uids = new Set<string>();
      for (const t of group.targets) for (const uid of wanted.get(t.cluster) ?? []) uids.add(uid);
      const query: Clause = {
        bool: { filter: [storeQuery(group, spec, range), anyOf(fields.uidField, [...uids])] },
      };
      try {
        requests++;
        const found = await newestTimes(group, spec, fields, range, query, uids.size, signal);
        for (const [key, value] of found) newest.set(key, value);
        const tied = [...found].filter(([, n]) => n.versions > 1);
        if (tied.length === 0) return;
        requests++;
        await firstOfTies(group, spec, fields, range, query, tied, signal);
      } catch (error) {
        failures.push({ clusters: group.targets.map((t) => t.cluster), error: asStoreError(group, error) });
      }
    }),
  );
  return { newest, failures, requests };
}

interface Bucket {
  key: string | number;
  doc_count: number;
  uids?: { buckets: Bucket[] };
  newest?: { buckets: Bucket[] };
}

async function newestTimes(
  group: StoreGroup,
  spec: SearchSpec,
  fields: VersionFields,
  range: TimeRange,
  query: Clause,
  uidCount: number,
  signal: AbortSignal | undefined,
): Promise<Map<string, Newest>> {
  const perUid: Record<string, estypes.AggregationsAggregationContainer> = {
    uids: {
      terms: { field: fields.uidField, size: uidCount },
      aggs: { newest: { terms: { field: spec.timeField, size: 1, order: { _key: "desc" } } } },
    },
  };
  const clusterKeyword = group.clusterKeyword;
  const answer = await group.source.client.search<unknown>(
    {
      index: indicesFor(group, spec, range),
      ...SEARCH_OPTIONS,
      query,
      size: 0,
      aggs:
        clusterKeyword !== undefined
          ? { clusters: { terms: { field: clusterKeyword, size: group.targets.length }, aggs: perUid } }
          : perUid,
    },
    signal,
  );
  const aggregations = answer.aggregations as
    { clusters?: { buckets: Bucket[] }; uids?: { buckets: Bucket[] } } | undefined;
  const byCluster: [string, Bucket[]][] =
    clusterKeyword !== undefined
      ? (aggregations?.clusters?.buckets ?? []).map((b) => [String(b.key), b.uids?.buckets ?? []])
      : [[group.targets[0]!.cluster, aggregations?.uids?.buckets ?? []]];
  const found = new Map<string, Newest>();
  for (const [cluster, uids] of byCluster)
    for (const bucket of uids) {
      const top = bucket.newest?.buckets[0];
      if (top === undefined) continue;
      found.set(versionKey(cluster, String(bucket.key)), { time: Number(top.key), versions: top.doc_count });
    }
  return found;
}

/** Names the first document, in NEWEST_FIRST order, of each event whose newest time several share. */
async function firstOfTies(
  group: StoreGroup,
  spec: SearchSpec,
  fields: VersionFields,
  range: TimeRange,
  query: Clause,
  tied: [string, Newest][],
  signal: AbortSignal | undefined,
): Promise<void> {
  const clauses: Clause[] = tied.map(([key, n]) => {
    const [cluster, uid] = key.split("\u0000") as [string, string];
    return allOf([
      ...(group.clusterKeyword !== undefined ? [anyOf(group.clusterKeyword, [cluster])] : []),
      anyOf(fields.uidField, [uid]),
      within(spec.timeField, { start: n.time, end: n.time }),
    ]);
  });
  const size = Math.min(
    MAX_TIED_DOCUMENTS,
    tied.reduce((sum, [, n]) => sum + n.versions, 0),
  );
  const answer = await group.source.client.search<unknown>(
    {
      index: indicesFor(group, spec, range),
      ...SEARCH_OPTIONS,
      query: { bool: { filter: [query, eitherOf(clauses)] } },
      sort: sortFor(group, spec, "desc"),
      size,
    },
    signal,
  );
  const byKey = new Map(tied);
  for (const hit of answer.hits.hits) {
    const key = keyOf(group, hit);
    const uid = fields.uidOf(hit._source);
    if (!key || uid === undefined) continue;
    const n = byKey.get(versionKey(key[1], uid));
    if (n && n.first === undefined) n.first = key;
  }
}
