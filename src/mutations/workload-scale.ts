/**
 * workloadScale: spec.replicas through the `scale` subresource, as `kubectl scale` does. A merge
 * patch normally; with expectedResourceVersion a PUT of the Scale carrying it, so the API server
 * refuses (409) when the workload changed since.
 */
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import { ClusterError } from "../fleet/errors.js";
import { objectPath } from "../fleet/resources.js";
import type { JsonObject, KubeObject } from "../kube/object.js";
import { DEPLOYMENT, STATEFUL_SET } from "../kinds/workloads.js";
import type { MutationOutcome } from "./outcome.js";
import { verbOn, type Operation } from "./run.js";
import type { MutationTarget } from "./targets.js";

/** The most replicas one mutation may ask for. */
export const MAX_REPLICAS = 1000;

export const SCALABLE_KINDS = [DEPLOYMENT, STATEFUL_SET] as const;

export interface ScaleRequest {
  replicas: number;
  dryRun: boolean;
  expectedResourceVersion?: string;
}

export function scaleOperation(request: ScaleRequest): Operation {
  return {
    name: "workload.scale",
    // A PUT of the Scale (the precondition's form) is an update to RBAC, a merge patch a patch.
    question: verbOn(request.expectedResourceVersion === undefined ? "patch" : "update", "scale"),
    apply: (connection, target, as) => scale(connection, target, as, request),
  };
}

async function scale(
  connection: ClusterConnection,
  target: MutationTarget,
  as: RequestOptions,
  request: ScaleRequest,
): Promise<MutationOutcome> {
  const path = objectPath(target.path, target.namespace, target.name);
  const query = request.dryRun ? "?dryRun=All" : "";
  const expected = request.expectedResourceVersion;
  let answer: KubeObject;
  try {
    answer =
      expected === undefined
        ? await connection.write<KubeObject>(
            {
              method: "PATCH",
              contentType: "application/merge-patch+json",
              body: JSON.stringify({ spec: { replicas: request.replicas } }),
            },
            `${path}/scale${query}`,
            "patch",
            as,
          )
        : await connection.write<KubeObject>(
            {
              method: "PUT",
              contentType: "application/json",
              body: JSON.stringify({
                apiVersion: "autoscaling/v1",
                kind: "Scale",
                metadata: { name: target.name, namespace: target.namespace, resourceVersion: expected },
                spec: { replicas: request.replicas },
              }),
            },
            `${path}/scale${query}`,
            "update",
            as,
          );
  } catch (error) {
    if (error instanceof ClusterError && error.httpStatus === 409) {
      const current = await connection.request<KubeObject>(path, as).catch(() => undefined);
      const version = current?.metadata.resourceVersion;
      return {
        target,
        status: "CONFLICT",
        object: current ?? null,
        error: {
          code: "CONFLICT",
          message: `${target.kind} ${target.namespace}/${target.name} changed since resourceVersion ${expected ?? "?"}${version ? `: it is now at ${version}` : ""}`,
        },
      };
    }
    throw error;
  }
  // The answer is a Scale; the workload itself is read back (as the caller) to be served. The
  // scale happened whatever that read says: a caller who may scale but not read gets no object.
  const workload = await connection.request<KubeObject>(path, as).catch(() => null);
  const before = target.entry ? String(target.entry.resourceVersion) : "";
  if (request.dryRun) {
    const spec = (workload?.spec ?? {}) as JsonObject;
    return {
      target,
      status: "DRY_RUN",
      object: workload && { ...workload, spec: { ...spec, replicas: request.replicas } },
      error: null,
    };
  }
  const unchanged = answer.metadata.resourceVersion === before && before !== "";
  return { target, status: unchanged ? "UNCHANGED" : "APPLIED", object: workload, error: null };
}
