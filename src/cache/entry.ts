/**
 * What the watch caches hold: one compact entry per object, the fields every kind shares plus a
 * kind-specific projection of what the schema serves. Whole objects are not kept (no
 * managedFields, no last-applied annotations): heap per cached object is a budgeted figure.
 */
import type { KubeObject } from "../kube/object.js";
import { intern, internOwner, internRecord } from "./intern.js";
import type { CachedKindSpec } from "./kind-spec.js";

/** The name of a cached kind ("Pod"); the cache holds whatever kinds the composition root gives it. */
export type CachedKind = string;

export interface OwnerRef {
  kind: string;
  name: string;
  uid: string;
}

export interface CacheEntry<D = unknown> {
  cluster: string;
  kind: CachedKind;
  uid: string;
  /** "" for cluster-scoped kinds. */
  namespace: string;
  name: string;
  /** metadata.creationTimestamp in epoch milliseconds. */
  created: number;
  resourceVersion: string;
  labels: Readonly<Record<string, string>>;
  /** The controller owner (ownerReferences with controller=true), if any. */
  owner: OwnerRef | undefined;
  /** Kind-specific projection (the kind's `project`). */
  data: D;
}

function controllerOwner(o: KubeObject): OwnerRef | undefined {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller) ?? o.metadata.ownerReferences?.[0];
  return ref ? internOwner(ref.kind, ref.name, ref.uid) : undefined;
}

/** The key an object is stored under: its uid, or namespace/name for an object without one. */
export function entryUid(o: KubeObject): string {
  return o.metadata.uid ?? `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
}

/** Kubernetes object -> CacheEntry: the shared metadata, interned, plus the kind's projection. */
export function toEntry(cluster: string, spec: CachedKindSpec, o: KubeObject): CacheEntry {
  const meta = o.metadata;
  return {
    cluster,
    kind: spec.kind,
    uid: entryUid(o),
    namespace: meta.namespace ? intern(meta.namespace) : "",
    name: meta.name ?? "",
    created: meta.creationTimestamp ? Date.parse(meta.creationTimestamp) : 0,
    resourceVersion: meta.resourceVersion ?? "",
    labels: meta.labels ? internRecord(meta.labels) : EMPTY_LABELS,
    owner: controllerOwner(o),
    data: spec.project(o),
  };
}

const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});
