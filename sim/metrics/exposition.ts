/**
 * Prometheus's text exposition format, version 0.0.4: what a scrape of `/metrics` returns.
 * A family is written once, HELP and TYPE first and all its samples together, because the
 * format forbids a family's samples to be split and Prometheus rejects a repeated TYPE line.
 */

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "counter" | "gauge";
export type Labels = Readonly<Record<string, string>>;

interface Sample {
  labels: Labels;
  value: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** One metric family: its name, help text, type and samples. */
export class MetricFamily {
  private readonly samples: Sample[] = [];

  constructor(
    readonly name: string,
    readonly type: MetricType,
    readonly help: string,
  ) {
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
  }

  add(labels: Labels, value: number): this {
    for (const label of Object.keys(labels)) {
      // "__" names are reserved for Prometheus itself; a label from an object must be sanitised first.
      if (!LABEL_NAME.test(label) || label.startsWith("__"))
        throw new Error(`invalid label name ${JSON.stringify(label)} on ${this.name}`);
    }
    this.samples.push({ labels, value });
    return this;
  }

  get size(): number {
    return this.samples.length;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const s of this.samples) lines.push(`${this.name}${renderLabels(s.labels)} ${formatValue(s.value)}`);
    return lines.join("\n") + "\n";
  }
}

/** HELP text escapes only backslash and newline (a double quote stays as it is). */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Label values escape backslash, double quote and newline. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function renderLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

/** Go's strconv formatting as the client libraries use it: NaN, +Inf, -Inf, else the shortest form. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/**
 * A Kubernetes label key as kube-state-metrics turns it into a Prometheus label name: `label_`
 * plus the key with every character outside [a-zA-Z0-9_] replaced by `_`.
 */
export function labelNameFromKey(key: string, prefix = "label_"): string {
  return prefix + key.replace(/[^a-zA-Z0-9_]/g, "_");
}

/**
 * Kubernetes labels as Prometheus labels, the way kube-state-metrics maps them: keys that
 * sanitise to the same name (`a.b`, `a-b`) would repeat a label name and make Prometheus reject
 * the whole scrape, so each of those gets `_conflict<N>`, numbered in the keys' sorted order.
 */
export function labelsFromKeys(
  labels: Readonly<Record<string, string>>,
  prefix = "label_",
): Record<string, string> {
  const byName = new Map<string, string[]>();
  for (const key of Object.keys(labels).sort()) {
    const name = labelNameFromKey(key, prefix);
    byName.set(name, [...(byName.get(name) ?? []), key]);
  }
  const out: Record<string, string> = {};
  for (const [name, keys] of byName) {
    if (keys.length === 1) out[name] = labels[keys[0]!]!;
    else keys.forEach((key, i) => (out[`${name}_conflict${i + 1}`] = labels[key]!));
  }
  return out;
}

/** The whole exposition: families without samples are left out, as the client libraries do. */
export function renderFamilies(families: readonly MetricFamily[]): string {
  return families
    .filter((f) => f.size > 0)
    .map((f) => f.render())
    .join("");
}
