/**
 * A pod's effective requests and limits, as resourcehelper.PodRequests/PodLimits compute them for
 * the quota controller and the autoscaler: the sum over its containers, or the largest init
 * container if that is more (init containers run one at a time, before the others), plus the
 * pod overhead. Every pod of a template shares its containers list (binding a pod to a node
 * copies the spec, not the containers), so the result is cached per containers list: one entry
 * per template, not per pod.
 */
import { parseQuantity } from "../quantity.js";
import type { Container, PodSpec } from "./pods.js";

/** Thousandths of each resource (millicores, milli-bytes), by resource name. */
export type ResourceTotals = Map<string, bigint>;

export interface PodResources {
  requests: ResourceTotals;
  limits: ResourceTotals;
}

const cache = new WeakMap<object, PodResources>();
const EMPTY: readonly Container[] = [];

function amounts(list: Record<string, string> | undefined): ResourceTotals {
  const out: ResourceTotals = new Map();
  for (const [name, text] of Object.entries(list ?? {})) {
    try {
      out.set(name, parseQuantity(text).milli);
    } catch {
      // An unparsable quantity would have been refused by validation; count it as nothing.
    }
  }
  return out;
}

function add(into: ResourceTotals, more: ResourceTotals): void {
  for (const [name, value] of more) into.set(name, (into.get(name) ?? 0n) + value);
}

function atLeast(into: ResourceTotals, other: ResourceTotals): void {
  for (const [name, value] of other) if (value > (into.get(name) ?? 0n)) into.set(name, value);
}

function effective(
  spec: PodSpec,
  pick: (c: Container) => Record<string, string> | undefined,
): ResourceTotals {
  const total: ResourceTotals = new Map();
  for (const c of spec.containers ?? []) add(total, amounts(pick(c)));
  for (const c of spec.initContainers ?? []) atLeast(total, amounts(pick(c)));
  add(total, amounts(spec.overhead as Record<string, string> | undefined));
  return total;
}

export function podResources(spec: PodSpec): PodResources {
  // Init containers and overhead are rare; a pod with them is cached by its own spec.
  const key = spec.initContainers || spec.overhead ? spec : (spec.containers ?? EMPTY);
  let known = cache.get(key);
  if (!known) {
    known = {
      // A container with a limit but no request gets the limit as its request (API defaulting).
      requests: effective(spec, (c) => ({ ...c.resources?.limits, ...c.resources?.requests })),
      limits: effective(spec, (c) => c.resources?.limits),
    };
    cache.set(key, known);
  }
  return known;
}
