/**
 * The disruption controller: keeps each PodDisruptionBudget's status — how many selected pods
 * there should be (expectedPods), how many are healthy (Ready, not being deleted, not just
 * evicted), how many must stay healthy (desiredHealthy, from minAvailable or maxUnavailable) and
 * so how many evictions are allowed now — plus the DisruptionAllowed condition. The eviction
 * subresource spends disruptionsAllowed and notes the pod in disruptedPods; this controller drops
 * those notes once the pod is gone.
 *
 * Unlike the real controller it sets no timer to expire an old disruptedPods entry (a timer that
 * keeps re-arming would keep runUntilIdle from settling): a stale entry expires on the next sync.
 */
import type { KubeObject } from "../../src/kube/object.js";
import {
  budgetSelects,
  budgetSpec,
  budgetStatus,
  DELETION_TIMEOUT_MS,
  scaledValue,
  setCondition,
  withDisruptionAllowed,
  type BudgetStatus,
} from "../disruption-budget.js";
import {
  objectKeyOf,
  replaceStatus,
  splitKey,
  type ChangeHandler,
  type ControllerContext,
} from "./context.js";
import { expectedScale } from "./disruption-scale.js";
import { isReady } from "./pods.js";
import { DEPLOYMENTS, DISRUPTION_BUDGETS, PODS, REPLICASETS, STATEFULSETS } from "./resources.js";

const SCALED = new Set([DEPLOYMENTS, REPLICASETS, STATEFULSETS]);

export function startDisruptionController(ctx: ControllerContext): ChangeHandler {
  const queue = ctx.loop.queue("disruption", (key) => sync(ctx, key));
  const addAll = (namespace?: string): void => {
    for (const pdb of ctx.store.all(DISRUPTION_BUDGETS, namespace))
      queue.add(objectKeyOf(pdb.metadata.namespace, pdb.metadata.name));
  };
  addAll();
  return (change) => {
    const { object, prev } = change;
    if (change.resource === DISRUPTION_BUDGETS) {
      queue.add(objectKeyOf(object.metadata.namespace, object.metadata.name));
    } else if (change.resource === PODS) {
      if (ctx.store.count(DISRUPTION_BUDGETS) === 0) return;
      for (const pdb of ctx.store.all(DISRUPTION_BUDGETS, object.metadata.namespace)) {
        if (budgetSelects(pdb, object) || (prev && budgetSelects(pdb, prev)))
          queue.add(objectKeyOf(pdb.metadata.namespace, pdb.metadata.name));
      }
    } else if (SCALED.has(change.resource) && ctx.store.count(DISRUPTION_BUDGETS) > 0) {
      // A scale change moves expectedPods of the percentage budgets over its pods.
      addAll(object.metadata.namespace);
    }
  };
}

function sync(ctx: ControllerContext, key: string): void {
  const [namespace, name] = splitKey(key);
  const pdb = ctx.store.get(DISRUPTION_BUDGETS, namespace, name);
  if (!pdb || pdb.metadata.deletionTimestamp) return;
  const pods = ctx.store.all(PODS, namespace).filter((pod) => budgetSelects(pdb, pod));
  const previous = budgetStatus(pdb);
  const stamp = ctx.timestamp();
  let counts: { expected: number; desired: number };
  try {
    counts = expectedAndDesired(ctx, pdb, pods);
  } catch (error) {
    failSafe(ctx, pdb, previous, (error as Error).message, stamp);
    return;
  }
  const now = ctx.now().getTime();
  const disruptedPods = stillDisrupted(pods, previous.disruptedPods, now);
  const healthy = pods.filter(
    (pod) => !pod.metadata.deletionTimestamp && !(pod.metadata.name! in disruptedPods) && isReady(pod),
  ).length;
  const allowed = healthy - counts.desired;
  const status: BudgetStatus = {
    ...(pdb.metadata.generation ? { observedGeneration: pdb.metadata.generation } : {}),
    ...(Object.keys(disruptedPods).length > 0 ? { disruptedPods } : {}),
    disruptionsAllowed: counts.expected <= 0 || allowed <= 0 ? 0 : allowed,
    currentHealthy: healthy,
    desiredHealthy: counts.desired,
    expectedPods: counts.expected,
    ...(previous.conditions ? { conditions: previous.conditions } : {}),
  };
  status.conditions = withDisruptionAllowed(status, stamp);
  replaceStatus(ctx.store, DISRUPTION_BUDGETS, pdb, status);
}

/** getExpectedPodCount: maxUnavailable and percentages count against the controllers' scale. */
function expectedAndDesired(
  ctx: ControllerContext,
  pdb: KubeObject,
  pods: KubeObject[],
): { expected: number; desired: number } {
  const { minAvailable, maxUnavailable } = budgetSpec(pdb);
  if (maxUnavailable !== undefined) {
    const expected = expectedScale(ctx.store, pods);
    const unavailable = scaledValue(maxUnavailable, expected, true);
    return { expected, desired: Math.max(0, expected - unavailable) };
  }
  if (typeof minAvailable === "number") return { expected: pods.length, desired: minAvailable };
  if (typeof minAvailable === "string") {
    const expected = expectedScale(ctx.store, pods);
    return { expected, desired: scaledValue(minAvailable, expected, true) };
  }
  return { expected: 0, desired: 0 };
}

/** The disruptedPods entries whose pod still exists, is not being deleted, and is not overdue. */
function stillDisrupted(
  pods: KubeObject[],
  previous: Record<string, string> | undefined,
  now: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!previous) return out;
  for (const pod of pods) {
    const name = pod.metadata.name!;
    const since = previous[name];
    if (since === undefined || pod.metadata.deletionTimestamp) continue;
    if (Date.parse(since) + DELETION_TIMEOUT_MS >= now) out[name] = since;
  }
  return out;
}

/** When the status cannot be computed no disruption is allowed, and the condition says why. */
function failSafe(
  ctx: ControllerContext,
  pdb: KubeObject,
  previous: BudgetStatus,
  message: string,
  stamp: string,
): void {
  const status: BudgetStatus = { ...previous, disruptionsAllowed: 0 };
  status.conditions = setCondition(previous.conditions, stamp, {
    type: "DisruptionAllowed",
    status: "False",
    ...(previous.observedGeneration ? { observedGeneration: previous.observedGeneration } : {}),
    reason: "SyncFailed",
    message,
  });
  replaceStatus(ctx.store, DISRUPTION_BUDGETS, pdb, status);
}
