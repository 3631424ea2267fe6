/**
 * The STRONG consistency path: lists read from the API servers at request time with
 * limit/continue, merged into one cursor. Implemented elsewhere (it needs the cluster
 * connections); the read services only delegate to it.
 */
import type { CacheEntry, CachedKind } from "../cache/entry.js";
import type { ObjectFilter, OrderBy, PageArgs, PageCursors, PageInfo } from "../cache/query/index.js";
import type { Subject } from "../../auth/subject.js";
import type { Scope } from "../cache/scope.js";
import type { ClusterFreshness } from "./fleet-view.js";
import type { ClusterOutcomes } from "./outcomes.js";

export interface StrongPage<D = unknown> {
  items: CacheEntry<D>[];
  cursors: PageCursors;
  /** Null when it cannot be known: a cluster failed, or the list was filtered or resumed. */
  totalCount: number | null;
  pageInfo: PageInfo;
  /** Each cluster read; `synced: false` for one that failed (its problem is in the outcomes). */
  clusters: ClusterFreshness[];
}

export interface StrongReader {
  /**
   * One list over `kinds` (several for workloads), merged into one order and cursor, read from
   * the API servers on behalf of `subject` (each cluster checks its own RBAC against it too).
   */
  list<D>(
    kinds: readonly CachedKind[],
    filter: ObjectFilter,
    scope: Scope,
    subject: Subject,
    order: OrderBy,
    page: PageArgs,
    outcomes: ClusterOutcomes,
  ): Promise<StrongPage<D>>;
}
