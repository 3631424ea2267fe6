/**
 * How one cluster's instance of a fleet workload stands, in the two words a fleet view counts:
 * rolling out (its controller has not yet brought every replica to the current template) and
 * degraded (failed, or settled on the current template with fewer replicas ready than desired).
 * A paused Deployment or a suspended Job is neither: it is held on purpose.
 */
import type { CacheEntry } from "../../cache/entry.js";
import { workloadReady, workloadStatus, type WorkloadData } from "../../kinds/workloads.js";

const ROLLING_KINDS: ReadonlySet<string> = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

export function rollingOut(entry: CacheEntry<WorkloadData>): boolean {
  if (!ROLLING_KINDS.has(entry.kind) || entry.data.paused) return false;
  const data = entry.data;
  return data.observedGeneration < data.generation || data.updated < data.desired;
}

export function degraded(entry: CacheEntry<WorkloadData>): boolean {
  const status = workloadStatus(entry);
  if (status === "FAILED") return true;
  if (status === "SUSPENDED") return false;
  return !rollingOut(entry) && !workloadReady(entry);
}
