/**
 * The orders of fleetWorkloads: by name, by the clusters that need a look, by readiness. Ties
 * fall to namespace, name and the group's key, so no two groups tie and cursors stay stable.
 */
import type { ItemOrder } from "../name-pages.js";
import { groupKeyText } from "./group-key.js";
import { clustersAffected, readiness } from "./group-status.js";
import type { FleetWorkload } from "./fleet-workload.js";

export type FleetWorkloadOrderField = "NAME" | "CLUSTERS_AFFECTED" | "READINESS";

export function groupOrder(field: FleetWorkloadOrderField): ItemOrder<FleetWorkload> {
  return {
    field,
    keyOf:
      field === "CLUSTERS_AFFECTED"
        ? (g) => clustersAffected(g.status)
        : field === "READINESS"
          ? (g) => readiness(g.status)
          : (g) => g.key.name,
    tiesOf: (g) => ({ cluster: "", namespace: g.key.namespace, name: g.key.name, uid: groupKeyText(g.key) }),
  };
}
