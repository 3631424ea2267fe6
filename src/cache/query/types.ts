/** The query engine's argument and result shapes (resolvers map GraphQL inputs onto these). */
import type { CacheEntry } from "../entry.js";
import type { PageCursors } from "./page-cursors.js";

export interface ObjectFilter {
  /** Cluster names. Unknown and out-of-scope names select nothing (and say nothing). */
  clusters?: string[];
  /** A label selector over the CLUSTERS' labels (region, provider, environment, ...). */
  clusterSelector?: string;
  /** For Namespace objects this filters their names; Nodes have no namespace (an error). */
  namespaces?: string[];
  /** Kubernetes label selector syntax; invalid -> QueryInputError. */
  labelSelector?: string;
  /** Case-insensitive substring of metadata.name. */
  nameContains?: string;
  /** Only objects whose controller owner has one of these uids (served from the owner index). */
  owners?: string[];
  /** Only objects with this key in the kind's named index (e.g. pods on one node). */
  index?: { name: string; key: string };
  /** Only objects whose facet `name` (CachedKindSpec.facets) has one of `keys`: a pod's phases. */
  facets?: readonly FacetFilter[];
  /** Kind-specific filters (node, readiness, event type/reason), built by the caller. */
  predicate?: (entry: CacheEntry) => boolean;
}

export interface FacetFilter {
  readonly name: string;
  readonly keys: readonly string[];
}

/** The built-in orders every kind has; a kind adds its own (RESTARTS, LAST_SEEN) with a `key`. */
export type BuiltInOrderField = "NAME" | "NAMESPACE" | "CLUSTER" | "CREATED";
/** A BuiltInOrderField, or the name of a kind's own order. */
export type OrderField = string;

export interface OrderBy {
  /** A built-in field, or the name of a kind's own order (it names the order in cursors and messages). */
  field: OrderField;
  direction: "ASC" | "DESC";
  /** The key of a field that is not built in, e.g. a pod's restart count. */
  key?: (entry: CacheEntry) => number | string;
}

/** Relay connection arguments; null is accepted as "not given" (GraphQL nullable arguments). */
export interface PageArgs {
  /**
   * The list the cursors belong to (e.g. "Pod", "Workload"): a cursor names its list and is
   * refused by any other. Default: the kind queried.
   */
  list?: string;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface QueryResult<D = unknown> {
  items: CacheEntry<D>[];
  /** One per item. */
  cursors: PageCursors;
  /** Every match in scope, not just the page. */
  totalCount: number;
  pageInfo: PageInfo;
}
