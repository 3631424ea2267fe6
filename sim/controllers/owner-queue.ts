/**
 * The wiring every owning controller shares (client-go's pattern): a work queue of the kind's
 * objects by namespace/name, fed by every change to one of them and by every change to an object
 * it controls, found through the controller reference of the object's new or previous version
 * (so a pod that is released still wakes its former owner). Reconciles read the store afresh and
 * return at once for an object that is gone, so a spurious key costs nothing.
 */
import type { ResourceKind } from "../kinds.js";
import type { StoreEvent } from "../store/cluster-store.js";
import { objectKeyOf, type ControllerContext } from "./context.js";
import { controllerOf } from "./pods.js";
import type { WorkQueue } from "./work-queue.js";

export interface OwnerQueue {
  queue: WorkQueue;
  /** Queues every object of the kind (e.g. when something all of them depend on changed). */
  addAll: () => void;
  /** Queues the keys a change concerns; true when the change was about the kind or what it owns. */
  handle: (change: StoreEvent) => boolean;
}

export function ownerQueue(
  ctx: ControllerContext,
  owner: ResourceKind,
  owned: ResourceKind,
  reconcile: (key: string) => void,
): OwnerQueue {
  const queue = ctx.loop.queue(owner.plural, reconcile);
  const addAll = (): void => {
    for (const o of ctx.store.all(owner)) queue.add(objectKeyOf(o.metadata.namespace, o.metadata.name));
  };
  addAll();
  return {
    queue,
    addAll,
    handle: (change) => {
      const { object, prev } = change;
      if (change.resource === owner) {
        queue.add(objectKeyOf(object.metadata.namespace, object.metadata.name));
        return true;
      }
      if (change.resource !== owned) return false;
      const ref = controllerOf(object) ?? (prev && controllerOf(prev));
      if (ref?.kind === owner.kind) queue.add(objectKeyOf(object.metadata.namespace, ref.name));
      return true;
    },
  };
}
