/**
 * How controllers remove pods. A real cluster deletes gracefully: the API server sets
 * deletionTimestamp, the kubelet stops the containers within terminationGracePeriodSeconds and
 * then removes the pod. The simulator removes the pod at once (watchers see one DELETED event)
 * and the kubelet records the Killing events afterwards; nothing reads the grace period.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { StatusError } from "../errors.js";
import type { ControllerContext } from "./context.js";
import { PODS } from "./resources.js";

/** Deletes this pod (by uid, so a newer pod of the same name survives); false when it was already gone. */
export function deletePod(ctx: ControllerContext, pod: KubeObject): boolean {
  try {
    ctx.store.delete(PODS, pod.metadata.namespace, pod.metadata.name!, { uid: pod.metadata.uid! });
    return true;
  } catch (error) {
    if (error instanceof StatusError && (error.code === 404 || error.code === 409)) return false;
    throw error;
  }
}
