/**
 * Event history: the events index of the log stores merged with the live events in the watch
 * caches, each event listed ONCE, at its newest version, in one order (lastTimestamp, cluster,
 * then the store's _index and _doc; a live event sorts as index "cache" with a hash of its uid).
 *
 * What is listed. The matching versions S are the store's documents and the caches' events that
 * the filter, the range and the Scope admit (the Scope: namespaces where the caller may read
 * Events, by the event's own namespace, as the live `events` list). Each event (cluster + uid) is
 * shown once, as its newest version in S: the cache's event when it is in S and at least as new
 * as every stored version (the cache is current; the exporter feeds the store behind it), else
 * its first stored version in the NEWEST_FIRST order (see event-versions.ts). So an event seen
 * live appears with its current count, and an event Kubernetes has since forgotten appears with
 * the last count the store recorded.
 *
 * How a page is made. Candidates after the cursor come from the store (`searchPage`, the next
 * `first + 1` documents) and from the caches (every live event in S, filtered here), merged in
 * order up to the store's horizon (its last document when it has more: later live events cannot
 * be placed yet). One more request per store asks for the newest version of each candidate's
 * event (event-versions.ts); candidates that are not their event's newest version are dropped.
 * When drops leave the page short, the next run of documents is read after the horizon (twice
 * as many each time, at most MAX_ROUNDS runs). Because whether a version is shown depends only on
 * S, never on the page it lands on, paging with the cursors gives each event once, in order, as
 * long as S does not change meanwhile (a version fed after a page was read may show its event
 * again, at its new place, in an OLDEST_FIRST walk).
 *
 * `totalCount` is null: counting distinct events across stores and caches would read them all.
 * The histogram counts stored documents (versions), not distinct events.
 */
import type { CacheEntry } from "../cache/entry.js";
import { QueryInputError } from "../cache/query/errors.js";
import type { EventData } from "../kinds/event.js";
import { atOffset } from "../kinds/shared.js";
import type { PageOutcome } from "../query-service/outcomes.js";
import { encodeEntryCursor } from "./cursor.js";
import { listed, phrase, type Clause } from "./dsl.js";
import {
  checkKeywords,
  pagePosition,
  storeHistogram,
  type EntryPage,
  type EntryPageRequest,
  type EntrySearchOptions,
} from "./entry-search.js";
import { newestVersions, versionKey, type Newest } from "./event-versions.js";
import { EVENT_FIELDS, pathValue, stringAt } from "./fields.js";
import type { Histogram } from "./histogram.js";
import { lastSeen, liveEvents, type EventMatch, type LiveEvent } from "./live-events.js";
import {
  checkValues,
  recordFailures,
  searchTargets,
  storeOutcomes,
  type ScopeFilter,
} from "./search-scope.js";
import {
  compareKeys,
  searchPage,
  type Order,
  type SearchSpec,
  type SortKey,
  type StoreFailure,
} from "./store-search.js";
import type { LogTarget } from "./targets.js";
import { resolveRange, type TimeRange, type TimeRangeInput } from "./time-range.js";

export interface EventHistoryFilter extends ScopeFilter {
  range?: TimeRangeInput | null;
  involvedKinds?: string[] | null;
  involvedNames?: string[] | null;
  reasons?: string[] | null;
  /** "Normal", "Warning". */
  types?: string[] | null;
  /** Each must appear in the message as a phrase. */
  keywords?: string[] | null;
}

export interface InvolvedRef {
  kind: string;
  name: string;
  namespaceName: string;
  uid: string | null;
}

export interface EventHistoryEntry {
  /** When it last happened (lastTimestamp): its place in the order. */
  time: Date;
  firstTimestamp: Date | null;
  count: number;
  type: string;
  reason: string;
  message: string;
  involvedObject: InvolvedRef;
  /** The reporting component ("kubelet"). */
  sourceComponent: string | null;
  cluster: string;
  /** The Event object's own namespace and name. */
  namespace: string;
  name: string;
  uid: string;
  source: "LOG_STORE" | "CACHE";
  cursor: string;
}

/** Runs of stored documents read for one page at most, and the longest run. */
const MAX_ROUNDS = 6;
const MAX_BATCH = 5000;
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;

const VERSION_FIELDS = {
  uidField: EVENT_FIELDS.uid,
  uidOf: (source: unknown) => stringAt(source, "metadata.uid"),
};

/** A version that may be shown: a stored document or a live event. */
interface Candidate {
  key: SortKey;
  cluster: string;
  /** Undefined: a stored document without a uid, shown as it is. */
  uid: string | undefined;
  stored?: unknown;
  live?: CacheEntry<EventData>;
}

export class EventHistory {
  private readonly now: () => number;

  constructor(private readonly options: EntrySearchOptions) {
    this.now = options.now ?? Date.now;
  }

  async page(filter: EventHistoryFilter, request: EntryPageRequest): Promise<EntryPage<EventHistoryEntry>> {
    const { order, first, after } = pagePosition(request, "events");
    const { spec, searched, range, match } = this.prepare(filter);
    const { reader } = this.options.services;
    const live = liveEvents(reader, this.options.scope, searched.namespaces, match, range, order);
    const liveByEvent = new Map(live.map((l) => [versionKey(l.entry.cluster, l.entry.uid), l]));
    const signal = this.options.signal;
    const failures: StoreFailure[] = [];
    let targets: readonly LogTarget[] = searched.targets;
    const kept: Candidate[] = [];
    let cursor = after;
    let batch = first + 1;
    let requests = 0;
    let more = false;
    let resumeAt: SortKey | undefined;
    for (let round = 1; ; round++) {
      const stored =
        targets.length > 0
          ? await searchPage(targets, spec, {
              range,
              first: batch,
              order,
              countTotal: false,
              ...(cursor ? { after: cursor } : {}),
              ...(signal ? { signal } : {}),
            })
          : { hits: [], hasNextPage: false, failures: [], requests: 0 };
      requests += stored.requests;
      targets = this.withoutFailed(targets, stored.failures, failures);
      const horizon = stored.hasNextPage ? stored.hits.at(-1)?.key : undefined;
      const candidates = merged(
        stored.hits.map((h) => ({
          key: h.key,
          cluster: h.cluster,
          uid: stringAt(h.source, "metadata.uid"),
          stored: h.source,
        })),
        live.filter((l) => within(l.key, cursor, horizon, order)).map(liveCandidate),
        order,
      );
      const versions = await newestVersions(
        targets,
        spec,
        VERSION_FIELDS,
        range,
        eventsOf(candidates),
        signal,
      );
      requests += versions.requests;
      const failed = new Set(versions.failures.flatMap((f) => f.clusters));
      targets = this.withoutFailed(targets, versions.failures, failures);
      for (const c of candidates) {
        // A store that failed the check leaves its documents out, as a store failing the search would.
        if (c.stored !== undefined && failed.has(c.cluster)) continue;
        if (!isNewestVersion(c, versions.newest, liveByEvent)) continue;
        kept.push(c);
        if (kept.length > first) break;
      }
      if (kept.length > first) {
        more = true;
        break;
      }
      if (horizon === undefined) break;
      cursor = horizon;
      if (round >= MAX_ROUNDS) {
        more = true;
        resumeAt = horizon;
        break;
      }
      batch = Math.min(batch * 2, MAX_BATCH);
    }
    recordFailures(this.options.outcomes, searched, failures);
    return {
      entries: kept.slice(0, first).map((c) => toEntry(c, order)),
      hasNextPage: more,
      totalCount: null,
      outcomes: storeOutcomes(this.options.outcomes, searched),
      requests,
      ...(resumeAt ? { endCursor: encodeEntryCursor(resumeAt, order, "events") } : {}),
    };
  }

  /** Stored documents (versions) per interval. */
  async histogram(
    filter: EventHistoryFilter,
    interval: string | null | undefined,
  ): Promise<Histogram & { outcomes: PageOutcome[] }> {
    return storeHistogram(this.options, this.prepare(filter), interval);
  }

  private prepare(filter: EventHistoryFilter) {
    const range: TimeRange = resolveRange(filter.range, this.now());
    const { spec, match } = eventSpec(filter);
    const searched = searchTargets(this.options, filter, "Event");
    return { spec, searched, range, match };
  }

  /** Leaves out the clusters of failed stores for the rest of the page; remembers the failures. */
  private withoutFailed(
    targets: readonly LogTarget[],
    failed: readonly StoreFailure[],
    all: StoreFailure[],
  ): readonly LogTarget[] {
    if (failed.length === 0) return targets;
    const known = new Set(all.flatMap((f) => f.clusters));
    for (const f of failed) if (!f.clusters.some((c) => known.has(c))) all.push(f);
    const out = new Set(failed.flatMap((f) => f.clusters));
    return targets.filter((t) => !out.has(t.cluster));
  }
}

/** The filter, validated, as store clauses (values as terms, keywords as phrases) and as the caches' match. */
export function eventSpec(filter: EventHistoryFilter): { spec: SearchSpec; match: EventMatch } {
  checkValues("filter.involvedKinds", filter.involvedKinds, 63);
  for (const kind of filter.involvedKinds ?? [])
    if (!KIND.test(kind))
      throw new QueryInputError(
        "filter.involvedKinds",
        `filter.involvedKinds has "${kind.slice(0, 80)}", which is not a kind name (letters and digits, starting with a letter)`,
      );
  checkValues("filter.involvedNames", filter.involvedNames, 253);
  checkValues("filter.reasons", filter.reasons, 128);
  checkValues("filter.types", filter.types, 32);
  const keywords = checkKeywords(filter.keywords);
  const given = (values: string[] | null | undefined) => values ?? undefined;
  const match: EventMatch = {
    types: given(filter.types),
    reasons: given(filter.reasons),
    involvedKinds: given(filter.involvedKinds),
    involvedNames: given(filter.involvedNames),
    keywords,
  };
  const clauses: Clause[] = [
    ...listed(EVENT_FIELDS.type, filter.types),
    ...listed(EVENT_FIELDS.reason, filter.reasons),
    ...listed(EVENT_FIELDS.involvedKind, filter.involvedKinds),
    ...listed(EVENT_FIELDS.involvedName, filter.involvedNames),
    ...keywords.map((k) => phrase(EVENT_FIELDS.message, k)),
  ];
  const spec: SearchSpec = {
    prefix: (indices) => indices.events,
    timeField: EVENT_FIELDS.time,
    namespaceField: EVENT_FIELDS.namespace,
    clauses: () => clauses,
  };
  return { spec, match };
}

/** An empty list matches nothing, as every list of a filter. */
function liveCandidate(l: LiveEvent): Candidate {
  return { key: l.key, cluster: l.entry.cluster, uid: l.entry.uid, live: l.entry };
}

/** After the cursor, and not past the horizon (the last stored document read, when more follow). */
function within(key: SortKey, cursor: SortKey | undefined, horizon: SortKey | undefined, order: Order) {
  return (
    (cursor === undefined || compareKeys(key, cursor, order) > 0) &&
    (horizon === undefined || compareKeys(key, horizon, order) <= 0)
  );
}

function merged(stored: Candidate[], live: Candidate[], order: Order): Candidate[] {
  return [...stored, ...live].sort((a, b) => compareKeys(a.key, b.key, order));
}

function eventsOf(candidates: readonly Candidate[]): Map<string, Set<string>> {
  const byCluster = new Map<string, Set<string>>();
  for (const c of candidates) {
    if (c.uid === undefined) continue;
    let uids = byCluster.get(c.cluster);
    if (!uids) byCluster.set(c.cluster, (uids = new Set()));
    uids.add(c.uid);
  }
  return byCluster;
}

/** Whether `c` is its event's newest version among the matching ones (see the header). */
function isNewestVersion(
  c: Candidate,
  newest: ReadonlyMap<string, Newest>,
  liveByEvent: ReadonlyMap<string, LiveEvent>,
): boolean {
  if (c.uid === undefined) return true;
  const event = versionKey(c.cluster, c.uid);
  const stored = newest.get(event);
  if (c.live) return stored === undefined || c.key[0] >= stored.time;
  const live = liveByEvent.get(event);
  if (live && (stored === undefined || live.key[0] >= stored.time)) return false;
  // Not found by the check: the store changed between the two requests; show what was read.
  if (stored === undefined) return true;
  if (c.key[0] !== stored.time) return false;
  if (stored.versions === 1 || stored.first === undefined) return true;
  return compareKeys(stored.first, c.key, "desc") === 0;
}

function toEntry(c: Candidate, order: Order): EventHistoryEntry {
  const cursor = encodeEntryCursor(c.key, order, "events");
  if (c.live) {
    const d = c.live.data;
    const first = atOffset(c.live.created, d.firstTimestamp);
    return {
      time: new Date(lastSeen(c.live)),
      firstTimestamp: first === undefined ? null : new Date(first),
      count: d.count,
      type: d.type,
      reason: d.reason,
      message: d.message,
      involvedObject: {
        kind: d.involvedKind,
        name: d.involvedName,
        namespaceName: d.involvedNamespace,
        uid: d.involvedUid ?? null,
      },
      sourceComponent: d.source ?? null,
      cluster: c.cluster,
      namespace: c.live.namespace,
      name: c.live.name,
      uid: c.live.uid,
      source: "CACHE",
      cursor,
    };
  }
  const s = c.stored;
  const first = Date.parse(stringAt(s, "firstTimestamp") ?? stringAt(s, "eventTime") ?? "");
  const count = pathValue(s, "count");
  return {
    time: new Date(c.key[0]),
    firstTimestamp: Number.isFinite(first) ? new Date(first) : null,
    count: typeof count === "number" ? count : 1,
    type: stringAt(s, "type") ?? "Normal",
    reason: stringAt(s, "reason") ?? "",
    message: stringAt(s, "message") ?? "",
    involvedObject: {
      kind: stringAt(s, "involvedObject.kind") ?? "",
      name: stringAt(s, "involvedObject.name") ?? "",
      namespaceName: stringAt(s, "involvedObject.namespace") ?? "",
      uid: stringAt(s, "involvedObject.uid") ?? null,
    },
    sourceComponent: stringAt(s, "source.component") ?? stringAt(s, "reportingComponent") ?? null,
    cluster: c.cluster,
    namespace: stringAt(s, "metadata.namespace") ?? "",
    name: stringAt(s, "metadata.name") ?? "",
    uid: c.uid ?? "",
    source: "LOG_STORE",
    cursor,
  };
}
