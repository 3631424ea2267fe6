/**
 * One watch cache's contents for one (cluster, kind), with the secondary indexes the query engine
 * and the relations need: client-go's "indexer". The reflector feeds it (upsert/remove, and
 * replace after every list or relist); readers iterate buckets without copying.
 *
 * Single-threaded by construction: a reader iterates synchronously and never interleaves with a
 * write, so iterators need no snapshot. Do not write to a store while iterating one of its buckets.
 */
import type { CacheEntry, CachedKind } from "./entry.js";

export interface IndexedStoreOptions<D = unknown> {
  /**
   * The node an object runs on (Pods: spec.nodeName), for byNode. The entry's projection is
   * kind-specific, so the store is told how to read it instead of guessing.
   */
  nodeNameOf?: (entry: CacheEntry<D>) => string | undefined;
}

type Bucket<D> = Set<CacheEntry<D>>;

/** Everything that replace() swaps at once. */
class Indexes<D> {
  readonly byUid = new Map<string, CacheEntry<D>>();
  /** namespace -> name -> entry; serves both byNamespace and getByName. */
  readonly byNamespace = new Map<string, Map<string, CacheEntry<D>>>();
  /** label key -> label value -> entries. */
  readonly byLabel = new Map<string, Map<string, Bucket<D>>>();
  readonly byOwner = new Map<string, Bucket<D>>();
  readonly byNode = new Map<string, Bucket<D>>();
  /**
   * uid -> lower-cased name, only for names that have upper-case letters. Kubernetes names are
   * almost always lower-case DNS names, so this stays empty and case-insensitive name matching
   * costs nothing extra per entry.
   */
  readonly foldedNames = new Map<string, string>();
}

const EMPTY: readonly never[] = [];

export class IndexedStore<D = unknown> {
  private indexes = new Indexes<D>();
  private readonly nodeNameOf: ((entry: CacheEntry<D>) => string | undefined) | undefined;

  constructor(
    readonly cluster: string,
    readonly kind: CachedKind,
    options: IndexedStoreOptions<D> = {},
  ) {
    this.nodeNameOf = options.nodeNameOf;
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
    const ix = this.indexes;
    const previous = ix.byUid.get(entry.uid);
    if (previous) unindex(ix, previous, this.nodeNameOf);
    const sameName = ix.byNamespace.get(entry.namespace)?.get(entry.name);
    if (sameName) {
      ix.byUid.delete(sameName.uid);
      unindex(ix, sameName, this.nodeNameOf);
    }
    ix.byUid.set(entry.uid, entry);
    index(ix, entry, this.nodeNameOf);
  }

  remove(uid: string): void {
    const ix = this.indexes;
    const previous = ix.byUid.get(uid);
    if (!previous) return;
    ix.byUid.delete(uid);
    unindex(ix, previous, this.nodeNameOf);
  }

  /** After a (re)list: the store holds exactly `entries` from now on. Built aside, then swapped. */
  replace(entries: Iterable<CacheEntry<D>>): void {
    const fresh = new Indexes<D>();
    const previous = this.indexes;
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
    return this.indexes.byNamespace.get(namespace)?.values() ?? EMPTY;
  }

  byLabel(key: string, value: string): Iterable<CacheEntry<D>> {
    return this.indexes.byLabel.get(key)?.get(value) ?? EMPTY;
  }

  byOwner(ownerUid: string): Iterable<CacheEntry<D>> {
    return this.indexes.byOwner.get(ownerUid) ?? EMPTY;
  }

  byNode(nodeName: string): Iterable<CacheEntry<D>> {
    return this.indexes.byNode.get(nodeName) ?? EMPTY;
  }

  all(): Iterable<CacheEntry<D>> {
    return this.indexes.byUid.values();
  }

  /** Bucket sizes, so the query planner can pick the most selective index. */
  namespaceCount(namespace: string): number {
    return this.indexes.byNamespace.get(namespace)?.size ?? 0;
  }

  labelCount(key: string, value: string): number {
    return this.indexes.byLabel.get(key)?.get(value)?.size ?? 0;
  }

  ownerCount(ownerUid: string): number {
    return this.indexes.byOwner.get(ownerUid)?.size ?? 0;
  }

  nodeCount(nodeName: string): number {
    return this.indexes.byNode.get(nodeName)?.size ?? 0;
  }

  /** The node the entry is indexed under (see IndexedStoreOptions.nodeNameOf). */
  nodeOf(entry: CacheEntry<D>): string | undefined {
    return this.nodeNameOf?.(entry);
  }

  /** The entry's name lower-cased, precomputed: for case-insensitive "name contains". */
  foldedName(entry: CacheEntry<D>): string {
    const folded = this.indexes.foldedNames;
    return folded.size === 0 ? entry.name : (folded.get(entry.uid) ?? entry.name);
  }
}

function index<D>(
  ix: Indexes<D>,
  entry: CacheEntry<D>,
  nodeNameOf: ((entry: CacheEntry<D>) => string | undefined) | undefined,
): void {
  let names = ix.byNamespace.get(entry.namespace);
  if (!names) ix.byNamespace.set(entry.namespace, (names = new Map<string, CacheEntry<D>>()));
  names.set(entry.name, entry);

  for (const key in entry.labels) {
    let values = ix.byLabel.get(key);
    if (!values) ix.byLabel.set(key, (values = new Map<string, Bucket<D>>()));
    addTo(values, entry.labels[key]!, entry);
  }
  if (entry.owner) addTo(ix.byOwner, entry.owner.uid, entry);
  const node = nodeNameOf?.(entry);
  if (node) addTo(ix.byNode, node, entry);

  const folded = entry.name.toLowerCase();
  if (folded !== entry.name) ix.foldedNames.set(entry.uid, folded);
}

function unindex<D>(
  ix: Indexes<D>,
  entry: CacheEntry<D>,
  nodeNameOf: ((entry: CacheEntry<D>) => string | undefined) | undefined,
): void {
  const names = ix.byNamespace.get(entry.namespace);
  if (names?.get(entry.name) === entry) {
    names.delete(entry.name);
    if (names.size === 0) ix.byNamespace.delete(entry.namespace);
  }
  for (const key in entry.labels) {
    const values = ix.byLabel.get(key);
    if (!values) continue;
    removeFrom(values, entry.labels[key]!, entry);
    if (values.size === 0) ix.byLabel.delete(key);
  }
  if (entry.owner) removeFrom(ix.byOwner, entry.owner.uid, entry);
  const node = nodeNameOf?.(entry);
  if (node) removeFrom(ix.byNode, node, entry);
  ix.foldedNames.delete(entry.uid);
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
