/**
 * The edges of the graph between cached objects, read under the caller's Scope: one object's
 * namespace, node, owners and controlling workload (lookups by name or uid, O(1) each in the
 * indexed stores), and the `Within` that narrows a list to one object's related objects (a
 * namespace's pods, a workload's pods, a service's pods, an object's events). A related object
 * outside the Scope is simply absent.
 */
import type { CacheEntry, OwnerRef } from "../cache/entry.js";
import type { Scope } from "../cache/scope.js";
import { findKind, WORKLOADS, type PodData, type WorkloadData } from "../kinds/index.js";
import { quantityOrZero, roundToNano } from "../kube/quantity.js";
import type { Within } from "./list-request.js";
import type { ObjectReader } from "./object-reader.js";

const WORKLOAD_KINDS: ReadonlySet<string> = new Set(WORKLOADS.map((k) => k.kind));
/** Kinds whose pods belong to an intermediate controller rather than to them directly. */
const INTERMEDIATE: Readonly<Record<string, string>> = { Deployment: "ReplicaSet", CronJob: "Job" };
/** Real chains are two or three links long; the bound only stops a corrupt cycle. */
export const MAX_OWNER_CHAIN = 8;

export interface OwnerLink {
  ref: OwnerRef;
  /** The owner when it is cached and in scope. */
  entry: CacheEntry | undefined;
}

/** What the pods on a node request and may use (kubectl describe node's "Allocated resources"). */
export interface NodeAllocation {
  pods: number;
  cpuRequestsCores: number;
  cpuLimitsCores: number;
  memoryRequestsBytes: number;
  memoryLimitsBytes: number;
}

export const isWorkloadKind = (kind: string): boolean => WORKLOAD_KINDS.has(kind);

export class ObjectGraph {
  constructor(private readonly reader: ObjectReader) {}

  /** The namespace object of a namespaced entry. */
  namespaceOf(entry: CacheEntry, scope: Scope): CacheEntry | undefined {
    if (entry.namespace === "") return undefined;
    return this.reader.getByName(entry.cluster, "Namespace", "", entry.namespace, scope);
  }

  byName(
    cluster: string,
    kind: string,
    namespace: string,
    name: string,
    scope: Scope,
  ): CacheEntry | undefined {
    return this.reader.getByName(cluster, kind, namespace, name, scope);
  }

  byUid(cluster: string, kind: string, uid: string, scope: Scope): CacheEntry | undefined {
    return this.reader.get(cluster, kind, uid, scope);
  }

  /** The owner an entry's controller reference names, when its kind is cached and it is in scope. */
  owner(entry: CacheEntry, ref: OwnerRef, scope: Scope): CacheEntry | undefined {
    if (!findKind(ref.kind)) return undefined;
    return this.reader.get(entry.cluster, ref.kind, ref.uid, scope);
  }

  /** The controller owners from the nearest up; links beyond an owner that is not readable are unknown. */
  ownerChain(entry: CacheEntry, scope: Scope): OwnerLink[] {
    const chain: OwnerLink[] = [];
    let current: CacheEntry | undefined = entry;
    while (current?.owner && chain.length < MAX_OWNER_CHAIN) {
      const ref: OwnerRef = current.owner;
      const owner = this.owner(current, ref, scope);
      chain.push({ ref, entry: owner });
      current = owner;
    }
    return chain;
  }

  /**
   * The workload that controls a pod: its owner when that is a workload, the Deployment above a
   * ReplicaSet, the CronJob above a Job. Undefined for bare pods and owners out of scope.
   */
  controllingWorkload(pod: CacheEntry, scope: Scope): CacheEntry<WorkloadData> | undefined {
    let found: CacheEntry | undefined;
    for (const link of this.ownerChain(pod, scope)) {
      if (!link.entry) break;
      if (isWorkloadKind(link.entry.kind)) found = link.entry;
      else if (link.entry.kind !== "ReplicaSet") break;
    }
    return found as CacheEntry<WorkloadData> | undefined;
  }

  /** A workload's pods: owned by it, or by its ReplicaSets (Deployment) or Jobs (CronJob). */
  podsOf(workload: CacheEntry, scope: Scope): Within {
    const owners = [workload.uid];
    const intermediate = INTERMEDIATE[workload.kind];
    if (intermediate) {
      const filter = {
        clusters: [workload.cluster],
        namespaces: [workload.namespace],
        owners: [workload.uid],
      };
      this.reader.forEach(intermediate, filter, scope, (e) => owners.push(e.uid));
    }
    return { cluster: workload.cluster, namespace: workload.namespace, owners };
  }

  /** Objects owned by `owner` directly (a Deployment's ReplicaSets). */
  ownedBy(owner: CacheEntry): Within {
    return { cluster: owner.cluster, namespace: owner.namespace, owners: [owner.uid] };
  }

  /** The objects of a namespace. */
  inNamespace(namespace: CacheEntry): Within {
    return { cluster: namespace.cluster, namespace: namespace.name };
  }

  /** The objects in the same namespace as `entry` (a service's ingresses, a claim's pods). */
  inNamespaceOf(entry: CacheEntry): Within {
    return { cluster: entry.cluster, namespace: entry.namespace };
  }

  /** The HorizontalPodAutoscaler whose scaleTargetRef is `workload` (the autoscalers' "target" index). */
  autoscalerOf(workload: CacheEntry, scope: Scope): CacheEntry | undefined {
    let found: CacheEntry | undefined;
    const filter = {
      clusters: [workload.cluster],
      namespaces: [workload.namespace],
      index: { name: "target", key: `${workload.kind}/${workload.name}` },
    };
    this.reader.forEach("HorizontalPodAutoscaler", filter, scope, (e) => {
      // Two autoscalers of one workload fight each other; the oldest is the one that stays.
      if (!found || e.created < found.created) found = e;
    });
    return found;
  }

  /** A node's pods (the pods' "node" index). */
  onNode(node: CacheEntry): Within {
    return { cluster: node.cluster, index: { name: "node", key: node.name } };
  }

  /** Objects a label selector picks in one namespace (a service's pods); empty without a selector. */
  selectedBy(of: CacheEntry, selector: string | undefined): Within {
    if (selector === undefined || selector === "")
      return { cluster: of.cluster, namespace: of.namespace, empty: true };
    return { cluster: of.cluster, namespace: of.namespace, labelSelector: selector };
  }

  /** Sums over the node's pods that hold resources (not Succeeded or Failed), within the scope. */
  allocatedOn(node: CacheEntry, scope: Scope): NodeAllocation {
    const sum: NodeAllocation = {
      pods: 0,
      cpuRequestsCores: 0,
      cpuLimitsCores: 0,
      memoryRequestsBytes: 0,
      memoryLimitsBytes: 0,
    };
    const filter = { clusters: [node.cluster], index: { name: "node", key: node.name } };
    this.reader.forEach<PodData>("Pod", filter, scope, (pod) => {
      if (pod.data.phase === "Succeeded" || pod.data.phase === "Failed") return;
      sum.pods++;
      for (const c of pod.data.containers) {
        sum.cpuRequestsCores += quantityOrZero(c.spec.resources.requests.cpu);
        sum.cpuLimitsCores += quantityOrZero(c.spec.resources.limits.cpu);
        sum.memoryRequestsBytes += quantityOrZero(c.spec.resources.requests.memory);
        sum.memoryLimitsBytes += quantityOrZero(c.spec.resources.limits.memory);
      }
    });
    sum.cpuRequestsCores = roundToNano(sum.cpuRequestsCores);
    sum.cpuLimitsCores = roundToNano(sum.cpuLimitsCores);
    return sum;
  }

  /** How many ready pods a selector picks in one namespace: a service's endpoints. */
  readyPodsSelected(of: CacheEntry, selector: string | undefined, scope: Scope): number {
    if (selector === undefined || selector === "") return 0;
    let ready = 0;
    const filter = { clusters: [of.cluster], namespaces: [of.namespace], labelSelector: selector };
    this.reader.forEach<PodData>("Pod", filter, scope, (pod) => {
      if (pod.data.ready) ready++;
    });
    return ready;
  }

  /**
   * Where the events about `entry` are: its namespace (Kubernetes keeps a namespaced object's
   * events there), or anywhere in its cluster for a cluster-scoped object. The caller filters by
   * `involvedUid`: an index of it cost about 30 bytes a pod, for a read that scans one namespace.
   */
  eventsOf(entry: CacheEntry): Within {
    return entry.namespace === ""
      ? { cluster: entry.cluster }
      : { cluster: entry.cluster, namespace: entry.namespace };
  }
}
