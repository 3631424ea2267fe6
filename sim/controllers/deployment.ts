/**
 * The Deployment controller: one ReplicaSet per pod template (`<deployment>-<pod-template-hash>`),
 * rolling (or recreating) from the old ones to the new one when the template changes, scaling,
 * pruning old ReplicaSets beyond revisionHistoryLimit, and the Deployment's status and
 * conditions, with the ScalingReplicaSet events `kubectl describe` shows.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ChangeHandler, ControllerContext } from "./context.js";
import { ownerQueue } from "./owner-queue.js";
import { splitKey } from "./context.js";
import { DEPLOYMENTS, REPLICASETS } from "./resources.js";
import { controllerOf, controllerReference, type PodTemplate } from "./pods.js";
import { templateHash } from "./template-hash.js";
import {
  newReplicaCount,
  oldScaleDownBudget,
  revisionOf,
  rollingLimits,
  specReplicas,
  statusCount,
  sum,
  type RollingLimits,
} from "./rollout.js";
import { deploymentStatus } from "./deployment-status.js";

const REVISION = "deployment.kubernetes.io/revision";

export interface DeploymentSpec {
  replicas?: number;
  paused?: boolean;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template?: PodTemplate;
  strategy?: {
    type?: string;
    rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
  };
}

export function startDeploymentController(ctx: ControllerContext): ChangeHandler {
  return ownerQueue(ctx, DEPLOYMENTS, REPLICASETS, (key) => syncDeployment(ctx, key)).handle;
}

function syncDeployment(ctx: ControllerContext, key: string): void {
  const [namespace, name] = splitKey(key);
  const deployment = ctx.store.get(DEPLOYMENTS, namespace, name);
  if (!deployment || deployment.metadata.deletionTimestamp) return;
  const spec = (deployment.spec ?? {}) as DeploymentSpec;
  const uid = deployment.metadata.uid!;
  const owned = ctx.store
    .ownedBy(uid)
    .filter((o) => o.resource === "apps/replicasets" && controllerOf(o.object)?.uid === uid)
    .map((o) => o.object);
  const hash = templateHash(
    spec.template,
    (deployment.status as { collisionCount?: number } | undefined)?.collisionCount ?? 0,
  );
  let newRS = owned.find((rs) => rs.metadata.labels?.["pod-template-hash"] === hash);
  const oldRSs = owned.filter((rs) => rs !== newRS).sort((a, b) => revisionOf(a) - revisionOf(b));
  const desired = spec.replicas ?? 1;
  const limits: RollingLimits =
    spec.strategy?.type === "Recreate"
      ? { maxSurge: 0, maxUnavailable: desired }
      : rollingLimits(spec.strategy, desired);
  const maxOldRevision = oldRSs.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
  let createdNew = false;

  if (!spec.paused) {
    if (!newRS) {
      newRS = createReplicaSet(
        ctx,
        deployment,
        spec,
        hash,
        maxOldRevision + 1,
        initialReplicas(spec, desired, limits, oldRSs),
      );
      createdNew = true;
    } else if (revisionOf(newRS) <= maxOldRevision) {
      // A rollback to an older template makes its ReplicaSet the newest revision again.
      newRS = ctx.store.mutate(REPLICASETS, namespace, newRS.metadata.name!, (draft) => {
        draft.metadata.annotations = {
          ...draft.metadata.annotations,
          [REVISION]: String(maxOldRevision + 1),
        };
      })!;
    }
    if (spec.strategy?.type === "Recreate") recreate(ctx, deployment, newRS, oldRSs, desired);
    else roll(ctx, deployment, newRS, oldRSs, desired, limits);
    pruneHistory(ctx, oldRSs, spec.revisionHistoryLimit ?? 10);
  }
  const fresh = (rs: KubeObject): KubeObject =>
    ctx.store.get(REPLICASETS, namespace, rs.metadata.name!) ?? rs;
  const current = newRS ? fresh(newRS) : undefined;
  const all = [...(current ? [current] : []), ...oldRSs.map(fresh)];
  const status = deploymentStatus(deployment, current, all, desired, limits, createdNew, ctx.timestamp());
  const revision = current ? String(revisionOf(current)) : undefined;
  if (
    JSON.stringify(status) === JSON.stringify(deployment.status ?? {}) &&
    deployment.metadata.annotations?.[REVISION] === revision
  )
    return;
  ctx.store.update(DEPLOYMENTS, {
    ...deployment,
    metadata: revision
      ? { ...deployment.metadata, annotations: { ...deployment.metadata.annotations, [REVISION]: revision } }
      : deployment.metadata,
    status,
  });
}

function initialReplicas(
  spec: DeploymentSpec,
  desired: number,
  limits: RollingLimits,
  oldRSs: KubeObject[],
): number {
  const oldActive = sum(oldRSs, specReplicas);
  if (oldActive === 0) return desired;
  if (spec.strategy?.type === "Recreate") return 0;
  return Math.max(0, Math.min(desired, desired + limits.maxSurge - oldActive));
}

function createReplicaSet(
  ctx: ControllerContext,
  deployment: KubeObject,
  spec: DeploymentSpec,
  hash: string,
  revision: number,
  replicas: number,
): KubeObject {
  const template = structuredClone(spec.template ?? {});
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, "pod-template-hash": hash },
  };
  const selector = structuredClone(spec.selector ?? {});
  selector.matchLabels = { ...selector.matchLabels, "pod-template-hash": hash };
  const desired = spec.replicas ?? 1;
  const rs = ctx.store.create(REPLICASETS, {
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      labels: { ...template.metadata.labels },
      annotations: {
        "deployment.kubernetes.io/desired-replicas": String(desired),
        "deployment.kubernetes.io/max-replicas": String(
          desired + rollingLimits(spec.strategy, desired).maxSurge,
        ),
        [REVISION]: String(revision),
      },
      ownerReferences: [controllerReference(DEPLOYMENTS, deployment)],
    },
    spec: { replicas, minReadySeconds: spec.minReadySeconds ?? 0, selector, template },
  });
  if (replicas > 0) scaledEvent(ctx, deployment, rs, 0, replicas);
  return rs;
}

function roll(
  ctx: ControllerContext,
  deployment: KubeObject,
  newRS: KubeObject,
  oldRSs: KubeObject[],
  desired: number,
  limits: RollingLimits,
): void {
  const oldActive = oldRSs.filter((rs) => specReplicas(rs) > 0);
  if (specReplicas(newRS) > desired || oldActive.length === 0) {
    scale(ctx, deployment, newRS, desired);
    return;
  }
  const all = [newRS, ...oldRSs];
  const target = newReplicaCount(desired, limits, all, specReplicas(newRS));
  if (target !== specReplicas(newRS)) newRS = scale(ctx, deployment, newRS, target);
  let budget = oldScaleDownBudget(desired, limits, [newRS, ...oldRSs], newRS);
  if (budget <= 0) return;
  // First the old pods that are not available anyway, then available ones down to minAvailable.
  const remaining = new Map(oldActive.map((rs) => [rs.metadata.name!, specReplicas(rs)]));
  for (const rs of oldActive) {
    const unhealthy = Math.min(budget, specReplicas(rs) - statusCount(rs, "availableReplicas"));
    if (unhealthy <= 0) continue;
    remaining.set(rs.metadata.name!, specReplicas(rs) - unhealthy);
    budget -= unhealthy;
  }
  const minAvailable = desired - limits.maxUnavailable;
  const available = sum([newRS, ...oldRSs], (rs) => statusCount(rs, "availableReplicas"));
  let surplus = Math.min(budget, available - minAvailable);
  for (const rs of oldActive) {
    const left = remaining.get(rs.metadata.name!)!;
    const cut = Math.max(0, Math.min(left, surplus));
    if (cut > 0) {
      remaining.set(rs.metadata.name!, left - cut);
      surplus -= cut;
    }
    if (remaining.get(rs.metadata.name!) !== specReplicas(rs))
      scale(ctx, deployment, rs, remaining.get(rs.metadata.name!)!);
  }
}

function recreate(
  ctx: ControllerContext,
  deployment: KubeObject,
  newRS: KubeObject,
  oldRSs: KubeObject[],
  desired: number,
): void {
  for (const rs of oldRSs) if (specReplicas(rs) > 0) scale(ctx, deployment, rs, 0);
  if (sum(oldRSs, (rs) => statusCount(rs, "replicas")) === 0) scale(ctx, deployment, newRS, desired);
}

function scale(ctx: ControllerContext, deployment: KubeObject, rs: KubeObject, replicas: number): KubeObject {
  const from = specReplicas(rs);
  if (from === replicas) return rs;
  const desired = (deployment.spec as DeploymentSpec).replicas ?? 1;
  const updated = ctx.store.mutate(REPLICASETS, rs.metadata.namespace, rs.metadata.name!, (draft) => {
    (draft.spec as { replicas?: number }).replicas = replicas;
    draft.metadata.annotations = {
      ...draft.metadata.annotations,
      "deployment.kubernetes.io/desired-replicas": String(desired),
      "deployment.kubernetes.io/max-replicas": String(
        desired + rollingLimits((deployment.spec as DeploymentSpec).strategy, desired).maxSurge,
      ),
    };
  });
  if (!updated) return rs;
  scaledEvent(ctx, deployment, updated, from, replicas);
  return updated;
}

function scaledEvent(
  ctx: ControllerContext,
  deployment: KubeObject,
  rs: KubeObject,
  from: number,
  to: number,
): void {
  const name = rs.metadata.name!;
  const message =
    to > from
      ? from === 0
        ? `Scaled up replica set ${name} to ${to}`
        : `Scaled up replica set ${name} to ${to} from ${from}`
      : `Scaled down replica set ${name} to ${to} from ${from}`;
  ctx.events.record({
    kind: DEPLOYMENTS,
    object: deployment,
    type: "Normal",
    reason: "ScalingReplicaSet",
    message,
    source: { component: "deployment-controller" },
  });
}

/** Deletes the oldest fully scaled-down ReplicaSets beyond the history limit. */
function pruneHistory(ctx: ControllerContext, oldRSs: KubeObject[], limit: number): void {
  const idle = oldRSs.filter((rs) => {
    const current = ctx.store.get(REPLICASETS, rs.metadata.namespace, rs.metadata.name!);
    return current && specReplicas(current) === 0 && statusCount(current, "replicas") === 0;
  });
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
    ctx.store.delete(REPLICASETS, rs.metadata.namespace, rs.metadata.name!, { uid: rs.metadata.uid! });
  }
}
