/**
 * PodDisruptionBudget facts shared by the disruption controller (which keeps a budget's status)
 * and the eviction subresource (which spends it): which pods a budget selects, how an
 * int-or-percent resolves against a count, and the DisruptionAllowed condition.
 */
import { fromLabelSelectorObject, matchesLabels } from "../src/kube/label-selector.js";
import type { KubeObject } from "../src/kube/object.js";
import { DISRUPTION_BUDGETS } from "./controllers/resources.js";
import type { ClusterStore } from "./store/cluster-store.js";

/** How long an eviction's entry in status.disruptedPods excludes the pod from the healthy count. */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

export type IntOrPercent = number | string;

export interface BudgetSpec {
  minAvailable?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
  selector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  unhealthyPodEvictionPolicy?: "IfHealthyBudget" | "AlwaysAllow";
}

/** metav1.Condition: unlike the pod conditions, it carries observedGeneration and always a message. */
export interface BudgetCondition {
  type: string;
  status: "True" | "False";
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface BudgetStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: BudgetCondition[];
}

export const budgetSpec = (pdb: KubeObject): BudgetSpec => (pdb.spec as BudgetSpec | undefined) ?? {};

export function budgetStatus(pdb: KubeObject): BudgetStatus {
  const status = (pdb.status ?? {}) as Partial<BudgetStatus>;
  return {
    ...status,
    disruptionsAllowed: status.disruptionsAllowed ?? 0,
    currentHealthy: status.currentHealthy ?? 0,
    desiredHealthy: status.desiredHealthy ?? 0,
    expectedPods: status.expectedPods ?? 0,
  };
}

/**
 * In policy/v1 an empty selector selects every pod of the namespace; a missing one selects none
 * (v1beta1's "match nothing" nil selector, which the API server converts that way).
 */
export function budgetSelects(pdb: KubeObject, pod: KubeObject): boolean {
  if (pod.metadata.namespace !== pdb.metadata.namespace) return false;
  const selector = budgetSpec(pdb).selector;
  if (!selector) return false;
  try {
    return matchesLabels(fromLabelSelectorObject(selector), pod.metadata.labels);
  } catch {
    return false; // an unparseable selector matches nothing, as LabelSelectorAsSelector's error does
  }
}

/** The budgets in the pod's namespace that select it. */
export function budgetsOfPod(store: ClusterStore, pod: KubeObject): KubeObject[] {
  return store.all(DISRUPTION_BUDGETS, pod.metadata.namespace).filter((pdb) => budgetSelects(pdb, pod));
}

/** intstr.GetScaledValueFromIntOrPercent: an int as is, "NN%" of `total`, rounded up or down. */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * SetStatusCondition for DisruptionAllowed, as pdbhelper.UpdateDisruptionAllowedCondition
 * calls it: lastTransitionTime moves only when the status flips.
 */
export function withDisruptionAllowed(status: BudgetStatus, stamp: string): BudgetCondition[] {
  const allowed = status.disruptionsAllowed > 0;
  return setCondition(status.conditions, stamp, {
    type: "DisruptionAllowed",
    status: allowed ? "True" : "False",
    ...(status.observedGeneration ? { observedGeneration: status.observedGeneration } : {}),
    reason: allowed ? "SufficientPods" : "InsufficientPods",
    message: "",
  });
}

export function setCondition(
  previous: readonly BudgetCondition[] | undefined,
  stamp: string,
  next: Omit<BudgetCondition, "lastTransitionTime">,
): BudgetCondition[] {
  const before = previous?.find((c) => c.type === next.type);
  const lastTransitionTime = before && before.status === next.status ? before.lastTransitionTime : stamp;
  const condition: BudgetCondition = {
    type: next.type,
    status: next.status,
    ...(next.observedGeneration ? { observedGeneration: next.observedGeneration } : {}),
    lastTransitionTime,
    reason: next.reason,
    message: next.message,
  };
  if (!before) return [...(previous ?? []), condition];
  return previous!.map((c) => (c.type === next.type ? condition : c));
}
