/**
 * namespaceCreate: a Namespace on each named cluster, labelled with its workspace
 * (KubeSphere's `kubesphere.io/workspace`, or the configured label), as KubeSphere creates a
 * project. The gateway's question carries the workspace, so a workspace admin may create
 * namespaces in their workspace and nowhere else; the cluster's RBAC decides too.
 */
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import { ClusterError } from "../fleet/errors.js";
import { collectionPath } from "../fleet/resources.js";
import type { KubeObject } from "../kube/object.js";
import { NAMESPACE } from "../kinds/index.js";
import { failed, type MutationOutcome } from "./outcome.js";
import type { Operation } from "./run.js";
import type { MutationTarget } from "./targets.js";

export interface NamespaceCreateRequest {
  workspace: string;
  workspaceLabel: string;
  labels: Record<string, string>;
  dryRun: boolean;
}

export function namespaceCreateOperation(request: NamespaceCreateRequest): Operation {
  return {
    name: "namespace.create",
    question: (t) => ({
      verb: "create",
      group: "",
      resource: NAMESPACE.path.plural,
      cluster: t.cluster,
      name: t.name,
      workspace: request.workspace,
    }),
    apply: (connection, target, as) => create(connection, target, as, request),
  };
}

async function create(
  connection: ClusterConnection,
  target: MutationTarget,
  as: RequestOptions,
  request: NamespaceCreateRequest,
): Promise<MutationOutcome> {
  const body = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: target.name,
      labels: { ...request.labels, [request.workspaceLabel]: request.workspace },
    },
  };
  try {
    const object = await connection.write<KubeObject>(
      { method: "POST", contentType: "application/json", body: JSON.stringify(body) },
      `${collectionPath(NAMESPACE.path)}${request.dryRun ? "?dryRun=All" : ""}`,
      "create",
      as,
    );
    return { target, status: request.dryRun ? "DRY_RUN" : "APPLIED", object, error: null };
  } catch (error) {
    if (error instanceof ClusterError && error.httpStatus === 409) {
      return failed(
        target,
        "CONFLICT",
        `namespace "${target.name}" already exists on cluster ${target.cluster}`,
      );
    }
    throw error;
  }
}
