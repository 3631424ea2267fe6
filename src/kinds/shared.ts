/** Projections several kinds share: conditions and resource quantities. */
import { intern } from "../cache/intern.js";
import { arr, obj, str, time, type Json } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";

export interface ConditionView {
  type: string;
  status: string;
  reason: string | undefined;
  message: string | undefined;
  lastTransitionTime: number | undefined;
}

export function conditions(status: Json): ConditionView[] {
  return arr(status.conditions).map((c) => {
    const cond = obj(c);
    return {
      type: intern(str(cond.type) ?? ""),
      status: intern(str(cond.status) ?? "Unknown"),
      reason: str(cond.reason),
      message: str(cond.message),
      lastTransitionTime: time(cond.lastTransitionTime),
    };
  });
}

/** Resource quantities as reported ("500m", "1Gi"), by resource name; interned. */
export type Quantities = Readonly<Record<string, string>>;

export function quantities(value: unknown): Quantities {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value))) if (typeof v === "string") out[intern(k)] = intern(v);
  return out;
}

/**
 * A time of an object as whole seconds after its creation (`CacheEntry.created`). Kubernetes times
 * have whole seconds, and a small integer is stored inline (a Smi) where epoch milliseconds take a
 * heap number each: measured, about 50 bytes a pod. `atOffset` turns one back into epoch ms.
 */
export type ObjectTime = number | undefined;

export function atOffset(created: number, offset: ObjectTime | null): number | undefined {
  return offset === undefined || offset === null ? undefined : created + offset * 1000;
}

export function offsetOf(created: number, value: unknown): ObjectTime {
  const t = time(value);
  return t === undefined || Number.isNaN(t) ? undefined : Math.round((t - created) / 1000);
}

/** The time offsets count from: what the cache entry keeps as `created`. */
export const createdOf = (o: KubeObject): number =>
  o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : 0;
