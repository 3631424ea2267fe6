/**
 * Targets named as a manifest names them (cluster, apiVersion, kind, namespace, name), found
 * through each cluster's discovery: the kind becomes a REST path there. A kind the cluster does
 * not serve is an INVALID outcome for that cluster alone; a cluster whose discovery cannot be
 * read is CLUSTER_UNAVAILABLE (outcomeOfError's reading of the error), like any other call.
 */
import { QueryInputError } from "../cache/query/index.js";
import type { FleetDiscovery } from "../discovery/index.js";
import { groupVersionPath } from "../discovery/index.js";
import { findKind } from "../kinds/index.js";
import { outcomeOfError } from "./outcome.js";
import { apiVersionOfPath, type MutationTarget } from "./targets.js";

export interface ObjectRef {
  cluster: string;
  apiVersion: string;
  kind: string;
  /** Ignored for cluster-scoped kinds (an error when given, see `namespaceOnClusterScoped`). */
  namespace?: string | null | undefined;
  name: string;
}

export interface ObjectTargetOptions {
  /** For a namespaced kind named without one: kubectl's "default"; undefined makes it INVALID. */
  defaultNamespace?: string;
}

/** The discovery the targets are found through (FleetDiscovery). */
export type KindDiscovery = Pick<FleetDiscovery, "resolve">;

export async function objectTarget(
  discovery: KindDiscovery,
  ref: ObjectRef,
  options: ObjectTargetOptions = {},
): Promise<MutationTarget> {
  const target: MutationTarget = {
    cluster: ref.cluster,
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    path: { prefix: "", plural: "", namespaced: false },
    group: "",
    namespace: ref.namespace ?? "",
    name: ref.name,
    id: null,
    cached: undefined,
    entry: undefined,
    problem: undefined,
  };
  let resource;
  try {
    resource = await discovery.resolve(ref.cluster, ref.apiVersion, ref.kind);
  } catch (error) {
    if (error instanceof QueryInputError)
      return { ...target, problem: { status: "INVALID", message: error.message } };
    const { status, error: why } = outcomeOfError(target, error);
    return { ...target, problem: { status, message: why?.message ?? String(error) } };
  }
  const path = {
    prefix: groupVersionPath({ group: resource.group, version: resource.version }),
    plural: resource.plural,
    namespaced: resource.namespaced,
  };
  const cached = findKind(resource.kind);
  const resolved: MutationTarget = {
    ...target,
    path,
    group: resource.group,
    cached: cached && apiVersionOfPath(cached.path) === resource.apiVersion ? cached : undefined,
  };
  if (!resource.namespaced) {
    if (ref.namespace) {
      return {
        ...resolved,
        namespace: "",
        problem: { status: "INVALID", message: `${ref.kind} is cluster-scoped: it takes no namespace` },
      };
    }
    return resolved;
  }
  const namespace = ref.namespace || options.defaultNamespace;
  if (!namespace) {
    return {
      ...resolved,
      problem: { status: "INVALID", message: `${ref.kind} lives in a namespace: name one` },
    };
  }
  return { ...resolved, namespace };
}
