/**
 * The PersistentVolume controller, with the clouds' provisioners behind it. A claim binds to an
 * Available volume that fits it (class, access modes, size; the smallest wins), or to a new one
 * its storage class provisions (volume-provisioner.ts) — a WaitForFirstConsumer class waits for
 * a scheduled pod that uses the claim, so the binder looks again when one is. Binding sets
 * the claim's volumeName, annotations and status (Bound, capacity, access modes) and the
 * volume's phase. When a bound claim goes, its volume is Released, and deleted if its reclaim
 * policy says Delete.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ResourceKind } from "../kinds.js";
import { parseQuantity } from "../quantity.js";
import { replaceStatus, splitKey, type ChangeHandler, type ControllerContext } from "./context.js";
import { claimsOf, podSpec } from "./pods.js";
import { CLAIMS, PODS, STORAGE_CLASSES, VOLUMES } from "./resources.js";
import { PROVISIONER_FINALIZER, provisionFor } from "./volume-provisioner.js";

const BETA_CLASS = "volume.beta.kubernetes.io/storage-class";

interface ClaimSpec {
  volumeName?: string;
  storageClassName?: string;
  accessModes?: string[];
  volumeMode?: string;
  resources?: { requests?: { storage?: string } };
}

interface VolumeSpec {
  claimRef?: { namespace?: string; name?: string; uid?: string };
  storageClassName?: string;
  accessModes?: string[];
  capacity?: { storage?: string };
  volumeMode?: string;
  persistentVolumeReclaimPolicy?: string;
}

const claimSpec = (claim: KubeObject): ClaimSpec => (claim.spec as ClaimSpec | undefined) ?? {};
const volumeSpec = (volume: KubeObject): VolumeSpec => (volume.spec as VolumeSpec | undefined) ?? {};
const phaseOf = (obj: KubeObject): string | undefined =>
  (obj.status as { phase?: string } | undefined)?.phase;
const keyOf = (obj: KubeObject): string => `${obj.metadata.namespace}/${obj.metadata.name}`;

function classOf(claim: KubeObject): string {
  return claim.metadata.annotations?.[BETA_CLASS] ?? claimSpec(claim).storageClassName ?? "";
}

export function startVolumeBinder(ctx: ControllerContext): ChangeHandler {
  const waiting = new Set<string>();
  const claims = ctx.loop.queue("persistentvolume-binder-claims", (key) => syncClaim(ctx, key, waiting));
  const volumes = ctx.loop.queue("persistentvolume-binder-volumes", (name) => syncVolume(ctx, name));
  for (const claim of ctx.store.all(CLAIMS)) claims.add(keyOf(claim));
  for (const volume of ctx.store.all(VOLUMES)) volumes.add(volume.metadata.name!);
  const retryWaiting = (): void => {
    for (const key of waiting) claims.add(key);
  };
  return (change) => {
    const { object, prev } = change;
    if (change.resource === CLAIMS) {
      claims.add(keyOf(object));
      const bound = claimSpec(object).volumeName ?? (prev && claimSpec(prev).volumeName);
      if (bound) volumes.add(bound);
      if (change.type === "DELETED") waiting.delete(keyOf(object));
    } else if (change.resource === VOLUMES) {
      volumes.add(object.metadata.name!);
      const ref = volumeSpec(object).claimRef;
      if (ref?.name) claims.add(`${ref.namespace}/${ref.name}`);
      // A volume that became available may be what a waiting claim needs.
      if (change.type !== "DELETED" && phaseOf(object) === "Available") retryWaiting();
    } else if (change.resource === STORAGE_CLASSES) {
      retryWaiting();
    } else if (change.resource === PODS && change.type !== "DELETED") {
      // A consumer being scheduled is what a WaitForFirstConsumer claim waits for.
      if (podSpec(object).nodeName && !(prev && podSpec(prev).nodeName)) {
        for (const name of claimsOf(object)) claims.add(`${object.metadata.namespace}/${name}`);
      }
    }
  };
}

function syncClaim(ctx: ControllerContext, key: string, waiting: Set<string>): void {
  const [namespace, name] = splitKey(key);
  const claim = ctx.store.get(CLAIMS, namespace, name);
  waiting.delete(key);
  if (!claim || claim.metadata.deletionTimestamp) return;
  const spec = claimSpec(claim);
  if (spec.volumeName) {
    const volume = ctx.store.get(VOLUMES, undefined, spec.volumeName);
    const ref = volume && volumeSpec(volume).claimRef;
    // A bound claim whose volume vanished is Lost; one named after a volume yet to come waits.
    if (!volume) {
      if (phaseOf(claim) === "Bound") setPhase(ctx, CLAIMS, claim, "Lost");
    } else if (
      !ref ||
      (ref.namespace === namespace && ref.name === name && (!ref.uid || ref.uid === claim.metadata.uid))
    )
      bind(ctx, claim, volume);
    return;
  }
  const volume = matchingVolume(ctx, claim) ?? provisionFor(ctx, claim, classOf(claim));
  if (volume) bind(ctx, claim, volume);
  else waiting.add(key);
}

/** An Available volume of the claim's class that offers its access modes and size: the smallest. */
function matchingVolume(ctx: ControllerContext, claim: KubeObject): KubeObject | undefined {
  const spec = claimSpec(claim);
  const wanted = parseQuantity(spec.resources?.requests?.storage ?? "0").milli;
  let best: { volume: KubeObject; size: bigint } | undefined;
  for (const volume of ctx.store.all(VOLUMES)) {
    const v = volumeSpec(volume);
    const ref = v.claimRef;
    const free =
      !ref || (ref.namespace === claim.metadata.namespace && ref.name === claim.metadata.name && !ref.uid);
    if (!free || volume.metadata.deletionTimestamp || phaseOf(volume) === "Released") continue;
    if ((v.storageClassName ?? "") !== classOf(claim)) continue;
    if ((v.volumeMode ?? "Filesystem") !== (spec.volumeMode ?? "Filesystem")) continue;
    if (!(spec.accessModes ?? []).every((m) => v.accessModes?.includes(m))) continue;
    const size = parseQuantity(v.capacity?.storage ?? "0").milli;
    if (size >= wanted && (!best || size < best.size)) best = { volume, size };
  }
  return best?.volume;
}

/** Completes a binding on both sides; writes only what differs. */
function bind(ctx: ControllerContext, claim: KubeObject, volume: KubeObject): void {
  const v = volumeSpec(volume);
  if (!v.claimRef?.uid) {
    volume = ctx.store.update(VOLUMES, {
      ...volume,
      spec: {
        ...v,
        claimRef: {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          name: claim.metadata.name,
          namespace: claim.metadata.namespace,
          resourceVersion: claim.metadata.resourceVersion,
          uid: claim.metadata.uid,
        },
      },
    });
  }
  setPhase(ctx, VOLUMES, volume, "Bound");
  const current = ctx.store.get(CLAIMS, claim.metadata.namespace, claim.metadata.name!) ?? claim;
  const byController = claimSpec(current).volumeName
    ? current.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"]
    : "yes";
  const annotations = {
    ...current.metadata.annotations,
    "pv.kubernetes.io/bind-completed": "yes",
    ...(byController ? { "pv.kubernetes.io/bound-by-controller": byController } : {}),
  };
  const status = {
    ...(current.status as object),
    phase: "Bound",
    accessModes: [...(v.accessModes ?? [])],
    capacity: { ...v.capacity },
  };
  const next: KubeObject = {
    ...current,
    metadata: { ...current.metadata, annotations },
    spec: { ...claimSpec(current), volumeName: volume.metadata.name },
    status,
  };
  if (JSON.stringify(next) !== JSON.stringify(current)) ctx.store.update(CLAIMS, next);
}

function syncVolume(ctx: ControllerContext, name: string): void {
  let volume = ctx.store.get(VOLUMES, undefined, name);
  if (!volume) return;
  const ref = volumeSpec(volume).claimRef;
  const claim = ref?.name ? ctx.store.get(CLAIMS, ref.namespace, ref.name) : undefined;
  if (!ref?.name) {
    if (!volume.metadata.deletionTimestamp) volume = setPhase(ctx, VOLUMES, volume, "Available");
  } else if (claim && (!ref.uid || claim.metadata.uid === ref.uid)) {
    if (!ref.uid && phaseOf(volume) === "Pending") volume = setPhase(ctx, VOLUMES, volume, "Available");
  } else {
    // Its claim is gone: the volume is released, and reclaimed as its policy says.
    if (phaseOf(volume) !== "Failed") volume = setPhase(ctx, VOLUMES, volume, "Released");
    if (volumeSpec(volume).persistentVolumeReclaimPolicy === "Delete" && !volume.metadata.deletionTimestamp) {
      volume = ctx.store.delete(VOLUMES, undefined, name, { uid: volume.metadata.uid! }).object;
    }
  }
  // A deleted volume nothing is bound to any more: the provisioner deletes the disk and lets go.
  const finalizers = volume.metadata.finalizers ?? [];
  if (
    volume.metadata.deletionTimestamp &&
    phaseOf(volume) !== "Bound" &&
    finalizers.includes(PROVISIONER_FINALIZER)
  ) {
    ctx.store.update(VOLUMES, {
      ...volume,
      metadata: { ...volume.metadata, finalizers: finalizers.filter((f) => f !== PROVISIONER_FINALIZER) },
    });
  }
}

function setPhase(ctx: ControllerContext, kind: ResourceKind, obj: KubeObject, phase: string): KubeObject {
  if (phaseOf(obj) === phase) return obj;
  const status = { ...(obj.status as object), phase };
  if (kind === VOLUMES) Object.assign(status, { lastPhaseTransitionTime: ctx.timestamp() });
  return replaceStatus(ctx.store, kind, obj, status);
}
