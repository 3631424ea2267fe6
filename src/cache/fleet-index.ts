/**
 * Every IndexedStore of the fleet, by cluster and kind. The watch caches create stores as they
 * start (store() creates on first use) and drop a cluster's stores when it leaves the fleet; the
 * query engine only looks stores up (find/stores), so a read never creates one.
 */
import type { CachedKind } from "./entry.js";
import { IndexedStore } from "./indexed-store.js";
import { isClusterScoped, type CachedKindSpec } from "./kind-spec.js";

export class FleetIndex {
  private readonly byCluster = new Map<string, Map<CachedKind, IndexedStore>>();
  private readonly specs: ReadonlyMap<CachedKind, CachedKindSpec>;

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
    if (!store) kinds.set(kind, (store = new IndexedStore(cluster, this.spec(kind))));
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
