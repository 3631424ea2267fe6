/**
 * workloadRestart: a rolling restart as `kubectl rollout restart` makes one, by setting the pod
 * template's `kubectl.kubernetes.io/restartedAt` annotation (RFC 3339); the controller then
 * replaces every pod.
 */
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import { objectPath } from "../fleet/resources.js";
import type { KubeObject } from "../kube/object.js";
import { DAEMON_SET, DEPLOYMENT, STATEFUL_SET } from "../kinds/workloads.js";
import type { MutationOutcome } from "./outcome.js";
import type { Operation } from "./run.js";
import type { MutationTarget } from "./targets.js";

export const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

export const RESTARTABLE_KINDS = [DEPLOYMENT, STATEFUL_SET, DAEMON_SET] as const;

export interface RestartRequest {
  dryRun: boolean;
  /** The annotation's value; default now. */
  at?: Date;
}

export function restartOperation(request: RestartRequest): Operation {
  const at = (request.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    name: "workload.restart",
    question: (t) => ({
      verb: "patch",
      group: "apps",
      resource: t.path.plural,
      cluster: t.cluster,
      namespace: t.namespace,
      name: t.name,
    }),
    apply: (connection, target, as) => restart(connection, target, as, at, request.dryRun),
  };
}

async function restart(
  connection: ClusterConnection,
  target: MutationTarget,
  as: RequestOptions,
  at: string,
  dryRun: boolean,
): Promise<MutationOutcome> {
  const path = objectPath(target.path, target.namespace, target.name);
  const patch = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } };
  const object = await connection.write<KubeObject>(
    { method: "PATCH", contentType: "application/merge-patch+json", body: JSON.stringify(patch) },
    `${path}${dryRun ? "?dryRun=All" : ""}`,
    "patch",
    as,
  );
  return { target, status: dryRun ? "DRY_RUN" : "APPLIED", object, error: null };
}
