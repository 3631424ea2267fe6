import { isDeepStrictEqual } from "node:util";
import type { ClusterConfig } from "./types.js";

export interface ClusterDiff {
  added: ClusterConfig[];
  removed: ClusterConfig[];
  /** Same name, different settings; the new version. The fleet reconnects these. */
  changed: ClusterConfig[];
}

/** What a reload means for the fleet, matching clusters by name. */
export function diffClusters(prev: readonly ClusterConfig[], next: readonly ClusterConfig[]): ClusterDiff {
  const before = new Map(prev.map((c) => [c.name, c]));
  const after = new Set(next.map((c) => c.name));
  const added: ClusterConfig[] = [];
  const changed: ClusterConfig[] = [];
  for (const cluster of next) {
    const old = before.get(cluster.name);
    if (old === undefined) added.push(cluster);
    else if (!isDeepStrictEqual(old, cluster)) changed.push(cluster);
  }
  const removed = prev.filter((c) => !after.has(c.name));
  return { added, removed, changed };
}
