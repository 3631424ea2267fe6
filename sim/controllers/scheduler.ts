/**
 * The default scheduler: binds each pod without spec.nodeName to the fitting node that runs the
 * fewest pods (ties by node name, so a fleet is laid out the same way every time), sets the
 * PodScheduled condition and records `Scheduled`. A pod that fits nowhere stays Pending with
 * PodScheduled=False and a FailedScheduling event, and is retried when a node changes.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ChangeHandler, ControllerContext } from "./context.js";
import { splitKey, replaceStatus } from "./context.js";
import { unfitReason } from "./node-fit.js";
import { NODES, PODS } from "./resources.js";
import { podKey, podSpec, podStatus, type Condition, type PodStatus } from "./pods.js";

const SCHEDULER = "default-scheduler";

function wantsScheduling(pod: KubeObject): boolean {
  const spec = podSpec(pod);
  return (
    !spec.nodeName &&
    !pod.metadata.deletionTimestamp &&
    (spec.schedulerName === undefined || spec.schedulerName === SCHEDULER) &&
    (podStatus(pod).phase ?? "Pending") === "Pending"
  );
}

export function startScheduler(ctx: ControllerContext): ChangeHandler {
  const unschedulable = new Set<string>();
  const queue = ctx.loop.queue("scheduler", (key) => schedule(ctx, key, unschedulable));
  for (const pod of ctx.store.all(PODS)) if (wantsScheduling(pod)) queue.add(podKey(pod));
  return (change) => {
    if (change.resource === PODS) {
      if (change.type !== "DELETED" && wantsScheduling(change.object)) queue.add(podKey(change.object));
      else unschedulable.delete(podKey(change.object));
    } else if (change.resource === NODES && change.type !== "DELETED") {
      for (const key of unschedulable) queue.add(key);
    }
  };
}

function schedule(ctx: ControllerContext, key: string, unschedulable: Set<string>): void {
  const [namespace, name] = splitKey(key);
  const pod = ctx.store.get(PODS, namespace, name);
  if (!pod || !wantsScheduling(pod)) {
    unschedulable.delete(key);
    return;
  }
  const nodes = ctx.store.all(NODES);
  let best: KubeObject | undefined;
  let bestCount = Infinity;
  const failures = new Map<string, number>();
  for (const node of nodes) {
    const reason = unfitReason(pod, node);
    if (reason) {
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
      continue;
    }
    const count = ctx.placement.count(node.metadata.name!);
    if (count < bestCount) {
      best = node;
      bestCount = count;
    }
  }
  const stamp = ctx.timestamp();
  if (!best) {
    unschedulable.add(key);
    const message = failedMessage(nodes.length, failures);
    const status = withCondition(
      pod,
      { type: "PodScheduled", status: "False", reason: "Unschedulable", message },
      stamp,
    );
    if (status) {
      const updated = replaceStatus(ctx.store, PODS, pod, status);
      ctx.events.record({
        kind: PODS,
        object: updated,
        type: "Warning",
        reason: "FailedScheduling",
        message,
        source: { component: SCHEDULER },
      });
    }
    return;
  }
  unschedulable.delete(key);
  const nodeName = best.metadata.name!;
  const bound = ctx.store.update(PODS, {
    ...pod,
    spec: { ...podSpec(pod), nodeName },
    status: withCondition(pod, { type: "PodScheduled", status: "True" }, stamp) ?? pod.status,
  });
  ctx.events.record({
    kind: PODS,
    object: bound,
    type: "Normal",
    reason: "Scheduled",
    message: `Successfully assigned ${namespace}/${name} to ${nodeName}`,
    source: { component: SCHEDULER },
  });
}

/**
 * The pod's status with `condition` set (lastTransitionTime kept when the status did not change),
 * or undefined when nothing would change. A new object: the stored status is never touched.
 */
export function withCondition(pod: KubeObject, condition: Condition, stamp: string): PodStatus | undefined {
  const status = podStatus(pod);
  const conditions = status.conditions ?? [];
  const existing = conditions.find((c) => c.type === condition.type);
  // The API server defaults a new pod's phase to Pending; pods written straight into the store may lack it.
  const phaseMissing = status.phase === undefined;
  if (
    existing &&
    existing.status === condition.status &&
    existing.reason === condition.reason &&
    existing.message === condition.message
  ) {
    return phaseMissing ? { ...status, phase: "Pending" } : undefined;
  }
  const next: Condition = {
    type: condition.type,
    status: condition.status,
    lastProbeTime: null,
    lastTransitionTime:
      existing && existing.status === condition.status ? existing.lastTransitionTime! : stamp,
    ...(condition.reason ? { reason: condition.reason } : {}),
    ...(condition.message ? { message: condition.message } : {}),
  };
  return {
    ...status,
    phase: status.phase ?? "Pending",
    conditions: existing ? conditions.map((c) => (c === existing ? next : c)) : [...conditions, next],
  };
}

function failedMessage(total: number, failures: Map<string, number>): string {
  if (total === 0) return "no nodes available to schedule pods";
  const reasons = [...failures].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${total} nodes are available: ${reasons.join(", ")}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}
