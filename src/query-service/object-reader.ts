/**
 * What the read services use of the query engine. A type, not a class, so tests can wrap the
 * real engine (to count calls) and the STRONG path can stand in for it later.
 */
import type { CacheEntry, CachedKind } from "../cache/entry.js";
import type { QueryEngine, ObjectFilter } from "../cache/query/index.js";
import type { Scope } from "../cache/scope.js";

export type ObjectReader = Pick<QueryEngine, "query" | "get" | "getByName" | "count" | "forEach">;

/** Every entry in scope that matches `filter`, in no particular order, in one engine pass. */
export function collect<D>(
  reader: ObjectReader,
  kind: CachedKind,
  filter: ObjectFilter,
  scope: Scope,
): CacheEntry<D>[] {
  const found: CacheEntry<D>[] = [];
  reader.forEach<D>(kind, filter, scope, (entry) => found.push(entry));
  return found;
}
