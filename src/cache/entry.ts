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
  /** metadata.resourceVersion; see compactVersion. Read it with versionText. */
  resourceVersion: string | number;
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
    resourceVersion: compactVersion(meta.resourceVersion ?? ""),
    labels: meta.labels ? internRecord(meta.labels) : EMPTY_LABELS,
    owner: controllerOwner(o),
    data: spec.project(o),
  };
}

/** The largest integer V8 stores inline (a Smi) with pointer compression. */
const MAX_INLINE = 2 ** 30 - 1;

/**
 * resourceVersions are opaque strings, but every etcd-backed API server (and the simulator) writes
 * a decimal revision: kept as a number when it reads back as the same text and fits inline, a
 * string otherwise. About 24 bytes per cached object, measured.
 */
export function compactVersion(version: string): string | number {
  const n = Number(version);
  return Number.isInteger(n) && n >= 0 && n <= MAX_INLINE && String(n) === version ? n : version;
}

export const versionText = (version: string | number): string => String(version);

const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});
