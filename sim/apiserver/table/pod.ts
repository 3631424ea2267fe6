/**
 * The pod columns of `kubectl get pods`, with the server printer's status logic: the phase, or the
 * pod's reason, overridden by init container progress ("Init:1/2", "Init:CrashLoopBackOff"), then
 * by the last container's waiting or terminated reason (ContainerCreating, CrashLoopBackOff,
 * Completed, Error), and finally by Terminating while a deletion is pending.
 */
import type { JsonObject, KubeObject } from "../../../src/kube/object.js";
import { since } from "./human-duration.js";
import {
  AGE_COLUMN,
  column,
  int,
  list,
  NAME_COLUMN,
  str,
  type Cell,
  type RowCondition,
  type RowPrinter,
} from "./columns.js";

const COLUMNS = [
  NAME_COLUMN,
  column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
  column("Status", "The aggregate status of the containers in this pod."),
  column(
    "Restarts",
    "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
  ),
  AGE_COLUMN,
  column("IP", "IP address allocated to the pod. Routable at least within the cluster.", { priority: 1 }),
  column("Node", "NodeName indicates in which node this pod is scheduled.", { priority: 1 }),
  column("Nominated Node", "nominatedNodeName is set when this pod preempts other pods on the node.", {
    priority: 1,
  }),
  column("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", {
    priority: 1,
  }),
];

/** The restart count and the latest restart (a container's last termination) of some containers. */
interface Restarts {
  count: number;
  last: number;
}

function countRestarts(statuses: JsonObject[], into: Restarts = { count: 0, last: 0 }): Restarts {
  for (const status of statuses) {
    into.count += typeof status.restartCount === "number" ? status.restartCount : 0;
    const finished = Date.parse(str(status, "lastState.terminated.finishedAt"));
    if (!Number.isNaN(finished) && finished > into.last) into.last = finished;
  }
  return into;
}

function terminatedReason(state: unknown, prefix: string): string {
  const reason = str(state, "terminated.reason");
  if (reason) return prefix + reason;
  const signal = int(state, "terminated.signal");
  return signal ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${int(state, "terminated.exitCode")}`;
}

function isRestartableInit(container: JsonObject | undefined): boolean {
  return container?.restartPolicy === "Always";
}

function conditionTrue(pod: KubeObject, type: string): boolean {
  return list(pod, "status.conditions").some((c) => c.type === type && c.status === "True");
}

export function podStatus(pod: KubeObject): {
  ready: number;
  total: number;
  reason: string;
  restarts: Restarts;
} {
  const containers = list(pod, "spec.containers");
  const initSpecs = new Map(list(pod, "spec.initContainers").map((c) => [str(c, "name"), c]));
  const total = containers.length + [...initSpecs.values()].filter(isRestartableInit).length;
  let ready = 0;
  let reason = str(pod, "status.reason") || str(pod, "status.phase");
  if (list(pod, "status.conditions").some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated"))
    reason = "SchedulingGated";

  const initStatuses = list(pod, "status.initContainerStatuses");
  const all = countRestarts(initStatuses);
  const sidecars = countRestarts(
    initStatuses.filter((s) => isRestartableInit(initSpecs.get(str(s, "name")))),
  );
  let initializing = false;
  for (const [i, status] of initStatuses.entries()) {
    const state = status.state as JsonObject | undefined;
    const terminated = state?.terminated as { exitCode?: number } | undefined;
    const waiting = str(state, "waiting.reason");
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isRestartableInit(initSpecs.get(str(status, "name"))) && status.started === true) {
      if (status.ready === true) ready++;
      continue;
    }
    if (terminated) reason = terminatedReason(state, "Init:");
    else if (waiting && waiting !== "PodInitializing") reason = `Init:${waiting}`;
    else reason = `Init:${i}/${initSpecs.size}`;
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || conditionTrue(pod, "Initialized")) {
    restarts = countRestarts(list(pod, "status.containerStatuses"), { ...sidecars });
    let hasRunning = false;
    // The last container's state wins, as in the real printer (it walks them backwards).
    for (const status of list(pod, "status.containerStatuses").reverse()) {
      const state = status.state as JsonObject | undefined;
      if (str(state, "waiting.reason")) reason = str(state, "waiting.reason");
      else if (state?.terminated) reason = terminatedReason(state, "");
      else if (status.ready === true && state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
  }

  const phase = str(pod, "status.phase");
  if (pod.metadata.deletionTimestamp && str(pod, "status.reason") === "NodeLost") reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed")
    reason = "Terminating";
  return { ready, total, reason, restarts };
}

function readinessGates(pod: KubeObject): string {
  const gates = list(pod, "spec.readinessGates");
  if (gates.length === 0) return "<none>";
  const conditions = list(pod, "status.conditions");
  const passed = gates.filter((g) =>
    conditions.some((c) => c.type === g.conditionType && c.status === "True"),
  ).length;
  return `${passed}/${gates.length}`;
}

export const podPrinter: RowPrinter = {
  columns: COLUMNS,
  cells(pod: KubeObject, now: number): Cell[] {
    const { ready, total, reason, restarts } = podStatus(pod);
    const restartText =
      restarts.count !== 0 && restarts.last > 0
        ? `${restarts.count} (${since(new Date(restarts.last).toISOString(), now)} ago)`
        : String(restarts.count);
    const podIPs = list(pod, "status.podIPs");
    const ip = (podIPs.length > 0 ? str(podIPs[0], "ip") : "") || "<none>";
    return [
      pod.metadata.name ?? "",
      `${ready}/${total}`,
      reason,
      restartText,
      since(pod.metadata.creationTimestamp, now),
      ip,
      str(pod, "spec.nodeName") || "<none>",
      str(pod, "status.nominatedNodeName") || "<none>",
      readinessGates(pod),
    ];
  },
  conditions(pod: KubeObject): RowCondition[] | undefined {
    const phase = str(pod, "status.phase");
    if (phase === "Succeeded")
      return [
        {
          type: "Completed",
          status: "True",
          reason: "Succeeded",
          message: "The pod has completed successfully.",
        },
      ];
    if (phase === "Failed")
      return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
    return undefined;
  },
};
