/**
 * How many pods a budget's percentages count against: the disruption controller's "expected
 * scale", the sum of spec.replicas of the controllers of the selected pods (a Deployment through
 * its ReplicaSet, a bare ReplicaSet, a StatefulSet), each counted once. Pods without a controller
 * are left out (the real controller warns about them); a controller without a scale (a DaemonSet,
 * a Job) makes the budget's status incomputable, as "found no controllers for pod".
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { controllerOf } from "./pods.js";
import { DEPLOYMENTS, REPLICASETS, STATEFULSETS } from "./resources.js";

export class NoScaleError extends Error {}

const replicasOf = (obj: KubeObject): number =>
  (obj.spec as { replicas?: number } | undefined)?.replicas ?? 1;

export function expectedScale(store: ClusterStore, pods: readonly KubeObject[]): number {
  // Pod controller uid -> the uid of what holds the scale (the Deployment above a ReplicaSet).
  const resolved = new Map<string, string>();
  const replicas = new Map<string, number>();
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref || resolved.has(ref.uid)) continue;
    const found = controllerScale(store, pod.metadata.namespace, ref);
    if (!found) throw new NoScaleError(`found no controllers for pod "${pod.metadata.name}"`);
    resolved.set(ref.uid, found.uid);
    replicas.set(found.uid, found.replicas);
  }
  let total = 0;
  for (const n of replicas.values()) total += n;
  return total;
}

function controllerScale(
  store: ClusterStore,
  namespace: string | undefined,
  ref: { kind: string; name: string; uid: string; apiVersion: string },
): { uid: string; replicas: number } | undefined {
  if (ref.kind === "StatefulSet" && ref.apiVersion.startsWith("apps/")) {
    const sts = store.get(STATEFULSETS, namespace, ref.name);
    return sts?.metadata.uid === ref.uid ? { uid: ref.uid, replicas: replicasOf(sts) } : undefined;
  }
  if (ref.kind !== "ReplicaSet" || !ref.apiVersion.startsWith("apps/")) return undefined;
  const rs = store.get(REPLICASETS, namespace, ref.name);
  if (!rs || rs.metadata.uid !== ref.uid) return undefined;
  const owner = controllerOf(rs);
  if (owner?.kind !== "Deployment") return { uid: ref.uid, replicas: replicasOf(rs) };
  const deployment = store.get(DEPLOYMENTS, namespace, owner.name);
  if (!deployment || deployment.metadata.uid !== owner.uid) return undefined;
  return { uid: owner.uid, replicas: replicasOf(deployment) };
}
