/**
 * Which stored objects name a uid in their ownerReferences: what the garbage collector and the
 * workload controllers ask on every reconcile, answered without scanning the store.
 */
import type { OwnerReference } from "../../src/kube/object.js";

export interface OwnedKey {
  /** The owned object's resource key ("group/plural"). */
  resource: string;
  /** The owned object's key within its resource ("namespace/name" or "name"). */
  key: string;
}

export class OwnerIndex {
  private readonly byOwner = new Map<string, Map<string, OwnedKey>>();

  update(
    owned: OwnedKey,
    before: readonly OwnerReference[] | undefined,
    after: readonly OwnerReference[] | undefined,
  ): void {
    const id = `${owned.resource}|${owned.key}`;
    for (const ref of before ?? []) {
      const set = this.byOwner.get(ref.uid);
      set?.delete(id);
      if (set?.size === 0) this.byOwner.delete(ref.uid);
    }
    for (const ref of after ?? []) {
      let set = this.byOwner.get(ref.uid);
      if (!set) this.byOwner.set(ref.uid, (set = new Map<string, OwnedKey>()));
      set.set(id, owned);
    }
  }

  ownedBy(uid: string): Iterable<OwnedKey> {
    return this.byOwner.get(uid)?.values() ?? [];
  }
}
