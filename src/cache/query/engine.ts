/**
 * Reads across the fleet's caches: filter, order and page one kind over every cluster the caller
 * may read, with the Scope applied inside (clusters and namespaces outside it are never visited,
 * never counted and never returned by get, getByName or forEach).
 *
 * When the stores can count the filter (namespaces, labels, one facet: ordered-read.ts), a page of
 * N costs about N steps of a k-way merge over the stores' sorted entries and totalCount comes
 * from their facet counts. Otherwise a page of N costs one pass over the candidate entries (which
 * is also how totalCount is counted) plus a bounded heap of N: matches are never all collected or
 * sorted.
 */
import { matchesLabels } from "../../kube/label-selector.js";
import type { CacheEntry, CachedKind } from "../entry.js";
import type { FleetIndex } from "../fleet-index.js";
import type { IndexedStore } from "../indexed-store.js";
import type { Scope } from "../scope.js";
import { encodeCursor } from "./cursor.js";
import {
  compileFilter,
  hasEntryConditions,
  matchesEntry,
  type CompiledFilter,
  type EntryKeys,
} from "./filter.js";
import { orderingFor } from "./order.js";
import {
  countable,
  countFromPostings,
  countKey,
  sharesOf,
  orderedPage,
  sortable,
  type ClusterCount,
} from "./ordered-read.js";
import { LazyCursors, LazyPageInfo } from "./page-cursors.js";
import { resolvePage } from "./page.js";
import {
  inNamespaces,
  intersect,
  labelAlternatives,
  planFor,
  readableNamespaces,
  relationAlternatives,
  type Plan,
} from "./plan.js";
import { TopN } from "./top-n.js";
import type { ObjectFilter, OrderBy, PageArgs, QueryResult } from "./types.js";

/** Whether one entry is readable under `scope` and matches a compiled filter. */
export type EntryMatcher = (entry: CacheEntry, scope: Scope) => boolean;

export interface QueryEngineOptions {
  /** A cluster's labels, for ObjectFilter.clusterSelector. */
  clusterLabels: (cluster: string) => Record<string, string>;
  /** Whether a cluster is in the fleet now: stores of any other cluster (being dropped) are not read. */
  isKnown: (cluster: string) => boolean;
}

export class QueryEngine {
  constructor(
    private readonly index: FleetIndex,
    private readonly options: QueryEngineOptions,
  ) {}

  query<D>(
    kind: CachedKind,
    filter: ObjectFilter,
    scope: Scope,
    order: OrderBy,
    page: PageArgs,
  ): QueryResult<D> {
    const compiled = this.compile(kind, filter);
    const ordering = orderingFor(order);
    const list = page.list ?? kind;
    const window = resolvePage(page, list, order.field);
    const counted = sortable(order, this.index.spec(kind).orderKeys?.[order.field])
      ? this.counted(kind, compiled, scope)
      : undefined;
    if (counted) {
      const found = orderedPage(
        counted.clusters,
        compiled,
        ordering,
        `${order.field}:${order.direction}`,
        window,
      );
      const cursors = new LazyCursors(found.items.length, (i) =>
        encodeCursor(list, order.field, found.keys[i]!, found.items[i]!),
      );
      return {
        items: found.items as CacheEntry<D>[],
        cursors,
        totalCount: counted.total,
        pageInfo: new LazyPageInfo(found.hasNextPage, found.hasPreviousPage, cursors),
      };
    }
    // Otherwise one pass over the planned buckets counts every match and keeps the page's.
    const { after, before } = window;
    const compare = ordering.compare;
    const selection = new TopN(
      window.take,
      window.from === "FIRST" ? compare : (ka, a, kb, b) => compare(kb, b, ka, a),
    );

    let totalCount = 0;
    let beforeWindow = 0;
    let afterWindow = 0;
    let inWindow = 0;
    this.scan(kind, compiled, scope, (entry) => {
      totalCount++;
      const key = ordering.keyOf(entry);
      if (after && compare(key, entry, after.key, after) <= 0) beforeWindow++;
      else if (before && compare(key, entry, before.key, before) >= 0) afterWindow++;
      else {
        inWindow++;
        selection.offer(key, entry);
      }
    });

    const { keys, items } = selection.drain();
    if (window.from === "LAST") {
      keys.reverse();
      items.reverse();
    }
    const cursors = new LazyCursors(items.length, (i) =>
      encodeCursor(list, order.field, keys[i]!, items[i]!),
    );
    // Relay's HasPreviousPage/HasNextPage, with the optional "elements exist beyond the cursor"
    // answers given, since the pass above counted them anyway.
    const more = inWindow > window.take;
    return {
      items: items as CacheEntry<D>[],
      cursors,
      totalCount,
      pageInfo: new LazyPageInfo(
        window.from === "FIRST" ? more : before !== undefined && afterWindow > 0,
        window.from === "LAST" ? more : after !== undefined && beforeWindow > 0,
        cursors,
      ),
    };
  }

  count(kind: CachedKind, filter: ObjectFilter, scope: Scope): number {
    const compiled = this.compile(kind, filter);
    const counted = this.counted(kind, compiled, scope);
    if (counted) return counted.total;
    let total = 0;
    if (!hasEntryConditions(compiled)) {
      // Nothing to test per entry: the planned buckets' sizes are the answer.
      for (const plan of this.plans(kind, compiled, scope)) {
        if (plan.namespaceCheck === undefined) total += plan.visits;
        else for (const source of plan.sources) for (const e of source) if (inNamespaces(plan, e)) total++;
      }
      return total;
    }
    this.scan(kind, compiled, scope, () => total++);
    return total;
  }

  /**
   * Calls `visit` for every entry in scope that matches `filter`, in no particular order: what
   * relations and summaries need when they want every match without a page or a sort (a batch
   * of 1,000 owner uids is one pass over their namespaces, not 1,000 lookups).
   */
  forEach<D>(
    kind: CachedKind,
    filter: ObjectFilter,
    scope: Scope,
    visit: (entry: CacheEntry<D>) => void,
  ): void {
    this.scan(kind, this.compile(kind, filter), scope, visit as (entry: CacheEntry) => void);
  }

  get<D>(cluster: string, kind: CachedKind, uid: string, scope: Scope): CacheEntry<D> | undefined {
    if (!this.readable(cluster, kind, scope)) return undefined;
    const entry = this.index.find(cluster, kind)?.get(uid);
    if (!entry || !(scope.unrestricted || scope.allows(cluster, kind, entry.namespace, entry.name)))
      return undefined;
    return entry as CacheEntry<D>;
  }

  getByName<D>(
    cluster: string,
    kind: CachedKind,
    namespace: string,
    name: string,
    scope: Scope,
  ): CacheEntry<D> | undefined {
    if (!this.readable(cluster, kind, scope)) return undefined;
    if (!scope.unrestricted && !scope.allows(cluster, kind, namespace, name)) return undefined;
    return this.index.find(cluster, kind)?.getByName(namespace, name) as CacheEntry<D> | undefined;
  }

  /**
   * The test `forEach` applies, for one entry at a time and the Scope of the moment: what a
   * subscription asks of every change (the entry may be one the store no longer holds).
   */
  matcher(kind: CachedKind, filter: ObjectFilter): EntryMatcher {
    const compiled = this.compile(kind, filter);
    const byName = kind === "Namespace";
    const clusterScoped = this.index.clusterScoped(kind);
    const entryConditions = hasEntryConditions(compiled);
    const keys: EntryKeys = {
      foldedName: (entry) => entry.name.toLowerCase(),
      facetKey: (name, entry) => this.index.spec(kind).facets?.[name]?.(entry),
      indexKey: (name, entry) => this.index.find(entry.cluster, kind)?.indexKey(name, entry),
    };
    return (entry, scope) => {
      const cluster = entry.cluster;
      if (!this.options.isKnown(cluster)) return false;
      if (compiled.clusters && !compiled.clusters.has(cluster)) return false;
      if (
        compiled.clusterSelector &&
        !matchesLabels(compiled.clusterSelector, this.options.clusterLabels(cluster))
      )
        return false;
      // Nodes and volumes: "*" or undefined; namespaces by their own name.
      const readable = readableNamespaces(scope, cluster, { kind, clusterScoped });
      if (readable === undefined) return false;
      const namespace = byName ? entry.name : entry.namespace;
      if (readable !== "*" && !readable.has(namespace)) return false;
      if (compiled.namespaces && !compiled.namespaces.has(namespace)) return false;
      return !entryConditions || matchesEntry(compiled, keys, entry);
    };
  }

  /**
   * Every cluster's matches counted from its store's facet counts, without a scan; undefined when
   * the filter has parts the counts cannot answer (the callers scan then).
   */
  private counted(
    kind: CachedKind,
    filter: CompiledFilter,
    scope: Scope,
  ): { clusters: ClusterCount[]; total: number } | undefined {
    if (!countable(filter, kind)) return undefined;
    const clusters: ClusterCount[] = [];
    let total = 0;
    const key = countKey(filter);
    for (const whole of this.plans(kind, filter, scope)) {
      for (const { plan, namespace } of sharesOf(whole)) {
        const matches = countFromPostings(plan, filter, key);
        if (matches === undefined) return undefined;
        total += matches;
        if (matches > 0) clusters.push({ plan, matches, namespace });
      }
    }
    return { clusters, total };
  }

  /** Calls `visit` for every entry in scope that matches the filter, in no particular order. */
  private scan(
    kind: CachedKind,
    filter: CompiledFilter,
    scope: Scope,
    visit: (entry: CacheEntry) => void,
  ): void {
    const entryConditions = hasEntryConditions(filter);
    for (const plan of this.plans(kind, filter, scope)) {
      const { store } = plan;
      const checkNamespaces = plan.namespaceCheck !== undefined;
      for (const source of plan.sources) {
        for (const entry of source) {
          if (checkNamespaces && !inNamespaces(plan, entry)) continue;
          if (entryConditions && !matchesEntry(filter, store, entry)) continue;
          visit(entry);
        }
      }
    }
  }

  /** One plan per cluster to visit: in scope first, then the filter's clusters and selector. */
  private *plans(kind: CachedKind, filter: CompiledFilter, scope: Scope): Generator<Plan> {
    for (const { cluster, store } of this.candidateStores(kind, filter)) {
      if (!this.options.isKnown(cluster)) continue;
      const readable = readableNamespaces(scope, cluster, store);
      if (readable === undefined) continue;
      if (filter.clusters && !filter.clusters.has(cluster)) continue;
      if (
        filter.clusterSelector &&
        !matchesLabels(filter.clusterSelector, this.options.clusterLabels(cluster))
      ) {
        continue;
      }
      const plan = planFor(store, intersect(readable, filter.namespaces), [
        ...labelAlternatives(store, filter.labelSelector),
        ...relationAlternatives(store, filter.owners, filter.index),
      ]);
      if (plan) yield plan;
    }
  }

  /** A filter naming clusters is served from those clusters' stores alone, without a walk of the fleet. */
  private candidateStores(
    kind: CachedKind,
    filter: CompiledFilter,
  ): { cluster: string; store: IndexedStore }[] {
    if (!filter.clusters) return this.index.stores(kind);
    const out: { cluster: string; store: IndexedStore }[] = [];
    for (const cluster of filter.clusters) {
      const store = this.index.find(cluster, kind);
      if (store) out.push({ cluster, store });
    }
    return out;
  }

  private readable(cluster: string, kind: CachedKind, scope: Scope): boolean {
    if (!this.options.isKnown(cluster)) return false;
    const clusterScoped = this.index.clusterScoped(kind);
    return readableNamespaces(scope, cluster, { kind, clusterScoped }) !== undefined;
  }

  private compile(kind: CachedKind, filter: ObjectFilter): CompiledFilter {
    return compileFilter({ kind, clusterScoped: this.index.clusterScoped(kind) }, filter);
  }
}
