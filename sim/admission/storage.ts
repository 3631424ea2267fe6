/**
 * The two admission plugins a claim or volume passes on create. DefaultStorageClass gives a claim
 * without spec.storageClassName the cluster's default class (the newest one annotated default, as
 * since Kubernetes 1.28); an explicit "" means "no class" and is left alone.
 * StorageObjectInUseProtection adds the finalizers that keep a claim while a pod uses it and a
 * volume while a claim is bound to it (the volume-protection controller removes them).
 */
import type { KubeObject } from "../../src/kube/object.js";
import { findResource, type ResourceKind } from "../kinds.js";
import type { ClusterStore } from "../store/cluster-store.js";

export const PVC_PROTECTION = "kubernetes.io/pvc-protection";
export const PV_PROTECTION = "kubernetes.io/pv-protection";

const STORAGE_CLASSES = findResource("storage.k8s.io", "storageclasses") as ResourceKind;

/** storageutil.IsDefaultAnnotation: the GA annotation or its beta predecessor says "true". */
export function isDefaultStorageClass(sc: KubeObject): boolean {
  const annotations = sc.metadata.annotations ?? {};
  return (
    annotations["storageclass.kubernetes.io/is-default-class"] === "true" ||
    annotations["storageclass.beta.kubernetes.io/is-default-class"] === "true"
  );
}

export function defaultStorageClass(store: ClusterStore): KubeObject | undefined {
  let newest: KubeObject | undefined;
  for (const sc of store.all(STORAGE_CLASSES)) {
    if (!isDefaultStorageClass(sc)) continue;
    if (!newest || (sc.metadata.creationTimestamp ?? "") >= (newest.metadata.creationTimestamp ?? ""))
      newest = sc;
  }
  return newest;
}

function withFinalizer(obj: KubeObject, finalizer: string): void {
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer];
}

/** Admits a new PersistentVolumeClaim in place. */
export function admitClaim(store: ClusterStore, claim: KubeObject): void {
  const spec = (claim.spec ??= {}) as { storageClassName?: string };
  const beta = claim.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"];
  if (spec.storageClassName === undefined && beta === undefined) {
    const fallback = defaultStorageClass(store);
    if (fallback) spec.storageClassName = fallback.metadata.name!;
  }
  withFinalizer(claim, PVC_PROTECTION);
}

/** Admits a new PersistentVolume in place. */
export function admitVolume(volume: KubeObject): void {
  withFinalizer(volume, PV_PROTECTION);
}
