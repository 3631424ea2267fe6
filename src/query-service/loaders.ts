/**
 * Per-request DataLoaders over the batch reads. Per request because their caches hold what one
 * caller may see (the Scope is baked in) and must not outlive a request's view of the caches.
 */
import DataLoader from "dataloader";
import type { CacheEntry } from "../cache/entry.js";
import type { NamespaceData, NodeData, PodData, WorkloadData } from "../cache/projections.js";
import type { Scope } from "../cache/scope.js";
import { summarizeClusters, type ClusterSummaryData } from "./cluster-summary.js";
import { WORKLOAD_KINDS } from "./list-request.js";
import type { ObjectReader } from "./object-reader.js";
import type { NamespaceKey, NodeKey, ObjectKey, Relations } from "./relations.js";

export interface Loaders {
  node: DataLoader<NodeKey, CacheEntry<NodeData> | undefined, string>;
  object: DataLoader<ObjectKey, CacheEntry | undefined, string>;
  podsOfWorkload: DataLoader<ObjectKey, CacheEntry<PodData>[], string>;
  podsOnNode: DataLoader<NodeKey, CacheEntry<PodData>[], string>;
  podsInNamespace: DataLoader<NamespaceKey, CacheEntry<PodData>[], string>;
  workloadsInNamespace: DataLoader<NamespaceKey, CacheEntry<WorkloadData>[], string>;
  namespacesInCluster: DataLoader<string, CacheEntry<NamespaceData>[]>;
  nodesInCluster: DataLoader<string, CacheEntry<NodeData>[]>;
  workloadsInCluster: DataLoader<string, CacheEntry<WorkloadData>[]>;
  clusterSummary: DataLoader<string, ClusterSummaryData>;
}

const nodeKey = (k: NodeKey) => `${k.cluster}\u0000${k.nodeName}`;
const objectKey = (k: ObjectKey) => `${k.cluster}\u0000${k.kind}\u0000${k.uid}`;
const namespaceKey = (k: NamespaceKey) => `${k.cluster}\u0000${k.namespace}`;

/** DataLoader wants promises; the batch reads are synchronous. */
function batch<K, V>(read: (keys: readonly K[]) => V[]): (keys: readonly K[]) => Promise<V[]> {
  return (keys) => Promise.resolve(read(keys));
}

export function createLoaders(reader: ObjectReader, relations: Relations, scope: Scope): Loaders {
  return {
    node: new DataLoader(
      batch((keys) => relations.nodes(keys, scope)),
      { cacheKeyFn: nodeKey },
    ),
    object: new DataLoader(
      batch((keys) => relations.objects(keys, scope)),
      { cacheKeyFn: objectKey },
    ),
    podsOfWorkload: new DataLoader(
      batch((keys) => relations.podsOfWorkloads(keys, scope)),
      { cacheKeyFn: objectKey },
    ),
    podsOnNode: new DataLoader(
      batch((keys) => relations.podsOnNodes(keys, scope)),
      { cacheKeyFn: nodeKey },
    ),
    podsInNamespace: new DataLoader(
      batch((keys) => relations.inNamespaces<PodData>(["Pod"], keys, scope)),
      { cacheKeyFn: namespaceKey },
    ),
    workloadsInNamespace: new DataLoader(
      batch((keys) => relations.inNamespaces<WorkloadData>(WORKLOAD_KINDS, keys, scope)),
      { cacheKeyFn: namespaceKey },
    ),
    namespacesInCluster: new DataLoader(
      batch((keys) => relations.inClusters<NamespaceData>(["Namespace"], keys, scope)),
    ),
    nodesInCluster: new DataLoader(batch((keys) => relations.inClusters<NodeData>(["Node"], keys, scope))),
    workloadsInCluster: new DataLoader(
      batch((keys) => relations.inClusters<WorkloadData>(WORKLOAD_KINDS, keys, scope)),
    ),
    clusterSummary: new DataLoader(batch((keys) => summarizeClusters(reader, keys, scope))),
  };
}
