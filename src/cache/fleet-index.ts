/**
 * Every IndexedStore of the fleet, by cluster and kind. The watch caches create stores as they
 * start (store() creates on first use) and drop a cluster's stores when it leaves the fleet; the
 * query engine only looks stores up (find/stores), so a read never creates one.
 */
import type { CachedKind } from "./entry.js";
import { IndexedStore, type IndexedStoreOptions } from "./indexed-store.js";

export interface FleetIndexOptions {
  /** Index options per kind, e.g. `{ Pod: { nodeNameOf } }` so pods are indexed by node. */
  storeOptions?: Partial<Record<CachedKind, IndexedStoreOptions>>;
}

export class FleetIndex {
  private readonly byCluster = new Map<string, Map<CachedKind, IndexedStore>>();

  constructor(private readonly options: FleetIndexOptions = {}) {}

  store(cluster: string, kind: CachedKind): IndexedStore {
    let kinds = this.byCluster.get(cluster);
    if (!kinds) this.byCluster.set(cluster, (kinds = new Map<CachedKind, IndexedStore>()));
    let store = kinds.get(kind);
    if (!store) kinds.set(kind, (store = new IndexedStore(cluster, kind, this.options.storeOptions?.[kind])));
    return store;
  }

  /** The store if it exists; never creates one. */
  find(cluster: string, kind: CachedKind): IndexedStore | undefined {
    return this.byCluster.get(cluster)?.get(kind);
  }

  dropCluster(cluster: string): void {
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
