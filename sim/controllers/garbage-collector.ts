/**
 * The garbage collector: when an owner goes, its dependents go too (background propagation).
 * A dependent with several owners is deleted only once all of them are gone; until then only
 * the reference to the vanished owner is dropped. Owners deleted with the `foregroundDeletion`
 * finalizer wait for their dependents; with `orphan` their dependents are released. Pods bound
 * to a node that no longer exists are deleted, as the pod GC does.
 */
import type { KubeObject, OwnerReference } from "../../src/kube/object.js";
import { findKind, findResource, type ResourceKind } from "../kinds.js";
import { StatusError } from "../errors.js";
import type { ChangeHandler, ControllerContext } from "./context.js";
import { splitKey } from "./context.js";
import { NODES, PODS } from "./resources.js";

interface OwnerHandle {
  kind: ResourceKind;
  namespace: string | undefined;
  name: string;
}

export function startGarbageCollector(ctx: ControllerContext): ChangeHandler {
  const waiting = new Map<string, OwnerHandle>();
  const queue = ctx.loop.queue("garbage-collector", (uid) => collect(ctx, uid, waiting));
  const orphanedPods = ctx.loop.queue("pod-gc", (node) => {
    if (ctx.store.get(NODES, undefined, node)) return;
    for (const key of ctx.placement.podsOn(node)) {
      const [namespace, name] = splitKey(key);
      ignoreGone(() => ctx.store.delete(PODS, namespace, name));
    }
  });
  return (change) => {
    const meta = change.object.metadata;
    const uid = meta.uid!;
    if (change.type === "DELETED") {
      if (change.resource === NODES) orphanedPods.add(meta.name!);
      if (ctx.store.ownedBy(uid).length > 0) queue.add(uid);
      waiting.delete(uid);
      // A dependent's removal may be what a foreground-deleting owner waits for.
      for (const ref of meta.ownerReferences ?? []) if (waiting.has(ref.uid)) queue.add(ref.uid);
      return;
    }
    const finalizers = meta.finalizers ?? [];
    if (
      meta.deletionTimestamp &&
      (finalizers.includes("foregroundDeletion") || finalizers.includes("orphan"))
    ) {
      waiting.set(uid, { kind: change.resource, namespace: meta.namespace, name: meta.name! });
      queue.add(uid);
    }
  };
}

function collect(ctx: ControllerContext, uid: string, waiting: Map<string, OwnerHandle>): void {
  const handle = waiting.get(uid);
  const owner = handle ? ctx.store.get(handle.kind, handle.namespace, handle.name) : undefined;
  const finalizers = owner?.metadata.finalizers ?? [];
  const orphan = owner !== undefined && finalizers.includes("orphan");
  for (const { resource, object } of ctx.store.ownedBy(uid)) {
    const kind = resourceOf(resource);
    if (!kind) continue;
    if (orphan) {
      release(ctx, kind, object, uid);
    } else if (otherOwnersAlive(ctx, object, uid)) {
      release(ctx, kind, object, uid);
    } else if (!object.metadata.deletionTimestamp) {
      ignoreGone(() =>
        ctx.store.delete(kind, object.metadata.namespace, object.metadata.name!, {
          uid: object.metadata.uid!,
        }),
      );
    }
  }
  if (owner && handle && (orphan || ctx.store.ownedBy(uid).length === 0)) {
    ctx.store.mutate(handle.kind, handle.namespace, handle.name, (draft) => {
      draft.metadata.finalizers = (draft.metadata.finalizers ?? []).filter(
        (f) => f !== "foregroundDeletion" && f !== "orphan",
      );
    });
  }
}

/** Removes the reference to `uid` from a dependent. */
function release(ctx: ControllerContext, kind: ResourceKind, object: KubeObject, uid: string): void {
  ctx.store.mutate(kind, object.metadata.namespace, object.metadata.name!, (draft) => {
    const refs = draft.metadata.ownerReferences ?? [];
    const kept = refs.filter((r) => r.uid !== uid);
    if (kept.length === refs.length) return false;
    if (kept.length > 0) draft.metadata.ownerReferences = kept;
    else delete draft.metadata.ownerReferences;
  });
}

function otherOwnersAlive(ctx: ControllerContext, object: KubeObject, goneUid: string): boolean {
  return (object.metadata.ownerReferences ?? []).some(
    (ref) => ref.uid !== goneUid && ownerExists(ctx, ref, object.metadata.namespace),
  );
}

function ownerExists(ctx: ControllerContext, ref: OwnerReference, namespace: string | undefined): boolean {
  const kind = findKind(ref.apiVersion, ref.kind);
  if (!kind) return false;
  return ctx.store.get(kind, kind.namespaced ? namespace : undefined, ref.name)?.metadata.uid === ref.uid;
}

function resourceOf(resource: string): ResourceKind | undefined {
  const slash = resource.indexOf("/");
  return findResource(resource.slice(0, slash), resource.slice(slash + 1));
}

function ignoreGone(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    if (!(error instanceof StatusError) || (error.code !== 404 && error.code !== 409)) throw error;
  }
}
