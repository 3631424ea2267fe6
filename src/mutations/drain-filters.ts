/**
 * Which pods of a node a drain evicts, as kubectl drain's filters decide (k8s.io/kubectl
 * pkg/drain/filters.go, in its order; the first filter that keeps a pod decides): DaemonSet pods
 * (their controller would put them straight back) are skipped with ignoreDaemonSets, else they
 * refuse the drain; mirror pods (the kubelet's static pods, which the API cannot remove) are
 * skipped; pods with emptyDir data refuse it unless deleteEmptyDirData; pods no controller
 * would recreate refuse it unless force. A finished pod (Succeeded, Failed) passes every filter:
 * removing it loses nothing. A refusal refuses the whole node, and nothing is evicted.
 */
import type { KubeObject } from "../kube/object.js";

export interface DrainFilterOptions {
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  force: boolean;
}

export type PodVerdict =
  | { action: "evict"; warning?: string }
  | { action: "skip"; reason: string }
  | { action: "refuse"; reason: string };

const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

/** kubectl's own words, so a refusal reads the same as on the command line (with our field names). */
export const DAEMONSET_REFUSAL = "cannot delete DaemonSet-managed Pods (use ignoreDaemonSets)";
export const LOCAL_STORAGE_REFUSAL = "cannot delete Pods with local storage (use deleteEmptyDirData)";
export const UNREPLICATED_REFUSAL = "cannot delete Pods that declare no controller (use force)";

interface PodShape {
  spec?: { volumes?: { emptyDir?: unknown }[] };
  status?: { phase?: string };
}

export function isFinished(pod: KubeObject): boolean {
  const phase = (pod as PodShape).status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

const controllerOf = (pod: KubeObject) => pod.metadata.ownerReferences?.find((r) => r.controller === true);

export function drainVerdict(pod: KubeObject, options: DrainFilterOptions): PodVerdict {
  const finished = isFinished(pod);
  const controller = controllerOf(pod);
  if (controller?.kind === "DaemonSet" && !finished) {
    return options.ignoreDaemonSets
      ? { action: "skip", reason: `DaemonSet-managed (${controller.name}): ignored` }
      : { action: "refuse", reason: DAEMONSET_REFUSAL };
  }
  if (pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined)
    return { action: "skip", reason: "a mirror pod (static, managed by the kubelet)" };
  const warnings: string[] = [];
  if (!finished && ((pod as PodShape).spec?.volumes ?? []).some((v) => v.emptyDir !== undefined)) {
    if (!options.deleteEmptyDirData) return { action: "refuse", reason: LOCAL_STORAGE_REFUSAL };
    warnings.push("its emptyDir data is deleted");
  }
  if (!finished && !controller) {
    if (!options.force) return { action: "refuse", reason: UNREPLICATED_REFUSAL };
    warnings.push("no controller will recreate it");
  }
  return warnings.length > 0 ? { action: "evict", warning: warnings.join("; ") } : { action: "evict" };
}
