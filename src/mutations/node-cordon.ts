/**
 * clusterNodeCordon / clusterNodeUncordon: spec.unschedulable, as `kubectl cordon` sends it (a
 * strategic merge patch of the node; uncordon sets false, which the API server stores as
 * omitted). A node already so is UNCHANGED and nothing is written.
 */
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import { objectPath } from "../fleet/resources.js";
import type { KubeObject } from "../kube/object.js";
import { NODE } from "../kinds/index.js";
import type { MutationOutcome } from "./outcome.js";
import type { Operation } from "./run.js";
import type { MutationTarget } from "./targets.js";

export const NODE_KINDS = [NODE] as const;

export function cordonOperation(unschedulable: boolean, dryRun: boolean): Operation {
  return {
    name: unschedulable ? "node.cordon" : "node.uncordon",
    question: (t) => ({ verb: "patch", group: "", resource: "nodes", cluster: t.cluster, name: t.name }),
    apply: (connection, target, as) => setUnschedulable(connection, target, as, unschedulable, dryRun),
  };
}

export const isUnschedulable = (node: KubeObject): boolean =>
  (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;

export async function setUnschedulable(
  connection: ClusterConnection,
  target: MutationTarget,
  as: RequestOptions,
  unschedulable: boolean,
  dryRun: boolean,
): Promise<MutationOutcome> {
  const path = objectPath(target.path, "", target.name);
  // Read as the caller: a node they cannot see is their 403/404, not the cache's word.
  const current = await connection.request<KubeObject>(path, as);
  if (isUnschedulable(current) === unschedulable) {
    return { target, status: "UNCHANGED", object: current, error: null };
  }
  const answer = await connection.write<KubeObject>(
    {
      method: "PATCH",
      contentType: "application/strategic-merge-patch+json",
      body: JSON.stringify({ spec: { unschedulable } }),
    },
    `${path}${dryRun ? "?dryRun=All" : ""}`,
    "patch",
    as,
  );
  return { target, status: dryRun ? "DRY_RUN" : "APPLIED", object: answer, error: null };
}
