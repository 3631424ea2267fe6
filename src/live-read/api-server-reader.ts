/**
 * The STRONG consistency path: lists read from the API servers at request time, with
 * limit/continue, merged across clusters into one order and one opaque cursor.
 *
 * What the API servers apply: namespace (the URL), the label selector (validated, then sent in
 * canonical form), limit and continue. What is applied here: name contains and the kind's
 * predicate (phase, node, readiness, ...), which list endpoints cannot express; for the
 * Namespace kind also the namespace names.
 *
 * totalCount: an API server knows how many objects remain after a chunk (remainingItemCount)
 * only without a label selector and only for what it has not filtered, and a lazily read merge
 * does not list every stream. So the count is exact when the servers told it for every stream of
 * the first page and nothing was filtered locally, and -1 ("unknown") otherwise: the schema's
 * totalCount is non-null, and a guess would be a lie. Exact counts are what consistency CACHED
 * is for.
 */
import { matchesLabels } from "../kube/label-selector.js";
import { clusterScoped, kindOf } from "../kinds/index.js";
import type { CacheEntry, CachedKind } from "../cache/entry.js";
import { compileFilter, matchesFacets, type CompiledFilter } from "../cache/query/filter.js";
import {
  DEFAULT_PAGE_SIZE,
  LazyCursors,
  LazyPageInfo,
  MAX_PAGE_SIZE,
  QueryInputError,
  type ObjectFilter,
  type OrderBy,
  type PageArgs,
} from "../cache/query/index.js";
import { impersonationOf } from "../../auth/impersonation.js";
import type { Subject } from "../../auth/subject.js";
import type { Scope } from "../cache/scope.js";
import { formatLabelSelector } from "../kube/label-selector.js";
import type { ClusterFreshness, ClusterOutcomes, StrongPage, StrongReader } from "../query-service/index.js";
import { planStreams, type LiveFleet, type StreamPlan } from "./list-streams.js";
import { decodeMergedCursor, encodeMergedCursor, streamId, type StreamKey } from "./merged-cursor.js";
import { checkNamespaceName } from "./names.js";
import { StreamMerge } from "./stream-merge.js";
import { streamOrderFor } from "./stream-order.js";

export interface ApiServerReaderOptions {
  /** The most objects asked of one list request. Default 500 (kubectl's chunk size). */
  maxChunk?: number;
}

export class ApiServerReader implements StrongReader {
  private readonly maxChunk: number;

  constructor(
    private readonly fleet: LiveFleet,
    options: ApiServerReaderOptions = {},
  ) {
    this.maxChunk = options.maxChunk ?? 500;
  }

  async list<D>(
    kinds: readonly CachedKind[],
    filter: ObjectFilter,
    scope: Scope,
    subject: Subject,
    order: OrderBy,
    page: PageArgs,
    outcomes: ClusterOutcomes,
  ): Promise<StrongPage<D>> {
    // Every argument is checked before the first request is sent.
    const streamOrder = streamOrderFor(order);
    const take = forwardPageSize(page);
    const compiled = kinds.map((kind) =>
      compileFilter({ kind, clusterScoped: clusterScoped(kind) }, filter),
    )[0];
    if (!compiled) throw new QueryInputError("kinds", "a STRONG list needs at least one kind");
    for (const ns of compiled.namespaces ?? []) checkNamespaceName("namespaces", ns);
    const after = page.after == null ? undefined : decodeMergedCursor(page.after, streamOrder);
    const labelSelector = compiled.labelSelector ? formatLabelSelector(compiled.labelSelector) : undefined;

    const impersonate = impersonationOf(subject);
    const plan = await planStreams(this.fleet, kinds, compiled, scope, outcomes, impersonate);
    const filtersLocally =
      compiled.needle !== undefined ||
      compiled.predicate !== undefined ||
      compiled.owners !== undefined ||
      compiled.index !== undefined ||
      compiled.facets !== undefined ||
      namesLimited(plan);
    const merge = new StreamMerge(streamKeys(plan, after?.streams), {
      fleet: this.fleet,
      order: streamOrder,
      after,
      accept: localFilter(compiled, plan),
      labelSelector,
      failed: plan.failed,
      outcomes,
      impersonate,
      // Local filters drop items, so ask for more than the page needs; never past maxChunk.
      chunkSize: (needed) => Math.max(1, Math.min(this.maxChunk, needed + (filtersLocally ? 50 : 0))),
    });
    const emitted = await merge.run(take + 1);
    const kept = emitted.slice(0, take);
    const cursors = new LazyCursors(kept.length, (i) => encodeMergedCursor(streamOrder, kept[i]!.cursor));
    const total = merge.total();
    const exact =
      !after && !filtersLocally && !labelSelector && plan.failed.size === 0 && total !== undefined;
    return {
      items: kept.map((e) => e.entry as CacheEntry<D>),
      cursors,
      // Unknown (null) unless every cluster answered a plain list from its start.
      totalCount: exact ? total : null,
      pageInfo: new LazyPageInfo(
        emitted.length > take,
        // The cursor's item existed, so something came before this page.
        after !== undefined,
        cursors,
      ),
      clusters: plan.clusters.map((cluster): ClusterFreshness => ({
        cluster,
        // A live read is current by definition when the cluster answered; missing when not.
        synced: !plan.failed.has(cluster),
        staleSince: null,
        resourceVersion: merge.resourceVersions.get(cluster) ?? "",
      })),
    };
  }
}

/** STRONG lists page forward only: API servers cannot list backwards from a position. */
function forwardPageSize(page: PageArgs): number {
  for (const argument of ["last", "before"] as const) {
    if (page[argument] != null) {
      throw new QueryInputError(
        argument,
        `"${argument}" is not available with consistency STRONG: API servers list forward only; page with first/after`,
      );
    }
  }
  const first = page.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new QueryInputError(
      "first",
      `"first" must be an integer from 0 to ${MAX_PAGE_SIZE}, got ${String(first)}`,
    );
  }
  return first;
}

/**
 * The planned streams, plus the cursor's streams of clusters that failed while planning: they
 * stay in the next cursor so a later page retries them instead of silently skipping them.
 */
function streamKeys(plan: StreamPlan, resumed: readonly StreamKey[] | undefined): StreamKey[] {
  const keys = [...plan.streams];
  const known = new Set(keys.map(streamId));
  for (const s of resumed ?? []) {
    if (plan.failed.has(s.cluster) && !known.has(streamId(s))) keys.push(s);
  }
  return keys;
}

function namesLimited(plan: StreamPlan): boolean {
  for (const names of plan.namespaceNames.values()) if (names !== "*") return true;
  return false;
}

/** What the API server cannot filter: names, the kind's predicate, a relation's owners or index. */
function localFilter(filter: CompiledFilter, plan: StreamPlan): (entry: CacheEntry) => boolean {
  const { needle, predicate, owners, index } = filter;
  return (entry) => {
    if (owners !== undefined && (entry.owner === undefined || !owners.has(entry.owner.uid))) return false;
    if (index !== undefined && kindOf(entry.kind).indexes?.[index.name]?.(entry) !== index.key) return false;
    if (entry.kind === "Namespace") {
      const names = plan.namespaceNames.get(entry.cluster);
      if (names !== undefined && names !== "*" && !names.has(entry.name)) return false;
      // Namespaces read by name come without the server's label selector applied.
      if (filter.labelSelector && !matchesLabels(filter.labelSelector, entry.labels)) return false;
    }
    if (needle !== undefined && !entry.name.toLowerCase().includes(needle)) return false;
    if (!matchesFacets(filter, (name, e) => kindOf(e.kind).facets?.[name]?.(e), entry)) return false;
    return predicate === undefined || predicate(entry);
  };
}
