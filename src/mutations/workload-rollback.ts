/**
 * workloadRollback: a Deployment back to the pod template of one of its ReplicaSets, as
 * `kubectl rollout undo [--to-revision=N]` does: the Deployment and its ReplicaSets read as the
 * caller, the ReplicaSet of the revision found (0: the one before the current), its template
 * (without the controller's pod-template-hash label) written over the Deployment's in one JSON
 * patch that also carries the Deployment's resourceVersion, so a Deployment changed meanwhile is
 * a CONFLICT rather than a rollback of something else. The Deployment controller then rolls the
 * pods back and makes that ReplicaSet the newest revision.
 */
import { isDeepStrictEqual } from "node:util";
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import { ClusterError } from "../fleet/errors.js";
import { collectionPath, objectPath, withQuery } from "../fleet/resources.js";
import type { JsonObject, KubeObject } from "../kube/object.js";
import { DEPLOYMENT, REPLICA_SET } from "../kinds/workloads.js";
import type { MutationOutcome } from "./outcome.js";
import { failed } from "./outcome.js";
import { verbOn, type Operation } from "./run.js";
import type { MutationTarget } from "./targets.js";

export const ROLLBACK_KINDS = [DEPLOYMENT] as const;
export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
/** The label the Deployment controller adds to each ReplicaSet's template; not part of the user's template. */
const TEMPLATE_HASH_LABEL = "pod-template-hash";

export interface RollbackRequest {
  /** The ReplicaSet revision to go back to; 0: the previous one. */
  revision: number;
  dryRun: boolean;
}

export function rollbackOperation(request: RollbackRequest): Operation {
  return {
    name: "workload.rollback",
    question: verbOn("patch"),
    apply: (connection, target, as) => rollback(connection, target, as, request),
  };
}

interface DeploymentSpec {
  paused?: boolean;
  selector?: { matchLabels?: Record<string, string> };
  template?: JsonObject;
}

async function rollback(
  connection: ClusterConnection,
  target: MutationTarget,
  as: RequestOptions,
  request: RollbackRequest,
): Promise<MutationOutcome> {
  const path = objectPath(target.path, target.namespace, target.name);
  const deployment = await connection.request<KubeObject>(path, as);
  const spec = (deployment.spec ?? {}) as DeploymentSpec;
  const name = `Deployment ${target.namespace}/${target.name}`;
  if (spec.paused) {
    return failed(target, "INVALID", `${name} is paused: resume it (workloadResume) before rolling it back`);
  }
  const history = await replicaSetsOf(connection, deployment, as);
  const current = Number(deployment.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
  const chosen = chooseRevision(history, current, request.revision);
  if (!chosen) {
    return failed(
      target,
      "INVALID",
      request.revision === 0
        ? `${name} has no previous revision to roll back to`
        : `${name} has no revision ${request.revision} in its history (revisions: ${history.map(revisionOf).join(", ") || "none"})`,
    );
  }
  const template = withoutHashLabel((chosen.spec as { template?: JsonObject } | undefined)?.template ?? {});
  if (isDeepStrictEqual(template, spec.template)) {
    return { target, status: "UNCHANGED", object: deployment, error: null };
  }
  const patch = [
    { op: "replace", path: "/metadata/resourceVersion", value: deployment.metadata.resourceVersion },
    { op: "replace", path: "/spec/template", value: template },
    { op: "replace", path: "/metadata/annotations", value: rolledBackAnnotations(deployment, chosen) },
  ];
  try {
    const object = await connection.write<KubeObject>(
      { method: "PATCH", contentType: "application/json-patch+json", body: JSON.stringify(patch) },
      `${path}${request.dryRun ? "?dryRun=All" : ""}`,
      "patch",
      as,
    );
    return { target, status: request.dryRun ? "DRY_RUN" : "APPLIED", object, error: null };
  } catch (error) {
    if (error instanceof ClusterError && error.httpStatus === 409) {
      return failed(target, "CONFLICT", `${name} changed while it was being rolled back; ask again`);
    }
    throw error;
  }
}

/** The ReplicaSets the Deployment controls, read with its selector as the caller. */
async function replicaSetsOf(
  connection: ClusterConnection,
  deployment: KubeObject,
  as: RequestOptions,
): Promise<KubeObject[]> {
  const labels = (deployment.spec as DeploymentSpec | undefined)?.selector?.matchLabels ?? {};
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const list = await connection.request<{ items?: KubeObject[] }>(
    withQuery(collectionPath(REPLICA_SET.path, deployment.metadata.namespace), { labelSelector: selector }),
    as,
  );
  const uid = deployment.metadata.uid;
  return (list.items ?? []).filter((rs) =>
    rs.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === uid),
  );
}

const revisionOf = (rs: KubeObject): number =>
  Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;

/** The asked revision; for 0, the newest one older than the current (kubectl's "previous"). */
export function chooseRevision(
  history: readonly KubeObject[],
  current: number,
  revision: number,
): KubeObject | undefined {
  if (revision > 0) return history.find((rs) => revisionOf(rs) === revision);
  return history.filter((rs) => revisionOf(rs) < current).sort((a, b) => revisionOf(b) - revisionOf(a))[0];
}

/** Annotations kubectl keeps from the Deployment rather than take from the ReplicaSet. */
const KEPT_ANNOTATIONS: ReadonlySet<string> = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION_ANNOTATION,
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
]);

/**
 * The Deployment's annotations after `kubectl rollout undo`: the ReplicaSet's (a change-cause,
 * say), except the controller's bookkeeping and the last applied configuration, kept as they are.
 */
function rolledBackAnnotations(deployment: KubeObject, replicaSet: KubeObject): Record<string, string> {
  const kept = Object.entries(deployment.metadata.annotations ?? {}).filter(([k]) => KEPT_ANNOTATIONS.has(k));
  const taken = Object.entries(replicaSet.metadata.annotations ?? {}).filter(
    ([k]) => !KEPT_ANNOTATIONS.has(k),
  );
  return Object.fromEntries([...kept, ...taken]);
}

function withoutHashLabel(template: JsonObject): JsonObject {
  const copy = structuredClone(template);
  const metadata = copy.metadata as { labels?: Record<string, string> } | undefined;
  if (metadata?.labels) {
    delete metadata.labels[TEMPLATE_HASH_LABEL];
  }
  return copy;
}
