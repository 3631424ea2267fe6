/**
 * A node's kubelet stopping (or resuming) posting ready status, on request: the Ready condition
 * goes False with the kubelet's reason, and the node lifecycle controller taints it not-ready.
 */
import type { ClusterStore } from "../store/cluster-store.js";
import { statusErrors } from "../errors.js";
import { NODES } from "./resources.js";
import type { Condition } from "./pods.js";

export function setNodeReady(store: ClusterStore, node: string, ready: boolean): void {
  if (!store.get(NODES, undefined, node)) throw statusErrors.notFound("", "nodes", node);
  const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  store.mutate(NODES, undefined, node, (draft) => {
    const status = (draft.status ??= {}) as { conditions?: Condition[] };
    const conditions = (status.conditions ??= []);
    let condition = conditions.find((c) => c.type === "Ready");
    if (!condition) conditions.push((condition = { type: "Ready", status: "Unknown" } as Condition));
    const next = ready ? "True" : "False";
    if (condition.status === next) return false;
    Object.assign(condition, {
      status: next,
      reason: ready ? "KubeletReady" : "KubeletNotReady",
      message: ready ? "kubelet is posting ready status" : "container runtime network not ready",
      lastTransitionTime: stamp,
      lastHeartbeatTime: stamp,
    });
  });
}
