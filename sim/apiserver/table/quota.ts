/**
 * The columns of `kubectl get quota` in Kubernetes 1.32 (Age moved to the end only in 1.33):
 * "<resource>: <used>/<hard>" for every resource in status.hard, sorted by name, the ones
 * named "limits.*" in LIMIT and all others in REQUEST.
 */
import { since } from "./human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, record, quantityText, type RowPrinter } from "./columns.js";

export const resourceQuotaPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
    column(
      "Limit",
      "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
    ),
  ],
  cells: (quota, now) => {
    const hard = record(quota, "status.hard");
    const used = record(quota, "status.used");
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort()) {
      const pieces = resource.split(".");
      const into = pieces.length > 1 && pieces[0] === "limits" ? limits : requests;
      into.push(`${resource}: ${quantityText(used[resource])}/${quantityText(hard[resource])}`);
    }
    return [
      quota.metadata.name ?? "",
      since(quota.metadata.creationTimestamp, now),
      requests.join(", "),
      limits.join(", "),
    ];
  },
};
