/**
 * A fleet workload's aggregate status over the instances the caller may read: replicas summed,
 * the clusters it runs on, and the clusters where it is missing, degraded, rolling out or drifted
 * from the majority's pod template.
 */
import type { CacheEntry } from "../../cache/entry.js";
import { workloadStatus, type WorkloadData } from "../../kinds/workloads.js";
import { degraded, rollingOut } from "./instance-health.js";
import { templateDrift, type TemplateDrift } from "./template-drift.js";

export interface FleetWorkloadStatus {
  desiredReplicas: number;
  readyReplicas: number;
  /** Clusters with an instance (one per cluster: a cluster with two, under a placement label, counts once). */
  clusters: string[];
  /** Readable clusters where the namespace exists but the workload does not (see FleetWorkloadReads). */
  missingClusters: string[];
  degradedClusters: string[];
  rollingOutClusters: string[];
  /** Clusters with at least one template difference from the majority. */
  driftedClusters: string[];
  drift: TemplateDrift[];
}

/** `instances` in cluster order; `missing` as FleetWorkloadReads found it. */
export function groupStatus(
  instances: readonly CacheEntry<WorkloadData>[],
  missing: readonly string[],
): FleetWorkloadStatus {
  let desiredReplicas = 0;
  let readyReplicas = 0;
  const clusters = new Set<string>();
  const degradedClusters = new Set<string>();
  const rollingOutClusters = new Set<string>();
  for (const entry of instances) {
    const replicas = replicasOf(entry);
    desiredReplicas += replicas.desired;
    readyReplicas += replicas.ready;
    clusters.add(entry.cluster);
    if (degraded(entry)) degradedClusters.add(entry.cluster);
    if (rollingOut(entry)) rollingOutClusters.add(entry.cluster);
  }
  const drift = templateDrift(instances.map((e) => ({ cluster: e.cluster, containers: e.data.containers })));
  return {
    desiredReplicas,
    readyReplicas,
    clusters: sorted(clusters),
    missingClusters: [...missing].sort(),
    degradedClusters: sorted(degradedClusters),
    rollingOutClusters: sorted(rollingOutClusters),
    driftedClusters: sorted(new Set(drift.map((d) => d.cluster))),
    drift,
  };
}

/**
 * What an instance adds to the sums. A Job's pods end when it succeeds, so its ready pods say
 * nothing of it: it counts its completions asked and succeeded (a complete Job is fully ready).
 */
function replicasOf(entry: CacheEntry<WorkloadData>): { desired: number; ready: number } {
  const { desired, ready, succeeded } = entry.data;
  if (entry.kind !== "Job") return { desired, ready };
  return {
    desired,
    ready: workloadStatus(entry) === "COMPLETE" ? desired : Math.min(succeeded ?? 0, desired),
  };
}

/** Clusters that need a look: missing, degraded, rolling out or drifted (each counted once). */
export function clustersAffected(status: FleetWorkloadStatus): number {
  return new Set([
    ...status.missingClusters,
    ...status.degradedClusters,
    ...status.rollingOutClusters,
    ...status.driftedClusters,
  ]).size;
}

/** Ready over desired replicas; 1 when none are desired (nothing is short). */
export function readiness(status: FleetWorkloadStatus): number {
  return status.desiredReplicas === 0 ? 1 : status.readyReplicas / status.desiredReplicas;
}

function sorted(values: Set<string>): string[] {
  return [...values].sort();
}
