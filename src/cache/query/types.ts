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
  /** Kind-specific filters (pod phase, node, readiness, event type/reason), built by the caller. */
  predicate?: (entry: CacheEntry) => boolean;
}

export type OrderField = "NAME" | "NAMESPACE" | "CLUSTER" | "CREATED" | "CUSTOM";

export interface OrderBy {
  field: OrderField;
  direction: "ASC" | "DESC";
  /** The key for CUSTOM, e.g. a pod's restart count. Should not change while a client pages. */
  custom?: (entry: CacheEntry) => number | string;
}

/** Relay connection arguments; null is accepted as "not given" (GraphQL nullable arguments). */
export interface PageArgs {
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
