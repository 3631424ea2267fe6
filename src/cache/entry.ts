/**
 * What the watch caches hold: one compact entry per object, the fields every kind shares plus a
 * kind-specific projection of what the schema serves. Whole objects are not kept (no
 * managedFields, no last-applied annotations): heap per cached object is a budgeted figure.
 */
export const CACHED_KINDS = [
  "Namespace",
  "Node",
  "Pod",
  "Service",
  "Deployment",
  "ReplicaSet",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
  "Event",
] as const;

export type CachedKind = (typeof CACHED_KINDS)[number];

export const CLUSTER_SCOPED_KINDS: ReadonlySet<CachedKind> = new Set(["Namespace", "Node"]);

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
  /** Kind-specific projection (see src/cache/projections). */
  data: D;
}
