/**
 * The StatefulSet controller: pods `<name>-0 .. <name>-(N-1)` with stable names and hostnames.
 * With the default OrderedReady policy it creates one pod at a time, each once the previous
 * one is Running and Ready, removes from the highest ordinal down, and rolls template changes
 * from the highest ordinal down; Parallel creates and deletes all at once.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ChangeHandler, ControllerContext } from "./context.js";
import { ownerQueue } from "./owner-queue.js";
import { splitKey, replaceStatus } from "./context.js";
import { PODS, STATEFULSETS } from "./resources.js";
import {
  controlledPods,
  controllerReference,
  isActive,
  isReady,
  podFromTemplate,
  podStatus,
  type PodTemplate,
} from "./pods.js";
import { deletePod } from "./pod-deletion.js";
import { templateHash } from "./template-hash.js";
import { claimVolumes, condemnClaims, ensureClaims, type ClaimsSpec } from "./statefulset-claims.js";

interface StatefulSetSpec extends ClaimsSpec {
  replicas?: number;
  serviceName?: string;
  podManagementPolicy?: string;
  updateStrategy?: { type?: string };
  template?: PodTemplate;
}

const REVISION_LABEL = "controller-revision-hash";

export function startStatefulSetController(ctx: ControllerContext): ChangeHandler {
  return ownerQueue(ctx, STATEFULSETS, PODS, (key) => syncStatefulSet(ctx, key)).handle;
}

function syncStatefulSet(ctx: ControllerContext, key: string): void {
  const [namespace, name] = splitKey(key);
  const sts = ctx.store.get(STATEFULSETS, namespace, name);
  if (!sts || sts.metadata.deletionTimestamp) return;
  const spec = (sts.spec ?? {}) as StatefulSetSpec;
  const replicas = spec.replicas ?? 1;
  const ordered = (spec.podManagementPolicy ?? "OrderedReady") === "OrderedReady";
  const revision = `${name}-${templateHash(spec.template)}`;
  const byOrdinal = new Map<number, KubeObject>();
  for (const pod of controlledPods(ctx.store.ownedBy(sts.metadata.uid!), sts.metadata.uid!)) {
    const ordinal = Number(pod.metadata.name!.slice(name.length + 1));
    if (pod.metadata.name!.startsWith(`${name}-`) && Number.isInteger(ordinal)) byOrdinal.set(ordinal, pod);
  }
  const healthy = (pod: KubeObject | undefined): boolean =>
    !!pod && isActive(pod) && podStatus(pod).phase === "Running" && isReady(pod);

  let busy = false;
  for (let i = 0; i < replicas && !busy; i++) {
    const pod = byOrdinal.get(i);
    if (pod && !isActive(pod)) {
      // A finished pod of a StatefulSet is replaced under the same name.
      deletePod(ctx, pod);
      byOrdinal.delete(i);
      busy = ordered;
      continue;
    }
    if (!pod) {
      byOrdinal.set(i, createPod(ctx, sts, spec, i, revision));
      busy = ordered;
    } else if (ordered && !healthy(pod)) {
      busy = true;
    }
  }
  const surplus = [...byOrdinal.keys()].filter((i) => i >= replicas).sort((a, b) => b - a);
  for (const ordinal of ordered ? surplus.slice(0, 1) : surplus) {
    if (busy && ordered) break;
    condemnClaims(ctx, sts, spec, byOrdinal.get(ordinal)!);
    removePod(ctx, sts, byOrdinal.get(ordinal)!);
    byOrdinal.delete(ordinal);
    busy = true;
  }
  if (!busy && spec.updateStrategy?.type !== "OnDelete") {
    // Rolling update, highest ordinal first, one pod at a time once every pod is healthy.
    const stale = [...byOrdinal.entries()]
      .filter(([, p]) => p.metadata.labels?.[REVISION_LABEL] !== revision)
      .sort(([a], [b]) => b - a);
    const allHealthy = [...byOrdinal.values()].every(healthy);
    if (stale.length > 0 && allHealthy) {
      removePod(ctx, sts, stale[0]![1]);
      byOrdinal.delete(stale[0]![0]);
    }
  }
  writeStatus(ctx, sts, [...byOrdinal.values()], revision);
}

function createPod(
  ctx: ControllerContext,
  sts: KubeObject,
  spec: StatefulSetSpec,
  ordinal: number,
  revision: string,
): KubeObject {
  const podName = `${sts.metadata.name}-${ordinal}`;
  ensureClaims(ctx, sts, spec, ordinal);
  const claims = claimVolumes(sts, spec, ordinal);
  const volumes = [
    ...(spec.template?.spec?.volumes ?? []).filter((v) => !claims.some((c) => c.name === v.name)),
    ...claims,
  ];
  const pod = ctx.store.create(
    PODS,
    podFromTemplate(spec.template, {
      namespace: sts.metadata.namespace!,
      name: podName,
      owner: controllerReference(STATEFULSETS, sts),
      labels: {
        [REVISION_LABEL]: revision,
        "statefulset.kubernetes.io/pod-name": podName,
        "apps.kubernetes.io/pod-index": String(ordinal),
      },
      spec: {
        hostname: podName,
        ...(spec.serviceName ? { subdomain: spec.serviceName } : {}),
        ...(volumes.length > 0 ? { volumes } : {}),
      },
    }),
  );
  record(
    ctx,
    sts,
    "SuccessfulCreate",
    `create Pod ${podName} in StatefulSet ${sts.metadata.name} successful`,
  );
  return pod;
}

function removePod(ctx: ControllerContext, sts: KubeObject, pod: KubeObject): void {
  if (deletePod(ctx, pod))
    record(
      ctx,
      sts,
      "SuccessfulDelete",
      `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`,
    );
}

function writeStatus(ctx: ControllerContext, sts: KubeObject, pods: KubeObject[], revision: string): void {
  const previous = (sts.status ?? {}) as { currentRevision?: string };
  const updated = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === revision).length;
  const replicas = (sts.spec as StatefulSetSpec).replicas ?? 1;
  const currentRevision =
    updated === pods.length && pods.length === replicas ? revision : (previous.currentRevision ?? revision);
  const ready = pods.filter(isReady).length;
  const status = {
    observedGeneration: sts.metadata.generation ?? 1,
    replicas: pods.length,
    readyReplicas: ready,
    currentReplicas: pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === currentRevision).length,
    updatedReplicas: updated,
    currentRevision,
    updateRevision: revision,
    collisionCount: 0,
    availableReplicas: ready,
  };
  replaceStatus(ctx.store, STATEFULSETS, sts, status);
}

function record(ctx: ControllerContext, sts: KubeObject, reason: string, message: string): void {
  ctx.events.record({
    kind: STATEFULSETS,
    object: sts,
    type: "Normal",
    reason,
    message,
    source: { component: "statefulset-controller" },
  });
}
