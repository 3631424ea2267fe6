/** Projections several kinds share: conditions and resource quantities. */
import { intern } from "../cache/intern.js";
import { arr, obj, str, time, type Json } from "../cache/json.js";

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
