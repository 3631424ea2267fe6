/** Label selector text -> the schema's LabelSelector (text and parsed). */
import { parseLabelSelector } from "../../src/kube/label-selector.js";
import type { LabelSelectorOperator } from "../../schema/enums.js";
import type { LabelSelector } from "../../schema/label.js";

export function selectorView(text: string): LabelSelector {
  const requirements = parseLabelSelector(text);
  return {
    text,
    matchLabels: requirements
      .filter((r) => r.operator === "=")
      .map((r) => ({ key: r.key, value: r.values[0] ?? "" })),
    matchExpressions: requirements
      .filter((r) => r.operator !== "=")
      .map((r) => ({ key: r.key, operator: r.operator as LabelSelectorOperator, values: [...r.values] })),
  };
}

/** A map selector (a service's spec.selector) as text. */
export function mapSelectorText(selector: Readonly<Record<string, string>>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}
