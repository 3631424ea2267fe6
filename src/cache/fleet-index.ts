/**
 * Every IndexedStore of the fleet, by cluster and kind. The watch caches create stores as they
 * start (store() creates on first use) and drop a cluster's stores when it leaves the fleet; the
 * query engine only looks stores up (find/stores), so a read never creates one.
 */
import type { CachedKind } from "./entry.js";
import { IndexedStore, type ChangeCount } from "./indexed-store.js";
import { isClusterScoped, type CachedKindSpec } from "./kind-spec.js";

export class FleetIndex {
  private readonly byCluster = new Map<string, Map<CachedKind, IndexedStore>>();
  private readonly specs: ReadonlyMap<CachedKind, CachedKindSpec>;
  private readonly changes = new Map<CachedKind, ChangeCount>();

  constructor(kinds: readonly CachedKindSpec[]) {
    this.specs = new Map(kinds.map((spec) => [spec.kind, spec]));
  }

  /** The kind's spec; throws for a kind the fleet does not cache (a programming error). */
  spec(kind: CachedKind): CachedKindSpec {
    const spec = this.specs.get(kind);
    if (!spec) throw new TypeError(`kind ${kind} is not cached`);
    return spec;
  }

  clusterScoped(kind: CachedKind): boolean {
    return isClusterScoped(this.spec(kind));
  }

  store(cluster: string, kind: CachedKind): IndexedStore {
    let kinds = this.byCluster.get(cluster);
    if (!kinds) this.byCluster.set(cluster, (kinds = new Map<CachedKind, IndexedStore>()));
    let store = kinds.get(kind);
    if (!store) {
      store = new IndexedStore(cluster, this.spec(kind), this.changeCount(kind));
      kinds.set(kind, store);
    }
    return store;
  }

  /**
   * Writes to the kind's stores in every cluster so far, stores dropped included: unchanged
   * means every store of the kind holds what it held, so results derived from it still hold.
   */
  changesOf(kind: CachedKind): number {
    return this.changes.get(kind)?.value ?? 0;
  }

  private changeCount(kind: CachedKind): ChangeCount {
    let count = this.changes.get(kind);
    if (!count) this.changes.set(kind, (count = { value: 0 }));
    return count;
  }

  /** The store if it exists; never creates one. */
  find(cluster: string, kind: CachedKind): IndexedStore | undefined {
    return this.byCluster.get(cluster)?.get(kind);
  }

  dropCluster(cluster: string): void {
    for (const kind of this.byCluster.get(cluster)?.keys() ?? []) this.changeCount(kind).value++;
    this.byCluster.delete(cluster);
  }

  clusters(): string[] {
    return [...this.byCluster.keys()];
  }

  stores(kind: CachedKind): { cluster: string; store: IndexedStore }[] {
    const result: { cluster: string; store: IndexedStore }[] = [];
    for (const [cluster, kinds] of this.byCluster) {
      const store = kinds.get(kind);
      if (store) result.push({ cluster, store });
    }
    return result;
  }
}
