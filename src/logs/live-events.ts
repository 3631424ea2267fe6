/**
 * The live events an event-history page merges in: the Events the watch caches hold now, in the
 * clusters and namespaces the search covers (the caller's Scope for Events, narrowed by the
 * filter), matched by the same filter the store is asked with, their time (lastTimestamp) in the
 * range. Each gets a key in the store's order — [lastTimestamp, cluster, "cache", a hash of its
 * uid] — so cache and store entries interleave under one cursor scheme.
 */
import type { CacheEntry } from "../cache/entry.js";
import type { Scope } from "../cache/scope.js";
import type { ObjectFilter } from "../cache/query/types.js";
import type { EventData } from "../kinds/event.js";
import { atOffset } from "../kinds/shared.js";
import type { ObjectReader } from "../query-service/object-reader.js";
import { containsPhrase } from "./phrase-match.js";
import { compareKeys, type Order, type SortKey } from "./store-search.js";
import type { Namespaces } from "./targets.js";
import type { TimeRange } from "./time-range.js";

/** The `_index` part of a cache event's key: sorts before every daily index name ("ks-…"). */
export const CACHE_INDEX = "cache";

export interface EventMatch {
  types?: readonly string[] | undefined;
  reasons?: readonly string[] | undefined;
  involvedKinds?: readonly string[] | undefined;
  involvedNames?: readonly string[] | undefined;
  keywords: readonly string[];
}

export interface LiveEvent {
  key: SortKey;
  entry: CacheEntry<EventData>;
}

/** When the event last happened (epoch ms); creation when it says nothing (as the live list orders). */
export function lastSeen(entry: CacheEntry<EventData>): number {
  return atOffset(entry.created, entry.data.lastTimestamp) ?? entry.created;
}

/** FNV-1a of the uid, 31 bits: a stable integer where the store has its `_doc`. */
export function uidHash(uid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < uid.length; i++) {
    h ^= uid.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fffffff;
}

export function matchesEvent(match: EventMatch, d: EventData): boolean {
  const oneOf = (values: readonly string[] | undefined, value: string) =>
    values === undefined || values.includes(value);
  return (
    oneOf(match.types, d.type) &&
    oneOf(match.reasons, d.reason) &&
    oneOf(match.involvedKinds, d.involvedKind) &&
    oneOf(match.involvedNames, d.involvedName) &&
    match.keywords.every((k) => containsPhrase(d.message, k))
  );
}

/** Every matching live event of the searched clusters and namespaces, in `order`. */
export function liveEvents(
  reader: ObjectReader,
  scope: Scope,
  searched: ReadonlyMap<string, Namespaces>,
  match: EventMatch,
  range: TimeRange,
  order: Order,
): LiveEvent[] {
  const found: LiveEvent[] = [];
  for (const [cluster, namespaces] of searched) {
    const filter: ObjectFilter = {
      clusters: [cluster],
      ...(namespaces !== "*" ? { namespaces: [...namespaces] } : {}),
      predicate: (e) => matchesEvent(match, e.data as EventData),
    };
    reader.forEach<EventData>("Event", filter, scope, (entry) => {
      const time = lastSeen(entry);
      if (time < range.start || time > range.end) return;
      found.push({ key: [time, cluster, CACHE_INDEX, uidHash(entry.uid)], entry });
    });
  }
  return found.sort((a, b) => compareKeys(a.key, b.key, order) || (a.entry.uid < b.entry.uid ? -1 : 1));
}
