/**
 * A pod's QoS class, computed as the kubelet's ComputePodQOS does when the API server admits the
 * pod: BestEffort without any cpu or memory request or limit; Guaranteed when every container
 * (init containers included) limits both cpu and memory and the pod's summed requests equal its
 * summed limits; Burstable otherwise. A request left out counts as equal to its limit, which is
 * what API defaulting writes into the pod before the class is computed.
 */
import { parseQuantity } from "./quantity.js";

export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";

export interface ResourceRequirements {
  requests?: Record<string, unknown>;
  limits?: Record<string, unknown>;
}

const COMPUTE = ["cpu", "memory"];

/** Positive amounts, in thousandths; zero, missing or unparsable amounts count as unset. */
function positive(list: Record<string, unknown> | undefined, name: string): bigint | undefined {
  const text = list?.[name];
  if (typeof text !== "string" && typeof text !== "number") return undefined;
  try {
    const milli = parseQuantity(String(text)).milli;
    return milli > 0n ? milli : undefined;
  } catch {
    return undefined;
  }
}

export function qosClass(containers: readonly { resources?: ResourceRequirements }[]): QosClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = containers.length > 0;
  for (const { resources } of containers) {
    for (const name of COMPUTE) {
      const limit = positive(resources?.limits, name);
      const request = positive(resources?.requests, name) ?? limit;
      if (request !== undefined) requests.set(name, (requests.get(name) ?? 0n) + request);
      if (limit !== undefined) limits.set(name, (limits.get(name) ?? 0n) + limit);
      else guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  for (const [name, request] of requests) if (limits.get(name) !== request) guaranteed = false;
  return guaranteed && requests.size === limits.size ? "Guaranteed" : "Burstable";
}
