/**
 * The arguments and answer of a list read, as the services see them: GraphQL's nulls are
 * accepted wherever a field is optional, so resolvers pass their arguments through unchanged.
 */
import type { CacheEntry } from "../cache/entry.js";
import type { PageArgs, PageCursors, PageInfo } from "../cache/query/index.js";
import type { ClusterFreshness } from "./fleet-view.js";

export type Consistency = "CACHED" | "STRONG";
export type Direction = "ASC" | "DESC";
export type ListOrderField = "NAME" | "NAMESPACE" | "CLUSTER" | "CREATED";

export interface ClusterFilterFields {
  clusters?: string[] | null;
  clusterSelector?: string | null;
}

export interface ObjectFilterFields extends ClusterFilterFields {
  labelSelector?: string | null;
  nameContains?: string | null;
}

export interface NamespacedFilterFields extends ObjectFilterFields {
  namespaces?: string[] | null;
}

export interface NamespaceListFilter extends NamespacedFilterFields {
  workspaces?: string[] | null;
}

export interface NodeListFilter extends ObjectFilterFields {
  ready?: boolean | null;
}

export type WorkloadKindName = "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob";

export interface WorkloadListFilter extends NamespacedFilterFields {
  kinds?: WorkloadKindName[] | null;
  ready?: boolean | null;
}

export interface PodListFilter extends NamespacedFilterFields {
  phases?: string[] | null;
  nodeName?: string | null;
  ready?: boolean | null;
}

export interface ServiceListFilter extends NamespacedFilterFields {
  types?: string[] | null;
}

export interface EventListFilter extends NamespacedFilterFields {
  types?: string[] | null;
  reasons?: string[] | null;
  involvedKind?: string | null;
  involvedName?: string | null;
}

export interface ListRequest<F, O extends string = ListOrderField> {
  filter?: F | null;
  orderBy?: { field: O; direction: Direction } | null;
  page: PageArgs;
  consistency?: Consistency | null;
}

export interface ListPage<D = unknown> {
  items: CacheEntry<D>[];
  cursors: PageCursors;
  totalCount: number;
  pageInfo: PageInfo;
  /** Freshness of each cluster the list fanned out to, by name. */
  clusters: ClusterFreshness[];
}

export const WORKLOAD_KINDS: readonly WorkloadKindName[] = [
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
];
