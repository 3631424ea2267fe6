/**
 * Batch reads behind the relations (pod.node, pod.owner, workload.pods, node.pods, ...). Each
 * takes every key a request level asked for and answers in key order with a fixed number of
 * engine calls (one per kind involved), whatever the number of keys: the DataLoaders in
 * loaders.ts call these. The Scope goes into every call, so a related object outside it is
 * simply absent (a pod's node is null when nodes are not readable).
 */
import type { CacheEntry, CachedKind } from "../cache/entry.js";
import type { NodeData, PodData } from "../cache/projections.js";
import { compareTies } from "../cache/query/index.js";
import type { Scope } from "../cache/scope.js";
import { collect, type ObjectReader } from "./object-reader.js";

export interface NodeKey {
  cluster: string;
  nodeName: string;
}

export interface NamespaceKey {
  cluster: string;
  namespace: string;
}

/** An object known by uid; its namespace narrows the scan (owners share their dependents' namespace). */
export interface ObjectKey {
  cluster: string;
  kind: CachedKind;
  namespace: string;
  uid: string;
}

/** Kinds whose pods belong to an intermediate controller rather than to them directly. */
const INTERMEDIATE: Partial<Record<CachedKind, CachedKind>> = { Deployment: "ReplicaSet", CronJob: "Job" };

const pairKey = (a: string, b: string) => `${a}\u0000${b}`;
const uniq = (values: Iterable<string>) => [...new Set(values)];

function groupBy<T>(entries: readonly T[], keyOf: (entry: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const e of entries) {
    const key = keyOf(e);
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  return groups;
}

function sorted<D>(entries: CacheEntry<D>[]): CacheEntry<D>[] {
  return entries.sort(compareTies);
}

export class Relations {
  constructor(private readonly reader: ObjectReader) {}

  /** The nodes of the given names (pod.node). */
  nodes(keys: readonly NodeKey[], scope: Scope): (CacheEntry<NodeData> | undefined)[] {
    const wanted = new Set(keys.map((k) => pairKey(k.cluster, k.nodeName)));
    const found = collect<NodeData>(
      this.reader,
      "Node",
      {
        clusters: uniq(keys.map((k) => k.cluster)),
        predicate: (e) => wanted.has(pairKey(e.cluster, e.name)),
      },
      scope,
    );
    const byKey = new Map(found.map((e) => [pairKey(e.cluster, e.name), e]));
    return keys.map((k) => byKey.get(pairKey(k.cluster, k.nodeName)));
  }

  /** Objects by uid, any mix of kinds (owner lookups): one engine call per kind. */
  objects(keys: readonly ObjectKey[], scope: Scope): (CacheEntry | undefined)[] {
    const byKey = new Map<string, CacheEntry>();
    for (const [kind, group] of groupBy(keys, (k) => k.kind)) {
      const wanted = new Set(group.map((k) => pairKey(k.cluster, k.uid)));
      const filter = {
        clusters: uniq(group.map((k) => k.cluster)),
        predicate: (e: CacheEntry) => wanted.has(pairKey(e.cluster, e.uid)),
        ...(kind === "Node" || kind === "Namespace"
          ? {}
          : { namespaces: uniq(group.map((k) => k.namespace)) }),
      };
      for (const e of collect(this.reader, kind as CachedKind, filter, scope))
        byKey.set(pairKey(e.cluster, e.uid), e);
    }
    return keys.map((k) => byKey.get(pairKey(k.cluster, k.uid)));
  }

  /**
   * The pods each workload runs: by owner uid, through the ReplicaSets of a Deployment and the
   * Jobs of a CronJob. At most three engine calls (intermediates of two kinds, then pods).
   */
  podsOfWorkloads(keys: readonly ObjectKey[], scope: Scope): CacheEntry<PodData>[][] {
    const clusters = uniq(keys.map((k) => k.cluster));
    const namespaces = uniq(keys.map((k) => k.namespace));
    /**
     * cluster+uid of a direct pod owner -> the workloads asked about that it stands for. Several:
     * a page can hold a CronJob and its Job, and the Job's pods belong to both.
     */
    const workloadsOf = new Map<string, string[]>();
    const link = (owner: string, workload: string) => {
      const list = workloadsOf.get(owner);
      if (list) list.push(workload);
      else workloadsOf.set(owner, [workload]);
    };
    for (const k of keys)
      if (!INTERMEDIATE[k.kind]) link(pairKey(k.cluster, k.uid), pairKey(k.cluster, k.uid));

    for (const [kind, group] of groupBy(
      keys.filter((k) => INTERMEDIATE[k.kind]),
      (k) => INTERMEDIATE[k.kind]!,
    )) {
      const parents = new Set(group.map((k) => pairKey(k.cluster, k.uid)));
      const owned = (e: CacheEntry) => e.owner !== undefined && parents.has(pairKey(e.cluster, e.owner.uid));
      const filter = { clusters, namespaces, predicate: owned };
      for (const e of collect(this.reader, kind as CachedKind, filter, scope)) {
        link(pairKey(e.cluster, e.uid), pairKey(e.cluster, e.owner!.uid));
      }
    }

    const ownedPod = (e: CacheEntry) =>
      e.owner !== undefined && workloadsOf.has(pairKey(e.cluster, e.owner.uid));
    const pods = collect<PodData>(this.reader, "Pod", { clusters, namespaces, predicate: ownedPod }, scope);
    const byWorkload = new Map<string, CacheEntry<PodData>[]>();
    for (const pod of pods) {
      for (const workload of workloadsOf.get(pairKey(pod.cluster, pod.owner!.uid))!) {
        const list = byWorkload.get(workload);
        if (list) list.push(pod);
        else byWorkload.set(workload, [pod]);
      }
    }
    return keys.map((k) => sorted(byWorkload.get(pairKey(k.cluster, k.uid)) ?? []));
  }

  /** The pods scheduled on each node (node.pods). */
  podsOnNodes(keys: readonly NodeKey[], scope: Scope): CacheEntry<PodData>[][] {
    const wanted = new Set(keys.map((k) => pairKey(k.cluster, k.nodeName)));
    const onNode = (e: CacheEntry) => {
      const node = (e.data as PodData).nodeName;
      return node !== undefined && wanted.has(pairKey(e.cluster, node));
    };
    const pods = collect<PodData>(
      this.reader,
      "Pod",
      { clusters: uniq(keys.map((k) => k.cluster)), predicate: onNode },
      scope,
    );
    const byNode = groupBy(pods, (p) => pairKey(p.cluster, p.data.nodeName!));
    return keys.map((k) => sorted(byNode.get(pairKey(k.cluster, k.nodeName)) ?? []));
  }

  /** Objects of `kinds` in each namespace (namespace.pods, namespace.workloads). */
  inNamespaces<D>(
    kinds: readonly CachedKind[],
    keys: readonly NamespaceKey[],
    scope: Scope,
  ): CacheEntry<D>[][] {
    const wanted = new Set(keys.map((k) => pairKey(k.cluster, k.namespace)));
    const filter = {
      clusters: uniq(keys.map((k) => k.cluster)),
      namespaces: uniq(keys.map((k) => k.namespace)),
      // The filter is clusters x namespaces; only the asked pairs count.
      predicate: (e: CacheEntry) => wanted.has(pairKey(e.cluster, e.namespace)),
    };
    const found = kinds.flatMap((kind) => collect<D>(this.reader, kind, filter, scope));
    const byNamespace = groupBy(found, (e) => pairKey(e.cluster, e.namespace));
    return keys.map((k) => sorted(byNamespace.get(pairKey(k.cluster, k.namespace)) ?? []));
  }

  /** Every object of `kinds` in each cluster (cluster.namespaces, cluster.nodes, cluster.workloads). */
  inClusters<D>(kinds: readonly CachedKind[], clusters: readonly string[], scope: Scope): CacheEntry<D>[][] {
    const filter = { clusters: uniq(clusters) };
    const found = kinds.flatMap((kind) => collect<D>(this.reader, kind, filter, scope));
    const byCluster = groupBy(found, (e) => e.cluster);
    return clusters.map((c) => sorted(byCluster.get(c) ?? []));
  }
}
