/**
 * Kind-specific filters as engine predicates over the cached projections. Each returns
 * undefined when nothing kind-specific was asked for, so the engine can count from index sizes.
 */
import type { CacheEntry } from "../cache/entry.js";
import type { EventData, NodeData, PodData, ServiceData, WorkloadData } from "../cache/projections.js";
import type {
  EventListFilter,
  NamespaceListFilter,
  NodeListFilter,
  PodListFilter,
  ServiceListFilter,
} from "./list-request.js";

type Predicate = (entry: CacheEntry) => boolean;

/** All given predicates must hold. */
function allOf(predicates: (Predicate | false)[]): Predicate | undefined {
  const active = predicates.filter((p): p is Predicate => p !== false);
  if (active.length === 0) return undefined;
  if (active.length === 1) return active[0];
  return (entry) => active.every((p) => p(entry));
}

const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

export function podPredicate(filter: PodListFilter): Predicate | undefined {
  const phases = given(filter.phases) ? new Set(filter.phases) : undefined;
  const { nodeName, ready } = filter;
  const data = (e: CacheEntry) => e.data as PodData;
  return allOf([
    phases !== undefined && ((e) => phases.has(data(e).phase)),
    given(nodeName) && ((e) => data(e).nodeName === nodeName),
    given(ready) && ((e) => data(e).ready === ready),
  ]);
}

/**
 * A workload is ready when every replica it asks for is ready. A Job asks for completions, and a
 * completed Job has no ready pods left: it is ready when complete or when its active pods are all
 * ready. CronJobs run no pods themselves and are always ready.
 */
export function workloadReady(entry: CacheEntry): boolean {
  const data = entry.data as WorkloadData;
  switch (entry.kind) {
    case "CronJob":
      return true;
    case "Job":
      return (data.succeeded ?? 0) >= data.desired || data.ready >= (data.active ?? 0);
    default:
      return data.ready >= data.desired;
  }
}

export function workloadPredicate(filter: { ready?: boolean | null }): Predicate | undefined {
  const { ready } = filter;
  return allOf([given(ready) && ((e) => workloadReady(e) === ready)]);
}

export function nodePredicate(filter: NodeListFilter): Predicate | undefined {
  const { ready } = filter;
  return allOf([given(ready) && ((e) => (e.data as NodeData).ready === ready)]);
}

export function namespacePredicate(
  filter: NamespaceListFilter,
  workspaceLabel: string,
): Predicate | undefined {
  const workspaces = given(filter.workspaces) ? new Set(filter.workspaces) : undefined;
  return allOf([
    workspaces !== undefined &&
      ((e) => {
        const workspace = e.labels[workspaceLabel];
        return workspace !== undefined && workspaces.has(workspace);
      }),
  ]);
}

export function servicePredicate(filter: ServiceListFilter): Predicate | undefined {
  const types = given(filter.types) ? new Set(filter.types) : undefined;
  return allOf([types !== undefined && ((e) => types.has((e.data as ServiceData).type))]);
}

export function eventPredicate(filter: EventListFilter): Predicate | undefined {
  const types = given(filter.types) ? new Set(filter.types) : undefined;
  const reasons = given(filter.reasons) ? new Set(filter.reasons) : undefined;
  const { involvedKind, involvedName } = filter;
  const data = (e: CacheEntry) => e.data as EventData;
  return allOf([
    types !== undefined && ((e) => types.has(data(e).type)),
    reasons !== undefined && ((e) => reasons.has(data(e).reason)),
    given(involvedKind) && ((e) => data(e).involvedKind === involvedKind),
    given(involvedName) && ((e) => data(e).involvedName === involvedName),
  ]);
}
