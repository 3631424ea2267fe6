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

/**
 * Each loader is made when a resolver first asks for it: most requests use none of them, and ten
 * DataLoaders (each with its cache) per request were a measurable share of a small query.
 */
class RequestLoaders implements Loaders {
  private made: Partial<Loaders> = {};

  constructor(
    private readonly reader: ObjectReader,
    private readonly relations: Relations,
    private readonly scope: Scope,
  ) {}

  get node(): Loaders["node"] {
    return (this.made.node ??= new DataLoader(
      batch((keys) => this.relations.nodes(keys, this.scope)),
      { cacheKeyFn: nodeKey },
    ));
  }

  get object(): Loaders["object"] {
    return (this.made.object ??= new DataLoader(
      batch((keys) => this.relations.objects(keys, this.scope)),
      { cacheKeyFn: objectKey },
    ));
  }

  get podsOfWorkload(): Loaders["podsOfWorkload"] {
    return (this.made.podsOfWorkload ??= new DataLoader(
      batch((keys) => this.relations.podsOfWorkloads(keys, this.scope)),
      { cacheKeyFn: objectKey },
    ));
  }

  get podsOnNode(): Loaders["podsOnNode"] {
    return (this.made.podsOnNode ??= new DataLoader(
      batch((keys) => this.relations.podsOnNodes(keys, this.scope)),
      { cacheKeyFn: nodeKey },
    ));
  }

  get podsInNamespace(): Loaders["podsInNamespace"] {
    return (this.made.podsInNamespace ??= new DataLoader(
      batch((keys) => this.relations.inNamespaces<PodData>(["Pod"], keys, this.scope)),
      { cacheKeyFn: namespaceKey },
    ));
  }

  get workloadsInNamespace(): Loaders["workloadsInNamespace"] {
    return (this.made.workloadsInNamespace ??= new DataLoader(
      batch((keys) => this.relations.inNamespaces<WorkloadData>(WORKLOAD_KINDS, keys, this.scope)),
      { cacheKeyFn: namespaceKey },
    ));
  }

  get namespacesInCluster(): Loaders["namespacesInCluster"] {
    return (this.made.namespacesInCluster ??= new DataLoader(
      batch((keys) => this.relations.inClusters<NamespaceData>(["Namespace"], keys, this.scope)),
    ));
  }

  get nodesInCluster(): Loaders["nodesInCluster"] {
    return (this.made.nodesInCluster ??= new DataLoader(
      batch((keys) => this.relations.inClusters<NodeData>(["Node"], keys, this.scope)),
    ));
  }

  get workloadsInCluster(): Loaders["workloadsInCluster"] {
    return (this.made.workloadsInCluster ??= new DataLoader(
      batch((keys) => this.relations.inClusters<WorkloadData>(WORKLOAD_KINDS, keys, this.scope)),
    ));
  }

  get clusterSummary(): Loaders["clusterSummary"] {
    return (this.made.clusterSummary ??= new DataLoader(
      batch((keys) => summarizeClusters(this.reader, keys, this.scope)),
    ));
  }
}

export function createLoaders(reader: ObjectReader, relations: Relations, scope: Scope): Loaders {
  return new RequestLoaders(reader, relations, scope);
}
