/**
 * A container crash as the kubelet reports it, for the churn generator: the container's last
 * instance becomes `lastState.terminated` (exit code and reason), `restartCount` goes up, a new
 * instance runs, and the events read as they would: BackOff, then Pulled / Created / Started.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { statusErrors } from "../errors.js";
import { containerId, recordContainerStart } from "./containers.js";
import { recorderFor } from "./events.js";
import { PODS } from "./resources.js";
import { podSpec, podStatus } from "./pods.js";

/** The ways a simulated container dies, chosen by its restart count so a fleet replays the same. */
const EXITS = [
  { exitCode: 1, reason: "Error" },
  { exitCode: 137, reason: "OOMKilled" },
  { exitCode: 2, reason: "Error" },
  { exitCode: 143, reason: "Error" },
];

/**
 * Restarts one container (the first when none is named) of a running pod. Returns the updated
 * pod, or undefined when the pod is not running; throws NotFound (pod) or BadRequest (container).
 */
export function restartContainer(
  store: ClusterStore,
  namespace: string,
  podName: string,
  containerName?: string,
): KubeObject | undefined {
  const pod = store.get(PODS, namespace, podName);
  if (!pod) throw statusErrors.notFound("", "pods", podName);
  const container = containerName ?? podSpec(pod).containers?.[0]?.name;
  const spec = podSpec(pod).containers?.find((c) => c.name === container);
  if (!spec) throw statusErrors.badRequest(`container ${container ?? ""} is not valid for pod ${podName}`);
  if (podStatus(pod).phase !== "Running") return undefined;
  const events = recorderFor(store);
  const stamp = events
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
  const updated = store.mutate(PODS, namespace, podName, (draft) => {
    const statuses = podStatus(draft).containerStatuses ?? [];
    const status = statuses.find((s) => s.name === container);
    if (!status) return false;
    const exit = EXITS[status.restartCount % EXITS.length]!;
    status.lastState = {
      terminated: {
        exitCode: exit.exitCode,
        reason: exit.reason,
        startedAt: status.state.running?.startedAt ?? stamp,
        finishedAt: stamp,
        containerID: status.containerID,
      },
    };
    status.restartCount += 1;
    status.containerID = containerId(draft, status.name, status.restartCount);
    status.state = { running: { startedAt: stamp } };
    status.ready = true;
    status.started = true;
  });
  if (!updated || updated === pod) return undefined;
  const host = podSpec(updated).nodeName ?? "";
  events.record({
    kind: PODS,
    object: updated,
    type: "Warning",
    reason: "BackOff",
    message: `Back-off restarting failed container ${container} in pod ${podName}_${namespace}(${updated.metadata.uid})`,
    source: { component: "kubelet", host },
    fieldPath: `spec.containers{${container}}`,
  });
  recordContainerStart(events, updated, spec, host);
  return updated;
}
