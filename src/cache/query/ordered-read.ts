/**
 * A page that costs what the page costs: when a filter is made only of parts the stores can
 * count (namespaces, a label selector, one facet such as a pod's phase) and the order's key is a
 * function of the entry alone, totalCount comes from the stores' facet counts and the page from
 * a k-way merge of per-cluster streams walking each store's entries in the order asked for. The
 * merged page pulls `take + 1` items in all, however many entries match.
 *
 * A walk is taken only where it should be cheaper than a scan of the cluster's planned buckets
 * (the cluster's share of the page / the share of its store that matches, against the buckets'
 * size), and it gives up after a few times the steps it expected (or as many as that scan would
 * cost), finishing with the scan instead: matches clustered far along the order (a namespace
 * filter under the NAMESPACE order, a label that goes with the names) cost the scan and a little. Same answers as the scan, item for item: the orders, ties and windows are the same.
 */
import { matchesLabels, type LabelSelector } from "../../kube/label-selector.js";
import type { CacheEntry } from "../entry.js";
import type { LabelSet } from "../facet-counts.js";
import type { IndexedStore } from "../indexed-store.js";
import type { BoundCompare, SortedReader } from "../sorted-entries.js";
import type { CursorPosition } from "./cursor.js";
import { matchesEntry, type CompiledFilter } from "./filter.js";
import type { Ordering, SortKey } from "./order.js";
import type { PageWindow } from "./page.js";
import type { Plan } from "./plan.js";
import { TopN } from "./top-n.js";
import type { OrderBy } from "./types.js";

/**
 * One cluster's share of an ordered read (or one namespace's, for a read narrowed to a few): its
 * plan and how many entries match there.
 */
export interface ClusterCount {
  plan: Plan;
  matches: number;
  /** Set when the share is one namespace's: its walk reads that namespace's sorted entries. */
  namespace?: string | undefined;
}

/** Up to this many readable namespaces, a cluster is read namespace by namespace. */
const NAMESPACE_SPLIT = 16;

/**
 * The plan's shares: a plan narrowed to a few namespaces becomes one per namespace, so each walk
 * reads only entries it may return (a namespace's pods are contiguous in name order, as pods are
 * named after their workloads: a walk over the whole store would step over all the others).
 */
export function sharesOf(plan: Plan): { plan: Plan; namespace?: string }[] {
  const { namespaces, store } = plan;
  if (namespaces === "*" || plan.byName || namespaces.size > NAMESPACE_SPLIT) return [{ plan }];
  const shares: { plan: Plan; namespace: string }[] = [];
  for (const namespace of namespaces) {
    const visits = store.namespaceCount(namespace);
    if (visits === 0) continue;
    const only = new Set([namespace]);
    const sources = [store.byNamespace(namespace)];
    shares.push({
      plan: { ...plan, sources, visits, namespaceCheck: undefined, namespaces: only },
      namespace,
    });
  }
  return shares;
}

/**
 * Whether the stores can count the filter's matches: nothing to test but namespaces, labels and
 * one facet. Anything else (a name substring, owners, a kind's predicate) needs a scan.
 */
export function countable(filter: CompiledFilter, kind: string): boolean {
  return (
    kind !== "Namespace" &&
    filter.needle === undefined &&
    filter.owners === undefined &&
    filter.index === undefined &&
    filter.predicate === undefined &&
    (filter.facets?.length ?? 0) <= 1
  );
}

/**
 * Whether the stores may keep their entries in this order: a built-in field, or a key of the
 * kind's own `orderKeys` (a key made per request, such as a metric's, is not a function of the
 * entry alone).
 */
export function sortable(order: OrderBy, kindOrderKey: OrderBy["key"] | undefined): boolean {
  return order.key === undefined || order.key === kindOrderKey;
}

/**
 * The plan's matches counted from the store's facet counts: label sets narrowed by the most
 * selective `=`/`in` requirement, each tested once against the whole selector. Undefined when the
 * kind has no such facet (the caller scans instead).
 */
export function countFromPostings(plan: Plan, filter: CompiledFilter, filterKey: string): number | undefined {
  const { store } = plan;
  const facet = filter.facets?.[0];
  const condition = facet ? store.facetCondition(facet.name, facet.keys) : undefined;
  if (facet && !condition) return undefined;
  const selector = filter.labelSelector;
  const namespaces = plan.namespaces;
  return store.countMatching({
    namespaces,
    sets: selector && (() => narrowestSets(store, selector)),
    labels: selector && ((set: LabelSet) => matchesLabels(selector, set)),
    condition,
    memoKey: `${namespaces === "*" ? "*" : [...namespaces].sort().join(",")}\u0000${filterKey}`,
  });
}

/** What a countable filter counts, as a memo key (namespaces aside: they differ per cluster). */
export function countKey(filter: CompiledFilter): string {
  const facet = filter.facets?.[0];
  return JSON.stringify([filter.labelSelector ?? [], facet ? [facet.name, [...facet.keys].sort()] : null]);
}

function narrowestSets(store: IndexedStore, selector: LabelSelector): LabelSet[] | undefined {
  let best: LabelSet[] | undefined;
  let bestCount = Infinity;
  for (const req of selector) {
    if (req.operator !== "=" && req.operator !== "in") continue;
    let count = 0;
    for (const value of new Set(req.values)) count += store.labelCount(req.key, value);
    if (count >= bestCount) continue;
    bestCount = count;
    best = [];
    for (const value of new Set(req.values))
      for (const set of store.labelSets(req.key, value)) best.push(set);
  }
  return best;
}

export interface OrderedPage {
  items: CacheEntry[];
  keys: SortKey[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** The page of `window` over the clusters' matches, in the order of `ordering`. */
export function orderedPage(
  clusters: readonly ClusterCount[],
  filter: CompiledFilter,
  ordering: Ordering,
  orderId: string,
  window: PageWindow,
): OrderedPage {
  const { after, before, take } = window;
  const read = new ClusterReads(clusters, filter, ordering, orderId);
  const forward = window.from === "FIRST";
  // Walking forward, the window opens after `after` and closes at `before`; backward, the reverse.
  const start = forward ? after : before;
  const stop = forward ? before : after;
  const items: CacheEntry[] = [];
  const merge = read.merge(forward, start && { at: start, inclusive: false }, take + 1);
  for (let next = merge.pop(); next !== undefined; next = merge.pop()) {
    if (stop && read.beyond(next, stop, forward)) break;
    items.push(next);
    if (items.length > take) break;
  }
  const more = items.length > take;
  if (more) items.pop();
  if (!forward) items.reverse();
  // Relay's optional answers about the other side of the window: whether anything lies beyond
  // the cursor (the scan counted them; here one step of a stream the other way tells).
  const previous = forward ? after !== undefined && read.exists(false, { at: after, inclusive: true }) : more;
  const next = forward ? more : before !== undefined && read.exists(true, afterBoth(after, before, ordering));
  return { items, keys: items.map(ordering.keyOf), hasNextPage: next, hasPreviousPage: previous };
}

/** Beyond `before`, and beyond `after` too when the window is empty (after at or past before). */
function afterBoth(after: CursorPosition | undefined, before: CursorPosition, ordering: Ordering): Bound {
  if (after && ordering.compare(after.key, after, before.key, before) >= 0) {
    return { at: after, inclusive: false };
  }
  return { at: before, inclusive: true };
}

interface Bound {
  at: CursorPosition;
  inclusive: boolean;
}

class ClusterReads {
  /** Every cluster's matches. */
  private readonly total: number;

  constructor(
    private readonly clusters: readonly ClusterCount[],
    private readonly filter: CompiledFilter,
    private readonly ordering: Ordering,
    private readonly orderId: string,
  ) {
    this.total = clusters.reduce((sum, c) => sum + c.matches, 0);
  }

  /** Whether `entry` lies at or beyond `stop`, walking forward (or backward) in the order. */
  beyond(entry: CacheEntry, stop: CursorPosition, forward: boolean): boolean {
    const c = this.ordering.compare(this.ordering.keyOf(entry), entry, stop.key, stop);
    return forward ? c >= 0 : c <= 0;
  }

  /**
   * The clusters' matches past `start` merged in the walk's order. Clusters where a walk would
   * cost more than a scan share one scan and one bounded heap, as the engine's scan does.
   */
  merge(forward: boolean, start: Bound | undefined, needed: number): StreamMerge {
    const heads: Head[] = [];
    const scanned: Plan[] = [];
    for (const cluster of this.clusters) {
      if (!this.walks(cluster, needed)) {
        scanned.push(cluster.plan);
        continue;
      }
      const stream = this.walk(cluster, forward, start, needed);
      const entry = stream.first();
      // A walk that finds nothing where it expected its first match joins the shared scan.
      if (entry === GAVE_UP) scanned.push(cluster.plan);
      else if (entry !== undefined) heads.push({ entry, stream });
    }
    if (scanned.length > 0) {
      const stream = this.scan(scanned, forward, start, needed);
      const entry = stream.next();
      if (entry !== undefined) heads.push({ entry, stream });
    }
    return new StreamMerge(heads, this.traversal(forward));
  }

  exists(forward: boolean, start: Bound): boolean {
    return this.merge(forward, start, 1).pop() !== undefined;
  }

  /**
   * Whether walking the sorted entries should beat scanning the cluster's planned buckets. A
   * cluster gives the merged page about its share of the matches, so a walk is expected to take
   * that many matches' worth of steps (store size / matches each); the walk's budget covers the
   * case where its matches all lie far along the order.
   */
  private walks(share: ClusterCount, needed: number): boolean {
    const expected = (needed * share.matches) / this.total + 1;
    return expected * stride(share) < share.plan.visits;
  }

  private boundOf(start: Bound | undefined, forward: boolean): ScanBound | undefined {
    const { ordering } = this;
    if (!start) return undefined;
    const at = start.at;
    return {
      compare: (e) => ordering.compare(ordering.keyOf(e), e, at.key, at),
      forward,
      inclusive: start.inclusive,
    };
  }

  private scan(plans: Plan[], forward: boolean, start: Bound | undefined, needed: number): Stream {
    return new ScanStream(plans, this.filter, this.traversal(forward), this.boundOf(start, forward), needed);
  }

  private walk(
    cluster: ClusterCount,
    forward: boolean,
    start: Bound | undefined,
    needed: number,
  ): WalkStream {
    const { ordering } = this;
    const { plan } = cluster;
    const bound = this.boundOf(start, forward)?.compare;
    const sorted = plan.store.sorted(
      this.orderId,
      (a, b) => ordering.compare(ordering.keyOf(a), a, ordering.keyOf(b), b),
      cluster.namespace,
    );
    return new WalkStream(
      plan,
      this.filter,
      sorted.reader(bound, forward, start?.inclusive ?? false),
      stride(cluster),
      (last, left) =>
        new ScanStream(
          [plan],
          this.filter,
          this.traversal(forward),
          { compare: (e) => this.traversal(true)(e, last), forward, inclusive: false },
          left,
        ),
      needed,
    );
  }

  /** The order as walked: as asked forward, reversed backward. */
  private traversal(forward: boolean): (a: CacheEntry, b: CacheEntry) => number {
    const { ordering } = this;
    const compare = (a: CacheEntry, b: CacheEntry) =>
      ordering.compare(ordering.keyOf(a), a, ordering.keyOf(b), b);
    return forward ? compare : (a, b) => compare(b, a);
  }
}

/** Steps a walk expects per match: the entries it walks over those that match. */
function stride({ plan, matches, namespace }: ClusterCount): number {
  return (namespace === undefined ? plan.store.size : plan.visits) / Math.max(matches, 1);
}

interface Stream {
  /** The next match in the stream's direction, undefined when there is none. */
  next(): CacheEntry | undefined;
}

interface ScanBound {
  /** Where an entry lies against the bound in the ORDER (not the walk's direction). */
  compare: BoundCompare;
  forward: boolean;
  inclusive: boolean;
}

function matches(plan: Plan, filter: CompiledFilter, entry: CacheEntry): boolean {
  const namespaces = plan.namespaces;
  return (namespaces === "*" || namespaces.has(entry.namespace)) && matchesEntry(filter, plan.store, entry);
}

/**
 * Steps through the store's sorted entries, testing each. It expects `stride` steps per match (the
 * store's size over its matches); past a few times that, or past what a scan of the cluster costs,
 * the matches evidently lie further along the order and a scan takes over.
 */
class WalkStream implements Stream {
  private yielded = 0;
  private steps = 0;
  private fallback: Stream | undefined;

  constructor(
    private readonly plan: Plan,
    private readonly filter: CompiledFilter,
    private readonly reader: SortedReader,
    private readonly stride: number,
    private readonly scanAfter: (last: CacheEntry, left: number) => Stream,
    private readonly needed: number,
  ) {}

  /** The first match; GAVE_UP when the walk ran out of steps before it (nothing was taken). */
  first(): CacheEntry | typeof GAVE_UP | undefined {
    return this.step(true);
  }

  next(): CacheEntry | undefined {
    if (this.fallback) return this.fallback.next();
    return this.step(false) as CacheEntry | undefined;
  }

  private step(mayGiveUp: boolean): CacheEntry | typeof GAVE_UP | undefined {
    for (;;) {
      const entry = this.reader.next();
      if (entry === undefined) return undefined;
      if (matches(this.plan, this.filter, entry)) {
        this.yielded++;
        return entry;
      }
      this.steps++;
      if (this.steps > this.plan.visits || this.steps > WALK_SLACK * this.stride * (this.yielded + 1) + 16) {
        if (mayGiveUp && this.yielded === 0) return GAVE_UP;
        // Everything up to `entry` was seen: the scan takes the rest, only what may still be needed.
        this.fallback = this.scanAfter(entry, Math.max(this.needed - this.yielded, 0));
        return this.fallback.next();
      }
    }
  }
}

const GAVE_UP = Symbol("gave up");

/** How many times its expected steps a walk may take before a scan takes over. */
const WALK_SLACK = 4;

/** The first `needed` matches past the bound, from one scan of the plans' buckets into a bounded heap. */
class ScanStream implements Stream {
  private items: CacheEntry[] | undefined;
  private at = 0;

  constructor(
    private readonly plans: readonly Plan[],
    private readonly filter: CompiledFilter,
    private readonly traversal: (a: CacheEntry, b: CacheEntry) => number,
    private readonly bound: ScanBound | undefined,
    private readonly needed: number,
  ) {}

  next(): CacheEntry | undefined {
    this.items ??= this.select();
    return this.items[this.at++];
  }

  private select(): CacheEntry[] {
    const { filter, bound, traversal } = this;
    const selection = new TopN(this.needed, (_ka, a, _kb, b) => traversal(a as CacheEntry, b as CacheEntry));
    for (const plan of this.plans) {
      for (const source of plan.sources) {
        for (const entry of source) {
          if (!matches(plan, filter, entry)) continue;
          if (bound) {
            const c = bound.compare(entry) * (bound.forward ? 1 : -1);
            if (c < 0 || (c === 0 && !bound.inclusive)) continue;
          }
          selection.offer(0, entry);
        }
      }
    }
    return selection.drain().items;
  }
}

interface Head {
  entry: CacheEntry;
  stream: Stream;
}

/** The streams' heads in a binary heap: each pop is the next item of the merged order. */
class StreamMerge {
  private readonly heads: Head[] = [];

  /** `heads`: each stream with its first item, already taken. */
  constructor(
    heads: Head[],
    private readonly traversal: (a: CacheEntry, b: CacheEntry) => number,
  ) {
    for (const head of heads) this.push(head);
  }

  pop(): CacheEntry | undefined {
    const { heads } = this;
    const top = heads[0];
    if (!top) return undefined;
    const entry = top.entry;
    const next = top.stream.next();
    if (next !== undefined) top.entry = next;
    else {
      const last = heads.pop()!;
      if (heads.length === 0) return entry;
      heads[0] = last;
    }
    this.siftDown(0);
    return entry;
  }

  private push(head: Head): void {
    const { heads } = this;
    heads.push(head);
    let i = heads.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.traversal(heads[i]!.entry, heads[parent]!.entry) >= 0) return;
      [heads[i], heads[parent]] = [heads[parent]!, heads[i]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const { heads } = this;
    for (;;) {
      const left = 2 * i + 1;
      let first = i;
      if (left < heads.length && this.traversal(heads[left]!.entry, heads[first]!.entry) < 0) first = left;
      if (left + 1 < heads.length && this.traversal(heads[left + 1]!.entry, heads[first]!.entry) < 0)
        first = left + 1;
      if (first === i) return;
      [heads[i], heads[first]] = [heads[first]!, heads[i]!];
      i = first;
    }
  }
}
