/**
 * One watch cache's contents for one (cluster, kind), with the secondary indexes the query engine
 * and the relations need: client-go's "indexer". The reflector feeds it (upsert/remove, and
 * replace after every list or relist); readers iterate buckets without copying.
 *
 * Single-threaded by construction: a reader iterates synchronously and never interleaves with a
 * write, so iterators need no snapshot. Do not write to a store while iterating one of its buckets.
 */
import type { CacheEntry, CachedKind } from "./entry.js";
import { FacetCounts, type CountQuery, type FacetCondition, type LabelSet } from "./facet-counts.js";
import { isClusterScoped, type CachedKindSpec, type FacetFunc, type IndexFunc } from "./kind-spec.js";
import { SortedEntries, type EntryCompare } from "./sorted-entries.js";

type Bucket<D> = Set<CacheEntry<D>>;

interface LabelValueIndex {
  sets: Set<LabelSet>;
  entries: number;
}

/** Everything that replace() swaps at once. */
class Indexes<D = unknown> {
  readonly byUid = new Map<string, CacheEntry<D>>();
  /** namespace -> name -> entry; serves both byNamespace and getByName. */
  readonly byNamespace = new Map<string, Map<string, CacheEntry<D>>>();
  /**
   * Entries grouped by their labels object. Projections share one frozen labels object per
   * distinct label set (all pods of a ReplicaSet), so a pod costs one bucket entry here instead
   * of one per label.
   */
  readonly byLabelSet = new Map<LabelSet, Bucket<D>>();
  /** label key -> label value -> the label sets that have it, and how many entries they hold. */
  readonly byLabel = new Map<string, Map<string, LabelValueIndex>>();
  readonly byOwner = new Map<string, Bucket<D>>();
  /** The kind's named indexes (CachedKindSpec.indexes): index name -> key -> entries. */
  readonly named = new Map<string, Map<string, Bucket<D>>>();
  /**
   * uid -> lower-cased name, only for names that have upper-case letters. Kubernetes names are
   * almost always lower-case DNS names, so this stays empty and case-insensitive name matching
   * costs nothing extra per entry.
   */
  readonly foldedNames = new Map<string, string>();
  readonly facetCounts: FacetCounts;
  /**
   * The entries in each order a query has asked for (by order id), built on first use and kept
   * sorted from then on: an order nobody reads costs nothing.
   */
  sorted: Map<string, SortedEntries> | undefined;
  /** The same, of one namespace's entries: for reads narrowed to a few namespaces. */
  sortedIn: Map<string, Map<string, SortedEntries>> | undefined;

  constructor(facets: readonly FacetFunc[]) {
    this.facetCounts = new FacetCounts(facets, this.byLabelSet);
  }
}

const EMPTY: readonly never[] = [];

/**
 * How many writes some stores have seen, shared between them (FleetIndex keeps one per kind):
 * results derived from a kind (access decisions from RBAC objects) are cached until it moves.
 */
export interface ChangeCount {
  value: number;
}

export class IndexedStore<D = unknown> {
  private indexes: Indexes<D>;
  readonly kind: CachedKind;
  readonly clusterScoped: boolean;
  private readonly indexFuncs: readonly (readonly [string, IndexFunc<D>])[];
  private readonly facetNames: readonly string[];
  private readonly facetFuncs: readonly FacetFunc[];

  constructor(
    readonly cluster: string,
    spec: CachedKindSpec<D>,
    private readonly changes: ChangeCount = { value: 0 },
  ) {
    this.kind = spec.kind;
    this.clusterScoped = isClusterScoped(spec);
    this.indexFuncs = Object.entries(spec.indexes ?? {});
    this.facetNames = Object.keys(spec.facets ?? {});
    this.facetFuncs = Object.values(spec.facets ?? {}) as FacetFunc[];
    this.indexes = new Indexes<D>(this.facetFuncs);
  }

  get size(): number {
    return this.indexes.byUid.size;
  }

  /**
   * Adds or replaces the entry with this uid. An entry holding the same namespace/name under
   * another uid is evicted: the API server allows one object per name at a time, so that one
   * was deleted and recreated (as client-go's name-keyed store would see it).
   */
  upsert(entry: CacheEntry<D>): void {
    this.changes.value++;
    const ix = this.indexes;
    const previous = ix.byUid.get(entry.uid);
    if (previous) unindex(ix, previous, this.indexFuncs);
    const sameName = ix.byNamespace.get(entry.namespace)?.get(entry.name);
    if (sameName) {
      ix.byUid.delete(sameName.uid);
      unindex(ix, sameName, this.indexFuncs);
    }
    ix.byUid.set(entry.uid, entry);
    index(ix, entry, this.indexFuncs);
  }

  remove(uid: string): void {
    const ix = this.indexes;
    const previous = ix.byUid.get(uid);
    if (!previous) return;
    this.changes.value++;
    ix.byUid.delete(uid);
    unindex(ix, previous, this.indexFuncs);
  }

  /** After a (re)list: the store holds exactly `entries` from now on. Built aside, then swapped. */
  replace(entries: Iterable<CacheEntry<D>>): void {
    const fresh = new Indexes<D>(this.facetFuncs);
    const previous = this.indexes;
    // A relist to nothing is a change too.
    this.changes.value++;
    this.indexes = fresh;
    try {
      for (const entry of entries) this.upsert(entry);
    } catch (error) {
      this.indexes = previous;
      throw error;
    }
  }

  get(uid: string): CacheEntry<D> | undefined {
    return this.indexes.byUid.get(uid);
  }

  getByName(namespace: string, name: string): CacheEntry<D> | undefined {
    return this.indexes.byNamespace.get(namespace)?.get(name);
  }

  /** Cluster-scoped kinds live in namespace "". */
  byNamespace(namespace: string): Iterable<CacheEntry<D>> {
    const names = this.indexes.byNamespace.get(namespace);
    return names ? valuesOf(names) : EMPTY;
  }

  byLabel(key: string, value: string): Iterable<CacheEntry<D>> {
    const index = this.indexes.byLabel.get(key)?.get(value);
    if (!index) return EMPTY;
    // One label set (the common case: one ReplicaSet's pods) is iterated without a generator.
    if (index.sets.size === 1) {
      for (const set of index.sets) return this.indexes.byLabelSet.get(set) ?? EMPTY;
    }
    return entriesOf(this.indexes.byLabelSet, index.sets);
  }

  byOwner(ownerUid: string): Iterable<CacheEntry<D>> {
    return this.indexes.byOwner.get(ownerUid) ?? EMPTY;
  }

  /** The entries whose named index `name` has key `key` (e.g. index "node", key a node name). */
  byIndex(name: string, key: string): Iterable<CacheEntry<D>> {
    return this.indexes.named.get(name)?.get(key) ?? EMPTY;
  }

  all(): Iterable<CacheEntry<D>> {
    return valuesOf(this.indexes.byUid);
  }

  /** Bucket sizes, so the query planner can pick the most selective index. */
  namespaceCount(namespace: string): number {
    return this.indexes.byNamespace.get(namespace)?.size ?? 0;
  }

  labelCount(key: string, value: string): number {
    return this.indexes.byLabel.get(key)?.get(value)?.entries ?? 0;
  }

  ownerCount(ownerUid: string): number {
    return this.indexes.byOwner.get(ownerUid)?.size ?? 0;
  }

  indexCount(name: string, key: string): number {
    return this.indexes.named.get(name)?.get(key)?.size ?? 0;
  }

  /** Whether the kind has a named index `name`. */
  hasIndex(name: string): boolean {
    return this.indexFuncs.some(([n]) => n === name);
  }

  /** The key `entry` is indexed under in the named index `name`. */
  indexKey(name: string, entry: CacheEntry<D>): string | undefined {
    for (const [n, fn] of this.indexFuncs) if (n === name) return fn(entry);
    return undefined;
  }

  /** The entry's key of the facet `name`; undefined when it has none or the kind has no such facet. */
  readonly facetKey = (name: string, entry: CacheEntry<D>): string | undefined => {
    const i = this.facetNames.indexOf(name);
    return i < 0 ? undefined : this.facetFuncs[i]!(entry);
  };

  /** A facet filter as the counts take it; undefined when the kind has no such facet. */
  facetCondition(name: string, keys: ReadonlySet<string>): FacetCondition | undefined {
    const facet = this.facetNames.indexOf(name);
    return facet < 0 ? undefined : { facet, keys };
  }

  /** How many entries match `query`, from the facet counts, without a scan (facet-counts.ts). */
  countMatching(query: CountQuery): number {
    return this.indexes.facetCounts.count(query);
  }

  /** The distinct label sets with label key=value (each entry's `labels` object is one). */
  labelSets(key: string, value: string): Iterable<LabelSet> {
    return this.indexes.byLabel.get(key)?.get(value)?.sets ?? EMPTY;
  }

  /**
   * The entries (of `namespace` only, when given) sorted by `compare`, known to the store as
   * `order`; built on the first call, kept sorted through every write after it. One order id must
   * always come with the same compare, a function of the entries alone.
   */
  sorted(order: string, compare: EntryCompare, namespace?: string): SortedEntries {
    const ix = this.indexes;
    // Made on first use: most of a fleet's stores (kinds nobody pages by order) never need them.
    let orders = (ix.sorted ??= new Map<string, SortedEntries>());
    if (namespace !== undefined) {
      const byNamespace = (ix.sortedIn ??= new Map<string, Map<string, SortedEntries>>());
      let byOrder = byNamespace.get(namespace);
      if (!byOrder) byNamespace.set(namespace, (byOrder = new Map<string, SortedEntries>()));
      orders = byOrder;
    }
    let sorted = orders.get(order);
    if (!sorted) {
      const entries = namespace === undefined ? this.all() : this.byNamespace(namespace);
      orders.set(order, (sorted = new SortedEntries(compare, entries as Iterable<CacheEntry>)));
    }
    return sorted;
  }

  /** The entry's name lower-cased, precomputed: for case-insensitive "name contains". */
  foldedName(entry: CacheEntry<D>): string {
    const folded = this.indexes.foldedNames;
    return folded.size === 0 ? entry.name : (folded.get(entry.uid) ?? entry.name);
  }
}

type NamedIndexes<D> = readonly (readonly [string, IndexFunc<D>])[];

function index<D>(ix: Indexes<D>, entry: CacheEntry<D>, named: NamedIndexes<D>): void {
  let names = ix.byNamespace.get(entry.namespace);
  if (!names) ix.byNamespace.set(entry.namespace, (names = new Map<string, CacheEntry<D>>()));
  names.set(entry.name, entry);

  let group = ix.byLabelSet.get(entry.labels);
  const isNewSet = !group;
  if (!group) ix.byLabelSet.set(entry.labels, (group = new Set()));
  if (!group.has(entry)) {
    group.add(entry);
    for (const key in entry.labels) {
      let values = ix.byLabel.get(key);
      if (!values) ix.byLabel.set(key, (values = new Map<string, LabelValueIndex>()));
      let index = values.get(entry.labels[key]!);
      if (!index) values.set(entry.labels[key]!, (index = { sets: new Set(), entries: 0 }));
      if (isNewSet) index.sets.add(entry.labels);
      index.entries++;
    }
  }
  if (entry.owner) addTo(ix.byOwner, entry.owner.uid, entry);
  for (const [name, keyOf] of named) {
    const key = keyOf(entry);
    if (key === undefined) continue;
    let buckets = ix.named.get(name);
    if (!buckets) ix.named.set(name, (buckets = new Map<string, Bucket<D>>()));
    addTo(buckets, key, entry);
  }

  const folded = entry.name.toLowerCase();
  if (folded !== entry.name) ix.foldedNames.set(entry.uid, folded);
  ix.facetCounts.add(entry);
  if (ix.sorted) for (const sorted of ix.sorted.values()) sorted.insert(entry);
  if (ix.sortedIn)
    for (const sorted of ix.sortedIn.get(entry.namespace)?.values() ?? EMPTY) sorted.insert(entry);
}

function unindex<D>(ix: Indexes<D>, entry: CacheEntry<D>, named: NamedIndexes<D>): void {
  const names = ix.byNamespace.get(entry.namespace);
  if (names?.get(entry.name) === entry) {
    names.delete(entry.name);
    if (names.size === 0) ix.byNamespace.delete(entry.namespace);
  }
  const group = ix.byLabelSet.get(entry.labels);
  if (group?.delete(entry)) {
    const setGone = group.size === 0;
    if (setGone) ix.byLabelSet.delete(entry.labels);
    for (const key in entry.labels) {
      const values = ix.byLabel.get(key);
      const index = values?.get(entry.labels[key]!);
      if (!values || !index) continue;
      index.entries--;
      if (setGone) index.sets.delete(entry.labels);
      if (index.sets.size === 0) values.delete(entry.labels[key]!);
      if (values.size === 0) ix.byLabel.delete(key);
    }
  }
  if (entry.owner) removeFrom(ix.byOwner, entry.owner.uid, entry);
  for (const [name, keyOf] of named) {
    const key = keyOf(entry);
    const buckets = ix.named.get(name);
    if (key !== undefined && buckets) removeFrom(buckets, key, entry);
  }
  ix.foldedNames.delete(entry.uid);
  ix.facetCounts.remove(entry);
  if (ix.sorted) for (const sorted of ix.sorted.values()) sorted.delete(entry);
  if (ix.sortedIn) {
    for (const sorted of ix.sortedIn.get(entry.namespace)?.values() ?? EMPTY) sorted.delete(entry);
    if (!ix.byNamespace.has(entry.namespace)) ix.sortedIn.delete(entry.namespace);
  }
}

function addTo<D>(buckets: Map<string, Bucket<D>>, key: string, entry: CacheEntry<D>): void {
  let bucket = buckets.get(key);
  if (!bucket) buckets.set(key, (bucket = new Set()));
  bucket.add(entry);
}

/** Empty buckets are dropped: label values such as pod-template-hash churn and would leak. */
function removeFrom<D>(buckets: Map<string, Bucket<D>>, key: string, entry: CacheEntry<D>): void {
  const bucket = buckets.get(key);
  if (!bucket) return;
  bucket.delete(entry);
  if (bucket.size === 0) buckets.delete(key);
}

/** A map's values as an iterable that can be iterated more than once (a plan may be read twice). */
function valuesOf<V>(map: ReadonlyMap<unknown, V>): Iterable<V> {
  return { [Symbol.iterator]: () => map.values() };
}

/** Iterates the entries of several label sets; a plain iterator, because generators are slow here. */
function entriesOf<D>(
  groups: ReadonlyMap<LabelSet, Bucket<D>>,
  sets: Iterable<LabelSet>,
): Iterable<CacheEntry<D>> {
  return {
    [Symbol.iterator](): Iterator<CacheEntry<D>> {
      const outer = sets[Symbol.iterator]();
      let inner: Iterator<CacheEntry<D>> | undefined;
      return {
        next(): IteratorResult<CacheEntry<D>> {
          for (;;) {
            if (inner) {
              const step = inner.next();
              if (!step.done) return step;
            }
            const set = outer.next();
            if (set.done) return { done: true, value: undefined };
            inner = groups.get(set.value)?.values();
          }
        },
      };
    },
  };
}
