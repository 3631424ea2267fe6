/**
 * What the read services use of the query engine. A type, not a class, so tests can wrap the
 * real engine (to count calls) and the STRONG path can stand in for it later.
 */
import type { CacheEntry, CachedKind } from "../cache/entry.js";
import type { QueryEngine, ObjectFilter } from "../cache/query/index.js";
import type { Scope } from "../cache/scope.js";

export type ObjectReader = Pick<QueryEngine, "query" | "get" | "getByName" | "related" | "count">;

/**
 * Calls `visit` for every entry in scope that matches `filter`, in no particular order, in ONE
 * engine call.
 *
 * Relations and summaries need "all matches" without a page limit or a sort: a batch of 1,000
 * owner uids is one pass over the owners' namespaces rather than 1,000 lookups, and a cluster
 * summary is one pass over its pods rather than one count per phase. The engine has no visitor
 * of its own, but count() calls the filter's predicate exactly once for each in-scope entry
 * that passes the rest of the filter, so the predicate visits (and answers false: nothing is
 * counted).
 */
export function forEachMatch<D>(
  reader: ObjectReader,
  kind: CachedKind,
  filter: ObjectFilter,
  scope: Scope,
  visit: (entry: CacheEntry<D>) => void,
): void {
  const outer = filter.predicate;
  const predicate = (entry: CacheEntry): boolean => {
    if (outer === undefined || outer(entry)) visit(entry as CacheEntry<D>);
    return false;
  };
  reader.count(kind, { ...filter, predicate }, scope);
}

/** The matches of forEachMatch as an array. */
export function collect<D>(
  reader: ObjectReader,
  kind: CachedKind,
  filter: ObjectFilter,
  scope: Scope,
): CacheEntry<D>[] {
  const found: CacheEntry<D>[] = [];
  forEachMatch<D>(reader, kind, filter, scope, (entry) => found.push(entry));
  return found;
}
