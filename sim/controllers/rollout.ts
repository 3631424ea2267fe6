/**
 * The arithmetic of a Deployment rollout, apart from the store: maxSurge / maxUnavailable
 * resolution and the rolling-update steps (how far the new ReplicaSet may grow, how far the
 * old ones may shrink), following the deployment controller's rules.
 */
import type { KubeObject } from "../../src/kube/object.js";

export interface RollingLimits {
  maxSurge: number;
  maxUnavailable: number;
}

type IntOrPercent = number | string | undefined;

function resolve(value: IntOrPercent, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === "number") return v;
  const percent = /^(\d+)%$/.exec(v);
  if (!percent) return Number.parseInt(v, 10) || 0;
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Surge rounds up and unavailability rounds down; both zero would stall, so unavailability becomes 1. */
export function rollingLimits(
  strategy: { rollingUpdate?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent } } | undefined,
  desired: number,
): RollingLimits {
  const maxSurge = resolve(strategy?.rollingUpdate?.maxSurge, desired, true, "25%");
  let maxUnavailable = resolve(strategy?.rollingUpdate?.maxUnavailable, desired, false, "25%");
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, desired) };
}

export const specReplicas = (rs: KubeObject): number =>
  (rs.spec as { replicas?: number } | undefined)?.replicas ?? 0;
export const statusCount = (rs: KubeObject, field: string): number =>
  (rs.status as Record<string, number | undefined> | undefined)?.[field] ?? 0;

export const sum = (sets: KubeObject[], count: (rs: KubeObject) => number): number =>
  sets.reduce((n, rs) => n + count(rs), 0);

/** How many replicas the new ReplicaSet may have now: up to desired, within the surge budget. */
export function newReplicaCount(
  desired: number,
  limits: RollingLimits,
  all: KubeObject[],
  current: number,
): number {
  const total = sum(all, specReplicas);
  const room = desired + limits.maxSurge - total;
  if (room <= 0) return current;
  return Math.min(current + room, desired);
}

/**
 * How many old replicas may go now: everything above the minimum available, not counting new
 * pods that are not available yet.
 */
export function oldScaleDownBudget(
  desired: number,
  limits: RollingLimits,
  all: KubeObject[],
  newRS: KubeObject,
): number {
  const total = sum(all, specReplicas);
  const minAvailable = desired - limits.maxUnavailable;
  const newUnavailable = specReplicas(newRS) - statusCount(newRS, "availableReplicas");
  return Math.max(0, total - minAvailable - newUnavailable);
}

export function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? 0) || 0;
}
