/**
 * Owner chains through the cache: Pod -> ReplicaSet -> Deployment, Pod -> Job -> CronJob. Each
 * step is a DataLoader load, so a page of pods walks its owners level by level in a fixed
 * number of batched reads.
 */
import { CACHED_KINDS, type CacheEntry, type CachedKind, type OwnerRef } from "../cache/entry.js";
import type { WorkloadData } from "../cache/projections.js";
import { WORKLOAD_KINDS, type WorkloadKindName } from "./list-request.js";
import type { Loaders } from "./loaders.js";

const CACHED: ReadonlySet<string> = new Set(CACHED_KINDS);
const WORKLOADS: ReadonlySet<string> = new Set(WORKLOAD_KINDS);
/** Real chains are two or three links long; the bound only stops a corrupt cycle. */
const MAX_DEPTH = 8;

export interface OwnerLink {
  ref: OwnerRef;
  /** The owner when it is cached and in scope. */
  entry: CacheEntry | undefined;
}

export function isWorkloadKind(kind: string): kind is WorkloadKindName {
  return WORKLOADS.has(kind);
}

async function load(loaders: Loaders, of: CacheEntry, ref: OwnerRef): Promise<CacheEntry | undefined> {
  if (!CACHED.has(ref.kind)) return undefined;
  // Owners live in their dependents' namespace (Kubernetes forbids cross-namespace owners).
  return loaders.object.load({
    cluster: of.cluster,
    kind: ref.kind as CachedKind,
    namespace: of.namespace,
    uid: ref.uid,
  });
}

/** The controller owners from the nearest up; links beyond an owner that is not readable are unknown. */
export async function ownerChain(entry: CacheEntry, loaders: Loaders): Promise<OwnerLink[]> {
  const chain: OwnerLink[] = [];
  let current: CacheEntry | undefined = entry;
  while (current?.owner && chain.length < MAX_DEPTH) {
    const ref: OwnerRef = current.owner;
    const owner = await load(loaders, current, ref);
    chain.push({ ref, entry: owner });
    current = owner;
  }
  return chain;
}

/**
 * The workload that controls a pod: its owner when that is a workload, the Deployment above a
 * ReplicaSet. Undefined for bare pods, ReplicaSets without a Deployment and owners out of scope.
 */
export async function controllingWorkload(
  pod: CacheEntry,
  loaders: Loaders,
): Promise<CacheEntry<WorkloadData> | undefined> {
  const ref = pod.owner;
  if (!ref) return undefined;
  if (isWorkloadKind(ref.kind))
    return (await load(loaders, pod, ref)) as CacheEntry<WorkloadData> | undefined;
  if (ref.kind !== "ReplicaSet") return undefined;
  const replicaSet = await load(loaders, pod, ref);
  const above = replicaSet?.owner;
  if (!replicaSet || above?.kind !== "Deployment") return undefined;
  return (await load(loaders, replicaSet, above)) as CacheEntry<WorkloadData> | undefined;
}
