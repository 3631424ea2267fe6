/**
 * Who is searched: for each cluster the caller may read in, its log store and the namespaces
 * readable there. One store query covers every cluster of a shared store, and the Scope becomes
 * ONE terms clause per distinct set of namespaces — never a clause per namespace, which breaks
 * Elasticsearch's clause limit once a user may read more than about a thousand namespaces.
 */
import type { LogSource } from "../backends/logstore/backends.js";
import { allOf, anyOf, eitherOf, exists, type Clause } from "./dsl.js";
import { keyword } from "./fields.js";

export type Namespaces = "*" | ReadonlySet<string>;

export interface LogTarget {
  cluster: string;
  source: LogSource;
  /** The namespaces searched: the caller's readable ones, narrowed by the filter. */
  namespaces: Namespaces;
  /**
   * With namespaces "*": only entries that have a namespace (audit entries of cluster-scoped
   * requests stay hidden from a caller who may read every namespace but not the cluster).
   */
  namespacedOnly?: boolean;
}

/** Clusters answered by one query to one store. */
export interface StoreGroup {
  source: LogSource;
  targets: LogTarget[];
  /** The exact-match field naming the cluster; undefined when the store is one cluster's own. */
  clusterKeyword?: string;
}

/** A shared store answers all its clusters at once; a cluster's own store answers for it alone. */
export function groupByStore(targets: readonly LogTarget[]): StoreGroup[] {
  const groups = new Map<unknown, StoreGroup>();
  for (const target of targets) {
    const { source } = target;
    const key =
      source.clusterField === undefined ? target.cluster : `${source.clusterField}\u0000${groupIdOf(source)}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        source,
        targets: [],
        ...(source.clusterField !== undefined ? { clusterKeyword: keyword(source.clusterField) } : {}),
      };
      groups.set(key, group);
    }
    group.targets.push(target);
  }
  return [...groups.values()];
}

// Clients are shared per distinct settings: the same client and index layout is the same store.
const clientIds = new WeakMap<object, number>();
let nextClientId = 0;
function groupIdOf(source: LogSource): string {
  let id = clientIds.get(source.client);
  if (id === undefined) clientIds.set(source.client, (id = nextClientId++));
  return `${id}\u0000${JSON.stringify(source.indices)}`;
}

/**
 * The group's part of the Scope: which clusters, and in each which namespaces. Clusters with the
 * same namespaces share a clause; a group's every namespace readable needs no namespace clause.
 */
export function scopeClause(group: StoreGroup, namespaceField: string): Clause | undefined {
  const bySet = new Map<string, { clusters: string[]; namespaces: string[] | "*" | "*namespaced" }>();
  for (const t of group.targets) {
    const namespaces =
      t.namespaces !== "*" ? [...t.namespaces].sort() : t.namespacedOnly ? "*namespaced" : "*";
    const key = typeof namespaces === "string" ? namespaces : JSON.stringify(namespaces);
    const entry = bySet.get(key);
    if (entry) entry.clusters.push(t.cluster);
    else bySet.set(key, { clusters: [t.cluster], namespaces });
  }
  const parts: Clause[] = [];
  for (const { clusters, namespaces } of bySet.values()) {
    const clauses: Clause[] = [];
    if (group.clusterKeyword !== undefined) clauses.push(anyOf(group.clusterKeyword, clusters));
    if (namespaces === "*namespaced") clauses.push(exists(namespaceField));
    else if (namespaces !== "*") clauses.push(anyOf(namespaceField, namespaces));
    if (clauses.length > 0) parts.push(allOf(clauses));
  }
  return parts.length === 0 ? undefined : eitherOf(parts);
}
