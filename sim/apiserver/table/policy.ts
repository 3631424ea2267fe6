/** The columns of `kubectl get pdb` (printPodDisruptionBudget): N/A for whichever bound is unset. */
import type { KubeObject } from "../../../src/kube/object.js";
import { since } from "./human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type RowPrinter } from "./columns.js";

const bound = (pdb: KubeObject, field: "minAvailable" | "maxUnavailable"): string => {
  const value = (pdb.spec as Record<string, unknown> | undefined)?.[field];
  return typeof value === "number" || typeof value === "string" ? String(value) : "N/A";
};

export const podDisruptionBudgetPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Min Available", "The minimum number of pods that must be available."),
    column("Max Unavailable", "The maximum number of pods that may be unavailable."),
    column("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time.", {
      type: "integer",
    }),
    AGE_COLUMN,
  ],
  cells: (pdb, now) => [
    pdb.metadata.name ?? "",
    bound(pdb, "minAvailable"),
    bound(pdb, "maxUnavailable"),
    (pdb.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0,
    since(pdb.metadata.creationTimestamp, now),
  ],
};
