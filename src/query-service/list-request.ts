/**
 * The arguments and answer of a list read, as the services see them: GraphQL's nulls are
 * accepted wherever a field is optional, so resolvers pass their arguments through unchanged.
 */
import type { CacheEntry } from "../cache/entry.js";
import type { PageArgs, PageCursors, PageInfo } from "../cache/query/index.js";
import type { PageOutcome } from "./outcomes.js";

export type Consistency = "CACHED" | "STRONG";
export type Direction = "ASC" | "DESC";

export interface ClusterFilterFields {
  clusters?: string[] | null;
  clusterSelector?: string | null;
}

/** The filter fields every object list has; each kind adds its own (KindDescriptor.predicate). */
export interface ObjectFilterFields extends ClusterFilterFields {
  labelSelector?: string | null;
  nameContains?: string | null;
  /** Namespaced kinds: namespace names. The Namespace kind: its own names. */
  namespaces?: string[] | null;
  /** Objects in namespaces of these workspaces (the Namespace kind: namespaces of them). */
  workspaces?: string[] | null;
}

export interface OrderRequest {
  /** NAME, NAMESPACE, CLUSTER, CREATED, or one of the kind's own orders (RESTARTS, LAST_SEEN). */
  field: string;
  direction: Direction;
  /** A key computed for this request (a metric's values), for a field that is not the kind's own. */
  key?: (entry: CacheEntry) => number;
}

export interface ListRequest<F = object> {
  filter?: (ObjectFilterFields & F) | null;
  orderBy?: OrderRequest | null;
  page: PageArgs;
  consistency?: Consistency | null;
}

/**
 * What a relation adds to a list's filter: the objects related to one parent, e.g. the pods of a
 * namespace (cluster + namespace), of a node (cluster + index), of a workload (cluster +
 * namespace + owners).
 */
export interface Within {
  cluster: string;
  namespace?: string;
  owners?: string[];
  index?: { name: string; key: string };
  labelSelector?: string;
  /** Why `within` matches nothing (e.g. a service without a selector): an empty page, no read. */
  empty?: boolean;
}

export interface ListPage<D = unknown> {
  items: CacheEntry<D>[];
  cursors: PageCursors;
  /** Every match in scope; null when it cannot be known (a STRONG read that a cluster failed). */
  totalCount: number | null;
  pageInfo: PageInfo;
  /** One per cluster the list read, by name. */
  outcomes: PageOutcome[];
  /** Where the caches stood when the list was read (src/cache/watch-cursor.ts); cached reads only. */
  watchCursor?: () => string;
}
