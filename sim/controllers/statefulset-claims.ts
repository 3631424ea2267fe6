/**
 * A StatefulSet's claims, as the real controller manages them: one PersistentVolumeClaim per
 * volumeClaimTemplate and ordinal, named `<template>-<set>-<ordinal>`, created (through
 * admission, as an API create would be) before the pod that mounts it, and mounted by the pod
 * under the template's name. Claims outlive their pods; persistentVolumeClaimRetentionPolicy
 * decides what happens after: `whenDeleted: Delete` makes the set their owner (the garbage
 * collector removes them with the set), `whenScaled: Delete` makes a scaled-down pod their only
 * owner just before the pod goes, so they go with it. A scale-up finds the claims it kept.
 */
import type { KubeObject, OwnerReference } from "../../src/kube/object.js";
import { admitCreate } from "../admission/index.js";
import { apiVersionOf, type ResourceKind } from "../kinds.js";
import type { ControllerContext } from "./context.js";
import type { Volume } from "./pods.js";
import { CLAIMS, PODS, STATEFULSETS } from "./resources.js";

interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export interface ClaimsSpec {
  selector?: { matchLabels?: Record<string, string> };
  volumeClaimTemplates?: ClaimTemplate[];
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
}

const templatesOf = (spec: ClaimsSpec): ClaimTemplate[] =>
  (spec.volumeClaimTemplates ?? []).filter((t) => t.metadata?.name);

export function claimName(template: string, set: string, ordinal: number): string {
  return `${template}-${set}-${ordinal}`;
}

/** The pod volumes that mount an ordinal's claims (they replace template volumes of the same name). */
export function claimVolumes(sts: KubeObject, spec: ClaimsSpec, ordinal: number): Volume[] {
  return templatesOf(spec).map((t) => ({
    name: t.metadata!.name!,
    persistentVolumeClaim: { claimName: claimName(t.metadata!.name!, sts.metadata.name!, ordinal) },
  }));
}

function ownerRef(kind: ResourceKind, owner: KubeObject): OwnerReference {
  return {
    apiVersion: apiVersionOf(kind),
    kind: kind.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
  };
}

/** Creates the ordinal's missing claims; labels are the template's plus the set's selector. */
export function ensureClaims(
  ctx: ControllerContext,
  sts: KubeObject,
  spec: ClaimsSpec,
  ordinal: number,
): void {
  const namespace = sts.metadata.namespace!;
  const deleteWithSet = spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === "Delete";
  for (const template of templatesOf(spec)) {
    const name = claimName(template.metadata!.name!, sts.metadata.name!, ordinal);
    if (ctx.store.get(CLAIMS, namespace, name)) continue;
    const claim: KubeObject = {
      metadata: {
        name,
        namespace,
        labels: { ...template.metadata?.labels, ...spec.selector?.matchLabels },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ...(deleteWithSet ? { ownerReferences: [ownerRef(STATEFULSETS, sts)] } : {}),
      },
      spec: { volumeMode: "Filesystem", ...structuredClone(template.spec ?? {}) },
      status: { phase: "Pending" },
    };
    admitCreate(ctx.store, CLAIMS, claim);
    ctx.store.create(CLAIMS, claim);
  }
}

/** Before a scaled-down pod is deleted: with `whenScaled: Delete` its claims are handed to it. */
export function condemnClaims(
  ctx: ControllerContext,
  sts: KubeObject,
  spec: ClaimsSpec,
  pod: KubeObject,
): void {
  if (spec.persistentVolumeClaimRetentionPolicy?.whenScaled !== "Delete") return;
  const ordinal = Number(pod.metadata.name!.slice(sts.metadata.name!.length + 1));
  for (const volume of claimVolumes(sts, spec, ordinal)) {
    ctx.store.mutate(CLAIMS, sts.metadata.namespace, volume.persistentVolumeClaim!.claimName, (draft) => {
      // The set lets go, as the real controller does, or its reference would keep the claim alive.
      const refs = (draft.metadata.ownerReferences ?? []).filter((r) => r.uid !== sts.metadata.uid);
      if (refs.some((r) => r.uid === pod.metadata.uid)) return false;
      draft.metadata.ownerReferences = [...refs, ownerRef(PODS, pod)];
    });
  }
}
