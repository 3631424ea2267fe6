/**
 * The pieces every column set is made of: meta.k8s.io/v1 TableColumnDefinition, the cell values
 * a row may carry, and the typed readers the printers use to pick fields out of untyped objects.
 */
import { isJsonObject, type JsonObject, type KubeObject } from "../../../src/kube/object.js";
import { canonicalQuantity } from "../../quantity.js";

export interface ColumnDefinition {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean;

/** meta.k8s.io/v1 TableRowCondition (only "Completed" is defined upstream). */
export interface RowCondition {
  type: "Completed";
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
}

export interface RowPrinter {
  /** Every column, wide ones included: the server always prints wide and kubectl hides priority>0. */
  columns: ColumnDefinition[];
  cells(obj: KubeObject, now: number): Cell[];
  conditions?(obj: KubeObject): RowCondition[] | undefined;
}

export function column(
  name: string,
  description: string,
  options: { type?: ColumnDefinition["type"]; priority?: number; format?: string } = {},
): ColumnDefinition {
  return {
    name,
    type: options.type ?? "string",
    format: options.format ?? "",
    description,
    priority: options.priority ?? 0,
  };
}

export const NAME_COLUMN = column(
  "Name",
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.",
  { format: "name" },
);
export const AGE_COLUMN = column(
  "Age",
  "CreationTimestamp is a timestamp representing the server time when this object was created.",
);
export const CONTAINERS_COLUMN = column("Containers", "Names of each container in the template.", {
  priority: 1,
});
export const IMAGES_COLUMN = column("Images", "Images referenced by each container in the template.", {
  priority: 1,
});
export const SELECTOR_COLUMN = column("Selector", "A label query over pods.", { priority: 1 });

/** The value at a dotted path of an untyped object, or undefined. */
export function at(obj: unknown, dotted: string): unknown {
  let cur = obj;
  for (const part of dotted.split(".")) {
    if (!isJsonObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

export function str(obj: unknown, dotted: string): string {
  const value = at(obj, dotted);
  return typeof value === "string" ? value : "";
}

/** An integer field; Go's zero value (0) when absent. */
export function int(obj: unknown, dotted: string): number {
  const value = at(obj, dotted);
  return typeof value === "number" ? value : 0;
}

export function list(obj: unknown, dotted: string): JsonObject[] {
  const value = at(obj, dotted);
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

export function record(obj: unknown, dotted: string): JsonObject {
  const value = at(obj, dotted);
  return isJsonObject(value) ? value : {};
}

/** A quantity's String(): its canonical form, "0" when absent (Go's zero Quantity). */
export function quantityText(value: unknown): string {
  if (typeof value !== "string" || value === "") return "0";
  try {
    return canonicalQuantity(value);
  } catch {
    return value;
  }
}

/** labels.FormatLabels: "k=v,..." sorted by key, or "<none>". */
export function formatLabels(labels: JsonObject): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${String(labels[key])}`);
  return pairs.length > 0 ? pairs.join(",") : "<none>";
}

/** A LabelSelector as labels.Selector.String() prints it ("" for an empty or missing selector). */
export function selectorString(selector: unknown): string {
  if (!isJsonObject(selector)) return "";
  const parts: [string, string][] = [];
  for (const [key, value] of Object.entries(record(selector, "matchLabels"))) {
    parts.push([key, `${key}=${String(value)}`]);
  }
  for (const expr of list(selector, "matchExpressions")) {
    const key = str(expr, "key");
    const values = (Array.isArray(expr.values) ? expr.values.map(String) : []).sort().join(",");
    const text: Record<string, string> = {
      In: `${key} in (${values})`,
      NotIn: `${key} notin (${values})`,
      Exists: key,
      DoesNotExist: `!${key}`,
    };
    parts.push([key, text[str(expr, "operator")] ?? key]);
  }
  return parts
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, text]) => text)
    .join(",");
}

/** metav1.FormatLabelSelector: the selector string, "<none>" when it selects nothing in particular. */
export function formatSelector(selector: unknown): string {
  return selectorString(selector) || "<none>";
}

/** The Containers and Images cells of a pod template (layoutContainerCells). */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = list(podSpec, "containers");
  return [containers.map((c) => str(c, "name")).join(","), containers.map((c) => str(c, "image")).join(",")];
}
