/**
 * The pvc-protection and pv-protection controllers: a deleted claim stays (Terminating) while an
 * unfinished pod still mounts it, a deleted volume while it is Bound; then the finalizer the
 * admission plugin put on them is removed and the store lets them go.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { PV_PROTECTION, PVC_PROTECTION } from "../admission/index.js";
import type { ResourceKind } from "../kinds.js";
import { splitKey, type ChangeHandler, type ControllerContext } from "./context.js";
import { claimsOf, podStatus } from "./pods.js";
import { CLAIMS, PODS, VOLUMES } from "./resources.js";

const held = (obj: KubeObject, finalizer: string): boolean =>
  !!obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(finalizer);

export function startVolumeProtection(ctx: ControllerContext): ChangeHandler {
  const claims = ctx.loop.queue("pvc-protection", (key) => syncClaim(ctx, key));
  const volumes = ctx.loop.queue("pv-protection", (name) => syncVolume(ctx, name));
  for (const claim of ctx.store.all(CLAIMS))
    if (held(claim, PVC_PROTECTION)) claims.add(`${claim.metadata.namespace}/${claim.metadata.name}`);
  for (const volume of ctx.store.all(VOLUMES))
    if (held(volume, PV_PROTECTION)) volumes.add(volume.metadata.name!);
  return (change) => {
    const { object } = change;
    if (change.resource === CLAIMS && change.type !== "DELETED" && held(object, PVC_PROTECTION)) {
      claims.add(`${object.metadata.namespace}/${object.metadata.name}`);
    } else if (change.resource === VOLUMES && change.type !== "DELETED" && held(object, PV_PROTECTION)) {
      volumes.add(object.metadata.name!);
    } else if (change.resource === PODS) {
      // A pod that went (or finished) may have been the last user of a terminating claim.
      const phase = podStatus(object).phase;
      if (change.type !== "DELETED" && phase !== "Succeeded" && phase !== "Failed") return;
      for (const name of claimsOf(change.prev ?? object)) claims.add(`${object.metadata.namespace}/${name}`);
    }
  };
}

function inUse(ctx: ControllerContext, claim: KubeObject): boolean {
  return ctx.store.all(PODS, claim.metadata.namespace).some((pod) => {
    const phase = podStatus(pod).phase;
    return phase !== "Succeeded" && phase !== "Failed" && claimsOf(pod).includes(claim.metadata.name!);
  });
}

function release(ctx: ControllerContext, kind: ResourceKind, obj: KubeObject, finalizer: string): void {
  ctx.store.update(kind, {
    ...obj,
    metadata: { ...obj.metadata, finalizers: (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer) },
  });
}

function syncClaim(ctx: ControllerContext, key: string): void {
  const [namespace, name] = splitKey(key);
  const claim = ctx.store.get(CLAIMS, namespace, name);
  if (claim && held(claim, PVC_PROTECTION) && !inUse(ctx, claim)) release(ctx, CLAIMS, claim, PVC_PROTECTION);
}

function syncVolume(ctx: ControllerContext, name: string): void {
  const volume = ctx.store.get(VOLUMES, undefined, name);
  const bound = (volume?.status as { phase?: string } | undefined)?.phase === "Bound";
  if (volume && held(volume, PV_PROTECTION) && !bound) release(ctx, VOLUMES, volume, PV_PROTECTION);
}
