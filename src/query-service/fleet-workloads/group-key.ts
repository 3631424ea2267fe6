/**
 * Which group a workload instance belongs to: the same namespace, kind and name on every cluster
 * (how KubeSphere's federated workloads are placed), or, when the config names a placement label
 * (`fleetWorkloads.groupLabel`), the same namespace, kind and value of that label for the
 * workloads that carry it, whatever they are called on each cluster.
 */
import type { CacheEntry } from "../../cache/entry.js";
import type { FleetWorkloadKey } from "../global-id.js";

export type { FleetWorkloadKey } from "../global-id.js";

export function groupKeyOf(entry: CacheEntry, groupLabel: string | undefined): FleetWorkloadKey {
  const value = groupLabel === undefined ? undefined : entry.labels[groupLabel];
  return value
    ? { by: "label", namespace: entry.namespace, kind: entry.kind, name: value }
    : { by: "name", namespace: entry.namespace, kind: entry.kind, name: entry.name };
}

/** One string per key, for maps and as the last tie-breaker of the group orders. */
export function groupKeyText(key: FleetWorkloadKey): string {
  return `${key.by}/${key.namespace}/${key.kind}/${key.name}`;
}
