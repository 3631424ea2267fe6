/**
 * Every kind the gateway caches, as data. The composition root hands these to the caches; the
 * read services look a kind's filter, orders and list up here; the schema has one type per kind.
 */
import { isClusterScoped } from "../cache/kind-spec.js";
import type { ResourcePath } from "../fleet/resources.js";
import type { KindDescriptor } from "./descriptor.js";
import { HORIZONTAL_POD_AUTOSCALER } from "./autoscaling.js";
import { CONFIG_MAP, SECRET, SERVICE_ACCOUNT } from "./config.js";
import { EVENT } from "./event.js";
import { INGRESS } from "./ingress.js";
import { LIMIT_RANGE, RESOURCE_QUOTA } from "./policy.js";
import { PERSISTENT_VOLUME, PERSISTENT_VOLUME_CLAIM, STORAGE_CLASS } from "./storage.js";
import { NAMESPACE } from "./namespace.js";
import { NODE } from "./node.js";
import { POD } from "./pod.js";
import { SERVICE } from "./service.js";
import { REPLICA_SET, WORKLOADS } from "./workloads.js";

export { allOf, given, oneOf, type KindDescriptor, type KindSettings, type Predicate } from "./descriptor.js";

// Each descriptor is typed by its own projection and filter; the table holds them all.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind = KindDescriptor<any, any>;

export const KINDS: readonly AnyKind[] = [
  NAMESPACE,
  NODE,
  POD,
  SERVICE,
  ...WORKLOADS,
  REPLICA_SET,
  EVENT,
  INGRESS,
  CONFIG_MAP,
  SECRET,
  SERVICE_ACCOUNT,
  PERSISTENT_VOLUME_CLAIM,
  PERSISTENT_VOLUME,
  STORAGE_CLASS,
  HORIZONTAL_POD_AUTOSCALER,
  RESOURCE_QUOTA,
  LIMIT_RANGE,
];

const BY_NAME: ReadonlyMap<string, AnyKind> = new Map(KINDS.map((k) => [k.kind, k]));

/** The descriptor of a cached kind; undefined for a kind the gateway does not cache. */
export function findKind(kind: string): AnyKind | undefined {
  return BY_NAME.get(kind);
}

/** The descriptor of a kind known to be cached (a programming error otherwise). */
export function kindOf(kind: string): AnyKind {
  const found = BY_NAME.get(kind);
  if (!found) throw new TypeError(`${kind} is not a cached kind`);
  return found;
}

export const isCachedKind = (kind: string): boolean => BY_NAME.has(kind);

/** Whether a kind's objects live outside namespaces: stated once, by its API path. */
export const clusterScoped = (kind: string): boolean => isClusterScoped(kindOf(kind));

export const pathOf = (kind: string): ResourcePath => kindOf(kind).path;

export {
  CONFIG_MAP,
  EVENT,
  HORIZONTAL_POD_AUTOSCALER,
  INGRESS,
  LIMIT_RANGE,
  NAMESPACE,
  NODE,
  PERSISTENT_VOLUME,
  PERSISTENT_VOLUME_CLAIM,
  POD,
  REPLICA_SET,
  RESOURCE_QUOTA,
  SECRET,
  SERVICE,
  SERVICE_ACCOUNT,
  STORAGE_CLASS,
  WORKLOADS,
};
export * from "./autoscaling.js";
export * from "./config.js";
export * from "./ingress.js";
export * from "./policy.js";
export * from "./storage.js";
export * from "./event.js";
export * from "./namespace.js";
export * from "./node.js";
export * from "./pod.js";
export * from "./service.js";
export * from "./shared.js";
export * from "./workloads.js";
export * from "./rbac.js";
