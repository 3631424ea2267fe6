/**
 * Cache entries -> the plain objects the schema's classes describe. Every view keeps its entry
 * (not a GraphQL field) so relation resolvers start from the cached object, and carries a
 * __typename for the Node and Workload interfaces.
 */
import type { CacheEntry } from "../src/cache/entry.js";
import type {
  ConditionView,
  EventData,
  NamespaceData,
  NodeData,
  PodData,
  Quantity,
  ServiceData,
  WorkloadData,
} from "../src/cache/projections.js";
import {
  clusterId,
  objectId,
  quantityOrZero,
  roundToNano,
  type ClusterRecord,
} from "../src/query-service/index.js";
import { workloadReady } from "../src/query-service/predicates.js";
import type { Cluster } from "../schema/cluster.js";
import type { ClusterNode, NodeResources } from "../schema/cluster-node.js";
import type { ClusterStatus, ContainerState, PodPhase, WorkloadKind } from "../schema/enums.js";
import type { KubeEvent } from "../schema/event.js";
import type { Namespace } from "../schema/namespace.js";
import type { Condition } from "../schema/owner-ref.js";
import type { Pod } from "../schema/pod.js";
import type { Service } from "../schema/service.js";
import type { CronJob, Job, ReplicaSet, Workload } from "../schema/workload.js";

export interface Viewed<D = unknown> {
  __typename: string;
  entry: CacheEntry<D>;
}

export type ClusterView = Cluster & { __typename: "Cluster"; record: ClusterRecord };
export type NamespaceView = Namespace & Viewed<NamespaceData>;
export type ClusterNodeView = ClusterNode & Viewed<NodeData>;
export type WorkloadView = Workload & Partial<Job> & Partial<CronJob> & Viewed<WorkloadData>;
export type ReplicaSetView = ReplicaSet & Viewed<WorkloadData>;
export type PodView = Pod & Viewed<PodData>;
export type ServiceView = Service & Viewed<ServiceData>;
export type EventView = KubeEvent & Viewed<EventData>;

/** The projections use undefined (and 0 for a missing creationTimestamp) where GraphQL has null. */
const date = (ms: number | undefined): Date | null =>
  ms === undefined || ms === 0 || Number.isNaN(ms) ? null : new Date(ms);

function meta(typename: string, entry: CacheEntry) {
  return {
    __typename: typename,
    id: objectId(entry.kind, entry.cluster, entry.uid),
    cluster: entry.cluster,
    namespace: entry.namespace,
    name: entry.name,
    uid: entry.uid,
    labels: entry.labels,
    createdAt: date(entry.created),
    resourceVersion: entry.resourceVersion,
  };
}

export function clusterView(record: ClusterRecord): ClusterView {
  const { info, health, freshness } = record;
  return {
    __typename: "Cluster",
    record,
    id: clusterId(info.name),
    name: info.name,
    displayName: info.displayName,
    labels: info.labels,
    health: { ...health, status: health.status as ClusterStatus },
    freshness,
  };
}

export function namespaceView(entry: CacheEntry<NamespaceData>, workspaceLabel: string): NamespaceView {
  return {
    ...meta("Namespace", entry),
    entry,
    phase: entry.data.phase,
    workspace: entry.labels[workspaceLabel] ?? null,
  };
}

function resources(q: Quantity): NodeResources {
  return {
    cpu: q.cpu ?? null,
    memory: q.memory ?? null,
    pods: q.pods ?? null,
    cpuCores: roundToNano(quantityOrZero(q.cpu)),
    memoryBytes: quantityOrZero(q.memory),
  };
}

export function clusterNodeView(entry: CacheEntry<NodeData>): ClusterNodeView {
  const d = entry.data;
  return {
    ...meta("ClusterNode", entry),
    entry,
    ready: d.ready,
    unschedulable: d.unschedulable,
    roles: d.roles,
    internalIP: d.internalIP ?? null,
    kubeletVersion: d.kubeletVersion ?? null,
    osImage: d.osImage ?? null,
    architecture: d.architecture ?? null,
    capacity: resources(d.capacity),
    allocatable: resources(d.allocatable),
  };
}

function conditions(list: readonly ConditionView[]): Condition[] {
  return list.map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason ?? null,
    message: c.message ?? null,
    lastTransitionTime: date(c.lastTransitionTime),
  }));
}

export function workloadView(entry: CacheEntry<WorkloadData>): WorkloadView {
  const d = entry.data;
  return {
    ...meta(entry.kind, entry),
    entry,
    kind: entry.kind as WorkloadKind,
    desiredReplicas: d.desired,
    readyReplicas: d.ready,
    availableReplicas: d.available,
    updatedReplicas: d.updated,
    ready: workloadReady(entry),
    selector: d.selector,
    generation: d.generation,
    observedGeneration: d.observedGeneration,
    conditions: conditions(d.conditions),
    containers: d.containers,
    succeeded: d.succeeded ?? 0,
    failed: d.failed ?? 0,
    active: d.active ?? 0,
    completionTime: date(d.completionTime),
    schedule: d.schedule ?? "",
    suspend: d.suspend ?? false,
    lastScheduleTime: date(d.lastScheduleTime),
  };
}

export function replicaSetView(entry: CacheEntry<WorkloadData>): ReplicaSetView {
  const d = entry.data;
  return {
    ...meta("ReplicaSet", entry),
    entry,
    desiredReplicas: d.desired,
    readyReplicas: d.ready,
    availableReplicas: d.available,
  };
}

export function podView(entry: CacheEntry<PodData>): PodView {
  const d = entry.data;
  return {
    ...meta("Pod", entry),
    entry,
    phase: d.phase as PodPhase,
    ready: d.ready,
    restarts: d.restarts,
    nodeName: d.nodeName ?? null,
    podIP: d.podIP ?? null,
    hostIP: d.hostIP ?? null,
    startTime: date(d.startTime),
    reason: d.reason ?? null,
    containers: d.containers.map((c) => ({
      name: c.name,
      image: c.image,
      ready: c.ready,
      restarts: c.restarts,
      state: c.state as ContainerState,
      stateReason: c.stateReason ?? null,
      startedAt: date(c.startedAt),
    })),
  };
}

export function serviceView(entry: CacheEntry<ServiceData>): ServiceView {
  const d = entry.data;
  return {
    ...meta("Service", entry),
    entry,
    type: d.type,
    clusterIP: d.clusterIP ?? null,
    ports: d.ports.map((p) => ({
      name: p.name ?? null,
      port: p.port,
      targetPort: p.targetPort ?? null,
      protocol: p.protocol,
      nodePort: p.nodePort ?? null,
    })),
    selector: d.selector ?? null,
  };
}

export function eventView(entry: CacheEntry<EventData>): EventView {
  const d = entry.data;
  return {
    ...meta("Event", entry),
    entry,
    type: d.type,
    reason: d.reason,
    message: d.message,
    count: d.count,
    firstTimestamp: date(d.firstTimestamp),
    lastTimestamp: date(d.lastTimestamp),
    involvedObject: {
      kind: d.involvedKind,
      name: d.involvedName,
      namespace: d.involvedNamespace,
      uid: d.involvedUid ?? null,
    },
    source: d.source ?? null,
  };
}

/** Any cached entry as its GraphQL object, for node(id:). */
export function anyView(entry: CacheEntry, workspaceLabel: string): Viewed {
  switch (entry.kind) {
    case "Namespace":
      return namespaceView(entry as CacheEntry<NamespaceData>, workspaceLabel);
    case "Node":
      return clusterNodeView(entry as CacheEntry<NodeData>);
    case "Pod":
      return podView(entry as CacheEntry<PodData>);
    case "Service":
      return serviceView(entry as CacheEntry<ServiceData>);
    case "Event":
      return eventView(entry as CacheEntry<EventData>);
    case "ReplicaSet":
      return replicaSetView(entry as CacheEntry<WorkloadData>);
    default:
      return workloadView(entry as CacheEntry<WorkloadData>);
  }
}
