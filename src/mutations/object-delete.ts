/**
 * objectDelete: DELETE with DeleteOptions (propagationPolicy, gracePeriodSeconds, a
 * resourceVersion precondition, dryRun), as `kubectl delete` sends it. The answer is the object
 * (finalising, or as it was), or a Status when the API server has nothing more to show.
 */
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import { ClusterError } from "../fleet/errors.js";
import { objectPath } from "../fleet/resources.js";
import type { KubeObject } from "../kube/object.js";
import type { MutationOutcome } from "./outcome.js";
import type { Operation } from "./run.js";
import type { MutationTarget } from "./targets.js";

export interface DeleteRequest {
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  gracePeriodSeconds?: number;
  expectedResourceVersion?: string;
  dryRun: boolean;
}

/** The most grace a deletion may ask for: an hour (kubectl accepts any; a gateway bounds it). */
export const MAX_GRACE_PERIOD_SECONDS = 3600;

export function deleteOperation(name: string, request: DeleteRequest): Operation {
  return {
    name,
    readBack: "deleted",
    question: (t) => ({
      verb: "delete",
      group: t.group,
      resource: t.path.plural,
      cluster: t.cluster,
      ...(t.namespace ? { namespace: t.namespace } : {}),
      name: t.name,
    }),
    apply: (connection, target, as) => deleteObject(connection, target, as, request),
  };
}

export function deleteOptions(request: DeleteRequest): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "DeleteOptions",
    ...(request.propagationPolicy ? { propagationPolicy: request.propagationPolicy } : {}),
    ...(request.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: request.gracePeriodSeconds } : {}),
    ...(request.expectedResourceVersion
      ? { preconditions: { resourceVersion: request.expectedResourceVersion } }
      : {}),
    ...(request.dryRun ? { dryRun: ["All"] } : {}),
  };
}

async function deleteObject(
  connection: ClusterConnection,
  target: MutationTarget,
  as: RequestOptions,
  request: DeleteRequest,
): Promise<MutationOutcome> {
  const path = objectPath(target.path, target.namespace, target.name);
  let answer: KubeObject;
  try {
    answer = await connection.write<KubeObject>(
      { method: "DELETE", contentType: "application/json", body: JSON.stringify(deleteOptions(request)) },
      `${path}${request.dryRun ? "?dryRun=All" : ""}`,
      "delete",
      as,
    );
  } catch (error) {
    if (error instanceof ClusterError && error.httpStatus === 409 && request.expectedResourceVersion) {
      return {
        target,
        status: "CONFLICT",
        object: null,
        error: {
          code: "CONFLICT",
          message: `${target.kind} ${target.namespace ? `${target.namespace}/` : ""}${target.name} is no longer at resourceVersion ${request.expectedResourceVersion}: ${error.detail}`,
        },
      };
    }
    throw error;
  }
  // Some kinds answer a Status instead of the object (the real server does for a few).
  const object = answer.kind === "Status" ? null : answer;
  return { target, status: request.dryRun ? "DRY_RUN" : "APPLIED", object, error: null };
}
