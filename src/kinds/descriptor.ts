/**
 * A cached kind as data, in the manner of client-go's informers and Backstage's DEFAULT_OBJECTS:
 * where it lives, how an object becomes a compact cache entry, its named indexes, the filter
 * fields and orders of its lists, and the GraphQL type of its objects. Adding a cached kind is
 * one descriptor, its projection and its schema type (docs/architecture.md lists the steps).
 */
import type { CacheEntry } from "../cache/entry.js";
import type { CachedKindSpec } from "../cache/kind-spec.js";
import type { FacetFilter } from "../cache/query/types.js";
import type { ResourcePath } from "../fleet/resources.js";

export type Predicate = (entry: CacheEntry) => boolean;

/** Settings of the gateway that some kinds' filters need. */
export interface KindSettings {
  /** The namespace label naming its workspace (KubeSphere's `kubesphere.io/workspace`). */
  workspaceLabel: string;
}

export interface KindDescriptor<D = unknown, F = never> extends CachedKindSpec<D> {
  /** The GraphQL object type of its objects (their __typename). */
  readonly graphqlType: string;
  /**
   * The list its cursors belong to. Kinds listed together share one ("Workload" for the five
   * workload kinds), so a cursor of that list pages any of them and no other list.
   */
  readonly list: string;
  /** The order of its lists when none is asked for. Default: by cluster, namespace and name. */
  readonly defaultOrder?: { field: string; direction: "ASC" | "DESC" };
  /** Its list filter's own fields -> one engine predicate; undefined when none is asked for. */
  readonly predicate?: (filter: F, settings: KindSettings) => Predicate | undefined;
  /**
   * Its list filter's fields that select by one of its `facets` (pods' phases): the engine counts
   * and pages those from the stores' facet counts instead of testing a predicate per entry.
   */
  readonly facetFilter?: (filter: F) => FacetFilter[];
}

/** A kind of the core group ("/api/v1"). */
export function corePath(plural: string, namespaced = true): ResourcePath {
  return { prefix: "/api/v1", plural, namespaced };
}

/** A kind of a named group ("/apis/<group>/<version>"). */
export function groupPath(group: string, version: string, plural: string, namespaced = true): ResourcePath {
  return { prefix: `/apis/${group}/${version}`, plural, namespaced };
}

/** All given predicates must hold; undefined when none is given. */
export function allOf(predicates: (Predicate | false)[]): Predicate | undefined {
  const active = predicates.filter((p): p is Predicate => p !== false);
  if (active.length === 0) return undefined;
  if (active.length === 1) return active[0];
  return (entry) => active.every((p) => p(entry));
}

export const given = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/** A set-membership predicate over one projected field, or false when the filter did not ask. */
export function oneOf<T>(
  values: readonly T[] | null | undefined,
  read: (entry: CacheEntry) => T,
): Predicate | false {
  if (!given(values)) return false;
  const wanted = new Set(values);
  return (entry) => wanted.has(read(entry));
}
