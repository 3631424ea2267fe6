/**
 * A Deployment's status as the deployment controller computes it: replica counts summed over its
 * ReplicaSets, and the Available / Progressing conditions with the real reasons and messages.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { Condition } from "./pods.js";
import { specReplicas, statusCount, sum, type RollingLimits } from "./rollout.js";

export function deploymentStatus(
  deployment: KubeObject,
  newRS: KubeObject | undefined,
  all: KubeObject[],
  desired: number,
  limits: RollingLimits,
  createdNew: boolean,
  stamp: string,
): Record<string, unknown> {
  const previous = (deployment.status ?? {}) as { conditions?: Condition[]; collisionCount?: number };
  const replicas = sum(all, (rs) => statusCount(rs, "replicas"));
  const updated = newRS ? statusCount(newRS, "replicas") : 0;
  const ready = sum(all, (rs) => statusCount(rs, "readyReplicas"));
  const available = sum(all, (rs) => statusCount(rs, "availableReplicas"));
  const unavailable = Math.max(0, sum(all, specReplicas) - available);
  const generation = deployment.metadata.generation ?? 1;

  const availableCondition: Condition =
    available >= desired - limits.maxUnavailable
      ? {
          type: "Available",
          status: "True",
          reason: "MinimumReplicasAvailable",
          message: "Deployment has minimum availability.",
        }
      : {
          type: "Available",
          status: "False",
          reason: "MinimumReplicasUnavailable",
          message: "Deployment does not have minimum availability.",
        };
  const rsName = newRS?.metadata.name ?? "";
  const complete =
    newRS !== undefined && updated === desired && replicas === desired && available === desired;
  const progressing: Condition = complete
    ? {
        type: "Progressing",
        status: "True",
        reason: "NewReplicaSetAvailable",
        message: `ReplicaSet "${rsName}" has successfully progressed.`,
      }
    : createdNew
      ? {
          type: "Progressing",
          status: "True",
          reason: "NewReplicaSetCreated",
          message: `Created new replica set "${rsName}"`,
        }
      : {
          type: "Progressing",
          status: "True",
          reason: "ReplicaSetUpdated",
          message: `ReplicaSet "${rsName}" is progressing.`,
        };

  const status: Record<string, unknown> = {
    observedGeneration: generation,
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  // Counts are omitempty in the real API: a zero is absent rather than 0.
  for (const [field, value] of Object.entries(status)) if (value === 0) delete status[field];
  status.conditions = [
    merge(previous.conditions, availableCondition, stamp),
    merge(previous.conditions, progressing, stamp),
  ];
  if (previous.collisionCount !== undefined) status.collisionCount = previous.collisionCount;
  return status;
}

/** Keeps both timestamps when nothing changed; a new reason refreshes lastUpdateTime; a new status also lastTransitionTime. */
function merge(conditions: Condition[] | undefined, next: Condition, stamp: string): Condition {
  const old = conditions?.find((c) => c.type === next.type);
  const same =
    old && old.status === next.status && old.reason === next.reason && old.message === next.message;
  return {
    type: next.type,
    status: next.status,
    lastUpdateTime: same ? old.lastUpdateTime! : stamp,
    lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime! : stamp,
    reason: next.reason!,
    message: next.message!,
  };
}
