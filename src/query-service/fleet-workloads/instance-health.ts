/**
 * How one cluster's instance of a fleet workload stands, in the two words a fleet view counts:
 * rolling out (what `kubectl rollout status` waits for) and degraded (failed, or settled with
 * fewer replicas ready than desired). A paused Deployment or a suspended Job is neither: it is
 * held on purpose; nor is an OnDelete StatefulSet or DaemonSet, which kubectl cannot follow.
 *
 * kubectl waits on replicas that are ready or available at the end of a rollout too; once the
 * controller has recorded the rollout complete (a Deployment's Progressing reason
 * NewReplicaSetAvailable, a StatefulSet's currentRevision equal to its updateRevision), a
 * shortfall is a failure of running pods, so degraded, not a rollout that never ends.
 */
import type { CacheEntry } from "../../cache/entry.js";
import { workloadReady, workloadStatus, type WorkloadData } from "../../kinds/workloads.js";

/** The Progressing reason of a Deployment whose latest rollout completed. */
const ROLLOUT_COMPLETE = "NewReplicaSetAvailable";

export function rollingOut(entry: CacheEntry<WorkloadData>): boolean {
  const data = entry.data;
  switch (entry.kind) {
    case "Deployment":
      return !data.paused && deploymentRollingOut(data);
    case "StatefulSet":
      return !data.onDelete && statefulSetRollingOut(data);
    case "DaemonSet":
      return (
        !data.onDelete &&
        (data.observedGeneration < data.generation ||
          data.updated < data.desired ||
          data.available < data.desired)
      );
    default:
      return false;
  }
}

export function degraded(entry: CacheEntry<WorkloadData>): boolean {
  const status = workloadStatus(entry);
  if (status === "FAILED") return true;
  if (status === "SUSPENDED") return false;
  return !rollingOut(entry) && !workloadReady(entry);
}

function deploymentRollingOut(data: WorkloadData): boolean {
  if (data.observedGeneration < data.generation) return true;
  const progressing = data.conditions.find((c) => c.type === "Progressing");
  // Past its progress deadline: failed (degraded), no longer rolling out.
  if (progressing?.status === "False") return false;
  if (data.updated < data.desired) return true;
  if ((data.replicas ?? data.updated) > data.updated) return true; // old replicas still terminating
  return data.available < data.updated && progressing?.reason !== ROLLOUT_COMPLETE;
}

function statefulSetRollingOut(data: WorkloadData): boolean {
  if (data.observedGeneration === 0 || data.observedGeneration < data.generation) return true;
  // Pods below the partition are left on the old revision on purpose.
  if (data.updated < data.desired - (data.partition ?? 0)) return true;
  return data.ready < data.desired && data.revisionPending === true;
}
