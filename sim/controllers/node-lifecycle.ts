/**
 * The taints the node lifecycle controller keeps in step with a node's state
 * (TaintNodeByCondition and the taint-based eviction taints): `unschedulable` for a cordoned node,
 * `not-ready` / `unreachable` (NoSchedule, and NoExecute with its timeAdded) while Ready is False
 * or Unknown, and `memory-pressure`, `disk-pressure`, `pid-pressure` while the kubelet reports
 * them. Other taints are the user's and stay as they are. Managed clusters show no control-plane
 * nodes, so a healthy generated fleet has no taints at all until something like this happens.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ChangeHandler, ControllerContext } from "./context.js";
import type { Condition } from "./pods.js";
import { NODES } from "./resources.js";

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

const PREFIX = "node.kubernetes.io/";
const MANAGED = [
  "unschedulable",
  "not-ready",
  "unreachable",
  "memory-pressure",
  "disk-pressure",
  "pid-pressure",
].map((name) => PREFIX + name);
const PRESSURE: Record<string, string> = {
  MemoryPressure: "memory-pressure",
  DiskPressure: "disk-pressure",
  PIDPressure: "pid-pressure",
};

/** The managed taints a node should carry now, keys only for NoExecute's timeAdded to be filled in. */
function wanted(node: KubeObject): Taint[] {
  const out: Taint[] = [];
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable)
    out.push({ key: `${PREFIX}unschedulable`, effect: "NoSchedule" });
  const conditions = (node.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  const ready = conditions.find((c) => c.type === "Ready")?.status ?? "Unknown";
  if (ready !== "True") {
    const key = `${PREFIX}${ready === "False" ? "not-ready" : "unreachable"}`;
    out.push({ key, effect: "NoSchedule" }, { key, effect: "NoExecute" });
  }
  for (const c of conditions) {
    const name = PRESSURE[c.type];
    if (name && c.status === "True") out.push({ key: PREFIX + name, effect: "NoSchedule" });
  }
  return out;
}

export function startNodeLifecycle(ctx: ControllerContext): ChangeHandler {
  const queue = ctx.loop.queue("node-lifecycle", (name) => sync(ctx, name));
  for (const node of ctx.store.all(NODES)) queue.add(node.metadata.name!);
  return (change) => {
    if (change.resource === NODES && change.type !== "DELETED") queue.add(change.object.metadata.name!);
  };
}

function sync(ctx: ControllerContext, name: string): void {
  const node = ctx.store.get(NODES, undefined, name);
  if (!node) return;
  const current = (node.spec as { taints?: Taint[] } | undefined)?.taints ?? [];
  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
  const managed = wanted(node).map((t) => {
    const kept = current.find((c) => same(c, t));
    return t.effect === "NoExecute" ? { ...t, timeAdded: kept?.timeAdded ?? ctx.timestamp() } : t;
  });
  const taints = [...current.filter((t) => !MANAGED.includes(t.key)), ...managed];
  if (JSON.stringify(taints) === JSON.stringify(current)) return;
  const spec = { ...(node.spec as Record<string, unknown>) };
  if (taints.length > 0) spec.taints = taints;
  else delete spec.taints;
  ctx.store.update(NODES, { ...node, spec });
}
