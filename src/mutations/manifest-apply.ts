/**
 * manifestApply's cluster call: server-side apply (PATCH application/apply-patch+yaml with
 * fieldManager, force and dryRun=All), as `kubectl apply --server-side` sends it. The API server
 * merges the document, tracks who owns which field, and answers 409 when the document would
 * change fields another manager owns (CONFLICT, naming them) unless forced.
 *
 * Whether anything changed is read from the object's resourceVersion before and after: an
 * apply that changes nothing leaves it as it was (UNCHANGED).
 *
 * An apply that creates the object is a create as much as a patch: the API server authorises
 * `create` too in that case (patch.go's createValidation), and so does the gateway, before the
 * call, when the object is not there (or cannot be read: then it may be created).
 */
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import { ClusterError } from "../fleet/errors.js";
import { objectPath, withQuery } from "../fleet/resources.js";
import type { KubeObject } from "../kube/object.js";
import { failed, type MutationOutcome } from "./outcome.js";
import { verbOn, type GatewayAccess, type Operation } from "./run.js";
import type { MutationTarget } from "./targets.js";

export const APPLY_PATCH = "application/apply-patch+yaml";

export interface ApplyRequest {
  fieldManager: string;
  force: boolean;
  dryRun: boolean;
  /** The document a target applies (its configuration). */
  configOf(target: MutationTarget): KubeObject;
}

export function applyOperation(name: string, request: ApplyRequest): Operation {
  return {
    name,
    question: verbOn("patch"),
    apply: (connection, target, as, gateway) => applyObject(connection, target, as, gateway, request),
    // A manifest's documents go to each cluster in order, as kubectl sends them.
    sequence: (t) => t.cluster,
  };
}

async function applyObject(
  connection: ClusterConnection,
  target: MutationTarget,
  as: RequestOptions,
  gateway: GatewayAccess,
  request: ApplyRequest,
): Promise<MutationOutcome> {
  const path = objectPath(target.path, target.namespace, target.name);
  // Read for dry runs too: a dry run is authorised as the apply itself would be.
  const before = await versionBefore(connection, path, as);
  // Absent (undefined), or unreadable (null: it may be absent): the apply may create it.
  if (before === undefined || before === null) {
    const decided = await gateway(verbOn("create")(target));
    if (!decided.allowed)
      return failed(target, "FORBIDDEN", decided.reason ?? "the gateway's access rules refuse this");
  }
  const config = request.configOf(target);
  const metadata = { ...config.metadata };
  if (target.namespace) metadata.namespace = target.namespace;
  const query = withQuery(path, {
    fieldManager: request.fieldManager,
    force: request.force ? "true" : undefined,
    dryRun: request.dryRun ? "All" : undefined,
  });
  const answer = await connection.write<KubeObject>(
    { method: "PATCH", contentType: APPLY_PATCH, body: JSON.stringify({ ...config, metadata }) },
    query,
    "patch",
    as,
  );
  const unchanged = before !== undefined && before !== null && before === answer.metadata.resourceVersion;
  return {
    target,
    status: request.dryRun ? "DRY_RUN" : unchanged ? "UNCHANGED" : "APPLIED",
    object: answer,
    error: null,
  };
}

/**
 * The object's resourceVersion before the apply: undefined when it does not exist (the apply
 * creates it), null when the caller may not read it (then a change is assumed).
 */
async function versionBefore(
  connection: ClusterConnection,
  path: string,
  as: RequestOptions,
): Promise<string | null | undefined> {
  try {
    const current = await connection.request<KubeObject>(path, as);
    return current.metadata.resourceVersion ?? null;
  } catch (error) {
    if (error instanceof ClusterError && error.httpStatus === 404) return undefined;
    if (error instanceof ClusterError && error.httpStatus === 403) return null;
    throw error;
  }
}
