/**
 * Pod template drift across a fleet workload's instances: for each container (by name) and each
 * field compared (its presence, image, every resource request and limit), the value most
 * instances hold is the majority, and every instance holding another value drifts. Quantities
 * compare by exact amount ("500m" and "0.5" agree, as do "1.07G" and "1070M"). A tie goes to the value that sorts first, so the
 * answer is stable; with two instances that differ, one of them is reported as drifting.
 */
import type { TemplateContainer } from "../../kinds/workloads.js";
import { quantityInNanos, QuantityError } from "../../kube/quantity.js";

/** One instance's template: the cluster it runs on and its containers. */
export interface TemplateInstance {
  cluster: string;
  containers: readonly TemplateContainer[];
}

export interface TemplateDrift {
  cluster: string;
  container: string;
  /** "container" (present or absent), "image", "resources.requests.<name>", "resources.limits.<name>". */
  field: string;
  /** What this cluster has; null when not set (or, for "container", "absent"). */
  value: string | null;
  /** What most instances have. */
  majorityValue: string | null;
}

const PRESENT = "present";
const ABSENT = "absent";

/** Every difference from the majority, ordered by container, field and cluster. */
export function templateDrift(instances: readonly TemplateInstance[]): TemplateDrift[] {
  if (instances.length < 2) return [];
  const drift: TemplateDrift[] = [];
  const names = [...new Set(instances.flatMap((i) => i.containers.map((c) => c.name)))].sort();
  for (const name of names) {
    const holders = instances.map((i) => ({
      cluster: i.cluster,
      container: i.containers.find((c) => c.name === name),
    }));
    const presence = differences(
      holders.map((h) => ({ cluster: h.cluster, value: h.container ? PRESENT : ABSENT })),
      (v) => v ?? "",
    );
    for (const d of presence) drift.push({ ...d, container: name, field: "container" });
    // Fields are compared among the instances that have the container (an absent one is told once).
    const having = holders.filter(
      (h): h is { cluster: string; container: TemplateContainer } => !!h.container,
    );
    if (having.length < 2) continue;
    for (const field of fieldsOf(having.map((h) => h.container))) {
      const values = having.map((h) => ({ cluster: h.cluster, value: field.read(h.container) }));
      for (const d of differences(values, field.canonical))
        drift.push({ ...d, container: name, field: field.name });
    }
  }
  return drift;
}

interface ComparedField {
  name: string;
  read: (c: TemplateContainer) => string | null;
  canonical: (value: string | null) => string;
}

function fieldsOf(containers: readonly TemplateContainer[]): ComparedField[] {
  const fields: ComparedField[] = [
    { name: "image", read: (c) => c.image || null, canonical: (v) => v ?? "" },
  ];
  for (const part of ["requests", "limits"] as const) {
    const resources = [...new Set(containers.flatMap((c) => Object.keys(c.resources[part])))].sort();
    for (const resource of resources) {
      fields.push({
        name: `resources.${part}.${resource}`,
        read: (c) => c.resources[part][resource] ?? null,
        canonical: quantityKey,
      });
    }
  }
  return fields;
}

/** The same amount, however written, has the same key; an unparsable quantity is its own text. */
function quantityKey(value: string | null): string {
  if (value === null) return "";
  try {
    return `=${quantityInNanos(value)}`;
  } catch (error) {
    if (error instanceof QuantityError) return `'${value}`;
    throw error;
  }
}

/** The instances whose value differs from the majority's, with both values. */
function differences(
  values: readonly { cluster: string; value: string | null }[],
  canonical: (value: string | null) => string,
): { cluster: string; value: string | null; majorityValue: string | null }[] {
  const counts = new Map<string, { count: number; value: string | null }>();
  for (const { value } of values) {
    const key = canonical(value);
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { count: 1, value });
  }
  if (counts.size < 2) return [];
  let majority: string | undefined;
  for (const [key, { count }] of counts) {
    const best = majority === undefined ? undefined : counts.get(majority)!.count;
    if (best === undefined || count > best || (count === best && key < majority!)) majority = key;
  }
  const majorityValue = counts.get(majority!)!.value;
  return values
    .filter((v) => canonical(v.value) !== majority)
    .map((v) => ({ cluster: v.cluster, value: v.value, majorityValue }));
}
