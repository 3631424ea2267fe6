/**
 * The STRONG consistency path: lists read from the API servers at request time with
 * limit/continue, merged into one cursor. Implemented elsewhere (it needs the cluster
 * connections); the read services only delegate to it.
 */
import type { CachedKind } from "../cache/entry.js";
import type { ObjectFilter, OrderBy, PageArgs } from "../cache/query/index.js";
import type { Scope } from "../cache/scope.js";
import type { ListPage } from "./list-request.js";
import type { ClusterOutcomes } from "./outcomes.js";

export interface StrongReader {
  /** One list over `kinds` (several for workloads), merged into one order and cursor. */
  list<D>(
    kinds: readonly CachedKind[],
    filter: ObjectFilter,
    scope: Scope,
    order: OrderBy,
    page: PageArgs,
    outcomes: ClusterOutcomes,
  ): Promise<ListPage<D>>;
}
