/**
 * Namespace lifecycle. A new namespace is Active and carries the "kubernetes" finalizer in
 * spec.finalizers; deleting it makes it Terminating (the store keeps it because of that
 * finalizer) until this controller has deleted everything inside, then drops the finalizer so
 * the store removes the namespace, as the real namespace controller does.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { RESOURCE_KINDS, type ResourceKind } from "../kinds.js";
import type { ChangeHandler, ControllerContext } from "./context.js";
import { NAMESPACES, PODS, EVENTS } from "./resources.js";

const FINALIZER = "kubernetes";

interface NamespaceSpec {
  finalizers?: string[];
}

/**
 * The defaults the API server gives a new Namespace: spec.finalizers ["kubernetes"] and
 * status.phase Active. For the REST create path and the fleet generator; returns a copy.
 */
export function namespaceDefaults(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as NamespaceSpec & Record<string, unknown>;
  const status = (obj.status ?? {}) as Record<string, unknown>;
  return {
    ...obj,
    spec: { ...spec, finalizers: spec.finalizers ?? [FINALIZER] },
    status: { ...status, phase: status.phase ?? "Active" },
  };
}

function needsDefaults(ns: KubeObject): boolean {
  return (
    (ns.spec as NamespaceSpec | undefined)?.finalizers === undefined ||
    (ns.status as { phase?: string } | undefined)?.phase === undefined
  );
}

/** Workloads go before their pods so that no controller recreates what was just deleted; events last. */
const DELETION_ORDER: ResourceKind[] = (() => {
  const namespaced = RESOURCE_KINDS.filter((k) => k.namespaced && !k.virtual);
  const rank = (k: ResourceKind): number =>
    k.group === "apps" || k.group === "batch" ? 0 : k === PODS ? 1 : k === EVENTS ? 3 : 2;
  return [...namespaced].sort((a, b) => rank(a) - rank(b));
})();

export function startNamespaceController(ctx: ControllerContext): ChangeHandler {
  const terminating = new Set<string>();
  const queue = ctx.loop.queue("namespace", (name) => syncNamespace(ctx, name, terminating));
  const consider = (ns: KubeObject): void => {
    if (ns.metadata.deletionTimestamp) {
      terminating.add(ns.metadata.name!);
      queue.add(ns.metadata.name!);
    } else if (needsDefaults(ns)) {
      // A namespace created without namespaceDefaults (e.g. straight into the store) is fixed up here.
      queue.add(ns.metadata.name!);
    }
  };
  for (const ns of ctx.store.all(NAMESPACES)) consider(ns);
  return (change) => {
    if (change.resource === NAMESPACES) {
      if (change.type === "DELETED") terminating.delete(change.object.metadata.name!);
      else consider(change.object);
    } else if (
      change.type === "DELETED" &&
      change.resource.namespaced &&
      terminating.has(change.object.metadata.namespace ?? "")
    ) {
      queue.add(change.object.metadata.namespace!);
    }
  };
}

function syncNamespace(ctx: ControllerContext, name: string, terminating: Set<string>): void {
  const ns = ctx.store.get(NAMESPACES, undefined, name);
  if (!ns) {
    terminating.delete(name);
    return;
  }
  if (!ns.metadata.deletionTimestamp) {
    if (needsDefaults(ns)) {
      ctx.store.mutate(NAMESPACES, undefined, name, (draft) => {
        Object.assign(draft, namespaceDefaults(draft));
      });
    }
    return;
  }
  let remaining = 0;
  for (const kind of DELETION_ORDER) {
    for (const obj of ctx.store.all(kind, name)) {
      if (!obj.metadata.deletionTimestamp) {
        const { removed } = ctx.store.delete(kind, name, obj.metadata.name!);
        if (removed) continue;
      }
      remaining++;
    }
  }
  // Objects held by their own finalizers keep the namespace Terminating; their removal requeues it.
  if (remaining > 0) return;
  ctx.store.mutate(NAMESPACES, undefined, name, (draft) => {
    const spec = (draft.spec ?? {}) as NamespaceSpec;
    if (!spec.finalizers?.includes(FINALIZER)) return false;
    draft.spec = { ...spec, finalizers: spec.finalizers.filter((f) => f !== FINALIZER) };
  });
}
