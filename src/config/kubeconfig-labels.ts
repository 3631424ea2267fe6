/**
 * Cluster labels carried in a kubeconfig: kubeconfig clusters have no labels of their own, but
 * the format allows named `extensions`, and under `fleetgraph.dev/cluster` a cluster entry may carry
 * `{ labels: {...} }` (the simulator writes them; so can anyone generating kubeconfigs). client-node
 * does not expose extensions, so the file is read once more as plain YAML.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { validateLabelKey, validateLabelValue } from "../kube/label-selector.js";

export const CLUSTER_LABELS_EXTENSION = "fleetgraph.dev/cluster";

interface RawKubeconfig {
  clusters?: { name?: unknown; cluster?: { extensions?: { name?: unknown; extension?: unknown }[] } }[];
}

/** Labels per kubeconfig cluster name; clusters without the extension are absent. */
export function kubeconfigClusterLabels(path: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const raw = parse(readFileSync(path, "utf8")) as RawKubeconfig | null;
  for (const entry of raw?.clusters ?? []) {
    if (typeof entry.name !== "string") continue;
    const ext = entry.cluster?.extensions?.find((e) => e.name === CLUSTER_LABELS_EXTENSION)?.extension;
    const labels = (ext as { labels?: unknown } | undefined)?.labels;
    if (typeof labels !== "object" || labels === null) continue;
    const valid: Record<string, string> = {};
    for (const [key, value] of Object.entries(labels)) {
      const problem =
        typeof value === "string" ? (validateLabelKey(key) ?? validateLabelValue(value)) : "not a string";
      if (problem) {
        throw new Error(
          `cluster "${entry.name}": extension ${CLUSTER_LABELS_EXTENSION}: label ${key}: ${problem}`,
        );
      }
      valid[key] = value as string;
    }
    out.set(entry.name, valid);
  }
  return out;
}
