/**
 * What the caches need to know of a kind to list, watch, project and index it. The kinds
 * themselves are data (src/kinds: one descriptor per kind) handed in by the composition root;
 * nothing in the cache names a kind.
 */
import type { ResourcePath } from "../fleet/resources.js";
import type { KubeObject } from "../kube/object.js";
import type { CacheEntry } from "./entry.js";

/** A secondary index key of an entry, client-go's IndexFunc: undefined leaves it out of the index. */
export type IndexFunc<D = unknown> = (entry: CacheEntry<D>) => string | undefined;

/** A facet's key of an entry: one of a few values (a pod's phase); undefined for none. */
export type FacetFunc<D = unknown> = (entry: CacheEntry<D>) => string | undefined;

export interface CachedKindSpec<D = unknown> {
  readonly kind: string;
  /** Where it lives in the REST API; `namespaced: false` makes it cluster-scoped. */
  readonly path: ResourcePath;
  /** The kind-specific part of the entry: what the schema serves, interned, nothing more. */
  project(o: KubeObject): D;
  /** Named secondary indexes beyond namespace, labels and owner (e.g. pods by node). */
  readonly indexes?: Readonly<Record<string, IndexFunc<D>>>;
  /**
   * Keys with few values (a pod's phase) that lists filter by: the store counts them per label
   * set and namespace, so a filtered count or page needs no scan. Not bucketed per entry.
   */
  readonly facets?: Readonly<Record<string, FacetFunc<D>>>;
  /**
   * Orders of its own beyond NAME, NAMESPACE, CLUSTER and CREATED, by order-enum value. Each key
   * is a function of the entry alone, so the store may keep its entries sorted by it.
   */
  readonly orderKeys?: Readonly<Record<string, (entry: CacheEntry<D>) => number | string>>;
}

export const isClusterScoped = (spec: Pick<CachedKindSpec, "path">): boolean => !spec.path.namespaced;

/**
 * Objects outside every namespace that are not namespaces themselves (nodes, volumes, storage
 * classes): a namespace filter does not apply to them, and reading them takes a grant of their
 * kind. Namespaces are cluster-scoped too, but are read, and filtered, by their own name.
 */
export const outsideNamespaces = (kind: { kind: string; clusterScoped: boolean }): boolean =>
  kind.clusterScoped && kind.kind !== "Namespace";
