/**
 * Where each cached kind lives in the Kubernetes REST API. The cached kinds are all built in, so
 * their paths are fixed and need no discovery; the generic resources path uses `request` instead.
 */
import type { CachedKind } from "../cache/entry.js";

export interface KindPath {
  /** "/api/v1" or "/apis/<group>/<version>". */
  prefix: string;
  plural: string;
  namespaced: boolean;
}

const core = (plural: string, namespaced = true): KindPath => ({ prefix: "/api/v1", plural, namespaced });
const group = (g: string, plural: string): KindPath => ({
  prefix: `/apis/${g}/v1`,
  plural,
  namespaced: true,
});

export const KIND_PATHS: Readonly<Record<CachedKind, KindPath>> = {
  Namespace: core("namespaces", false),
  Node: core("nodes", false),
  Pod: core("pods"),
  Service: core("services"),
  Event: core("events"),
  Deployment: group("apps", "deployments"),
  ReplicaSet: group("apps", "replicasets"),
  StatefulSet: group("apps", "statefulsets"),
  DaemonSet: group("apps", "daemonsets"),
  Job: group("batch", "jobs"),
  CronJob: group("batch", "cronjobs"),
};

/** The collection path of a kind: across all namespaces unless one is given. */
export function collectionPath(kind: CachedKind, namespace?: string): string {
  const p = KIND_PATHS[kind];
  if (namespace !== undefined && p.namespaced) {
    return `${p.prefix}/namespaces/${encodeURIComponent(namespace)}/${p.plural}`;
  }
  return `${p.prefix}/${p.plural}`;
}

/** Appends query parameters, skipping undefined and empty values. */
export function withQuery(
  path: string,
  query: Record<string, string | number | boolean | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
