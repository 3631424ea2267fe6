/**
 * Builders and an independent oracle for the query engine tests: the oracle filters every entry
 * of every store one by one and sorts them all, so the engine's index choice, scope planning and
 * heap selection are checked against the obvious answer.
 */
import type { CacheEntry, CachedKind } from "../../src/cache/entry.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import type { CachedKindSpec } from "../../src/cache/kind-spec.js";
import { compareTies, QueryEngine } from "../../src/cache/query/index.js";
import type { ObjectFilter, OrderBy } from "../../src/cache/query/index.js";
import type { Scope } from "../../src/cache/scope.js";
import { KINDS, POD } from "../../src/kinds/index.js";
import { matchesLabels, parseLabelSelector } from "../../src/kube/label-selector.js";
import { collect } from "../../src/query-service/object-reader.js";

export interface PodData {
  phase: string;
  nodeName: string | undefined;
  restarts: number;
}

let serial = 0;

export function entry<D = unknown>(fields: Partial<CacheEntry<D>> & { name: string }): CacheEntry<D> {
  serial++;
  return {
    cluster: "c1",
    kind: "Pod",
    uid: `uid-${serial}`,
    namespace: "default",
    created: 1_700_000_000_000 + serial,
    resourceVersion: String(serial),
    labels: {},
    owner: undefined,
    data: undefined as D,
    ...fields,
  };
}

export function pod(fields: Partial<CacheEntry<PodData>> & { name: string }, data?: Partial<PodData>) {
  return entry<PodData>({
    kind: "Pod",
    ...fields,
    data: { phase: "Running", nodeName: undefined, restarts: 0, ...data },
  });
}

export const nodeNameOf = (e: CacheEntry): string | undefined => (e.data as PodData | undefined)?.nodeName;

/** The real Pod kind over this file's smaller PodData: its "node" index reads only `nodeName`. */
export const podKind = POD as unknown as CachedKindSpec<PodData>;

export interface TestFleet {
  index: FleetIndex;
  engine: QueryEngine;
  clusterLabels: Map<string, Record<string, string>>;
  known: Set<string>;
  add(entry: CacheEntry): void;
}

export function testFleet(clusterLabels: Record<string, Record<string, string>> = {}): TestFleet {
  // The real kinds: pods are indexed by node ("node", from data.nodeName) as in the gateway.
  const index = new FleetIndex(KINDS);
  const labels = new Map(Object.entries(clusterLabels));
  const known = new Set(Object.keys(clusterLabels));
  const engine = new QueryEngine(index, {
    clusterLabels: (c) => labels.get(c) ?? {},
    isKnown: (cluster) => known.has(cluster),
  });
  return {
    index,
    engine,
    clusterLabels: labels,
    known,
    add(e) {
      known.add(e.cluster);
      index.store(e.cluster, e.kind).upsert(e);
    },
  };
}

/** Everything the engine should return, the slow and obvious way. */
export function oracle(
  fleet: TestFleet,
  kind: CachedKind,
  filter: ObjectFilter,
  scope: Scope,
  order: OrderBy,
): CacheEntry[] {
  const selector = parseLabelSelector(filter.labelSelector ?? "");
  const clusterSelector = parseLabelSelector(filter.clusterSelector ?? "");
  const result: CacheEntry[] = [];
  for (const { cluster, store } of fleet.index.stores(kind)) {
    if (!fleet.known.has(cluster)) continue;
    if (filter.clusters && !filter.clusters.includes(cluster)) continue;
    if (!matchesLabels(clusterSelector, fleet.clusterLabels.get(cluster) ?? {})) continue;
    for (const e of store.all()) {
      if (!scope.allows(cluster, kind, e.namespace, e.name)) continue;
      const ns = kind === "Namespace" ? e.name : e.namespace;
      if (filter.namespaces && !filter.namespaces.includes(ns)) continue;
      if (!matchesLabels(selector, { ...e.labels })) continue;
      if (filter.nameContains && !e.name.toLowerCase().includes(filter.nameContains.toLowerCase())) continue;
      if (filter.owners && !(e.owner && filter.owners.includes(e.owner.uid))) continue;
      if (filter.index && store.indexKey(filter.index.name, e) !== filter.index.key) continue;
      // Facets by their projected field of the same name (a pod's phase).
      const data = e.data as Record<string, unknown>;
      if (filter.facets?.some((f) => !f.keys.includes(String(data[f.name])))) continue;
      if (filter.predicate && !filter.predicate(e)) continue;
      result.push(e);
    }
  }
  return result.sort(naiveComparator(order));
}

/** An entry's key in `order`, read the obvious way. */
export function naiveKey(order: OrderBy): (e: CacheEntry) => number | string {
  return (e) =>
    order.field === "NAME"
      ? e.name
      : order.field === "NAMESPACE"
        ? e.namespace
        : order.field === "CLUSTER"
          ? e.cluster
          : order.field === "CREATED"
            ? e.created
            : order.key!(e);
}

export function naiveComparator(order: OrderBy): (a: CacheEntry, b: CacheEntry) => number {
  const key = naiveKey(order);
  const cmp = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);
  return (a, b) => {
    const primary = cmp(key(a), key(b)) * (order.direction === "DESC" ? -1 : 1);
    return (
      primary ||
      cmp(a.cluster, b.cluster) ||
      cmp(a.namespace, b.namespace) ||
      cmp(a.name, b.name) ||
      cmp(a.uid, b.uid)
    );
  };
}

/** mulberry32: a tiny seeded PRNG, so a failing property run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export const uids = (entries: readonly CacheEntry[]): string[] => entries.map((e) => e.uid);

/**
 * The entries of one cluster and kind related by owner, a named index and/or a namespace, in tie
 * order: the reads the relations make (a filter of the cluster plus owners, index, namespaces).
 */
export function related(
  engine: QueryEngine,
  cluster: string,
  kind: string,
  by: { ownerUid?: string; index?: { name: string; key: string }; namespace?: string },
  scope: Scope,
): CacheEntry[] {
  const filter: ObjectFilter = { clusters: [cluster] };
  if (by.ownerUid !== undefined) filter.owners = [by.ownerUid];
  if (by.index !== undefined) filter.index = by.index;
  if (by.namespace !== undefined) filter.namespaces = [by.namespace];
  return collect(engine, kind, filter, scope).sort(compareTies);
}
