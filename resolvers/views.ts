/**
 * Cache entries -> the objects the schema's classes describe (fields read from the entry when
 * selected; clusters, few and small, are plain objects). Every view keeps its entry (not a
 * GraphQL field) so relation resolvers start from the cached object, and carries a __typename,
 * which is how the Node and Workload interfaces resolve (schema/build.ts).
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

/**
 * A cached object as its GraphQL object: every field is read from the entry when a client
 * selects it. A page of pods builds one small object per pod instead of every field's value
 * (a base64 global id, dates, container lists) that most answers never ask for.
 */
abstract class EntryView<D> implements Viewed<D> {
  abstract readonly __typename: string;

  constructor(readonly entry: CacheEntry<D>) {}

  get id(): string {
    return objectId(this.entry.kind, this.entry.cluster, this.entry.uid);
  }
  get cluster(): string {
    return this.entry.cluster;
  }
  get namespace(): string {
    return this.entry.namespace;
  }
  get name(): string {
    return this.entry.name;
  }
  get uid(): string {
    return this.entry.uid;
  }
  get labels(): Readonly<Record<string, string>> {
    return this.entry.labels;
  }
  get createdAt(): Date | null {
    return date(this.entry.created);
  }
  get resourceVersion(): string {
    return this.entry.resourceVersion;
  }
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

class NamespaceEntryView extends EntryView<NamespaceData> implements NamespaceView {
  readonly __typename = "Namespace";

  constructor(
    entry: CacheEntry<NamespaceData>,
    private readonly workspaceLabel: string,
  ) {
    super(entry);
  }
  get phase(): string {
    return this.entry.data.phase;
  }
  get workspace(): string | null {
    return this.entry.labels[this.workspaceLabel] ?? null;
  }
}

export function namespaceView(entry: CacheEntry<NamespaceData>, workspaceLabel: string): NamespaceView {
  return new NamespaceEntryView(entry, workspaceLabel);
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

class ClusterNodeEntryView extends EntryView<NodeData> implements ClusterNodeView {
  readonly __typename = "ClusterNode";

  get ready(): boolean {
    return this.entry.data.ready;
  }
  get unschedulable(): boolean {
    return this.entry.data.unschedulable;
  }
  get roles(): string[] {
    return [...this.entry.data.roles];
  }
  get internalIP(): string | null {
    return this.entry.data.internalIP ?? null;
  }
  get kubeletVersion(): string | null {
    return this.entry.data.kubeletVersion ?? null;
  }
  get osImage(): string | null {
    return this.entry.data.osImage ?? null;
  }
  get architecture(): string | null {
    return this.entry.data.architecture ?? null;
  }
  get capacity(): NodeResources {
    return resources(this.entry.data.capacity);
  }
  get allocatable(): NodeResources {
    return resources(this.entry.data.allocatable);
  }
}

export function clusterNodeView(entry: CacheEntry<NodeData>): ClusterNodeView {
  return new ClusterNodeEntryView(entry);
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

/** The replica counts Workload and ReplicaSet share. */
abstract class ReplicatedEntryView extends EntryView<WorkloadData> {
  get desiredReplicas(): number {
    return this.entry.data.desired;
  }
  get readyReplicas(): number {
    return this.entry.data.ready;
  }
  get availableReplicas(): number {
    return this.entry.data.available;
  }
}

class WorkloadEntryView extends ReplicatedEntryView implements WorkloadView {
  get __typename(): string {
    return this.entry.kind;
  }
  get kind(): WorkloadKind {
    return this.entry.kind as WorkloadKind;
  }
  get updatedReplicas(): number {
    return this.entry.data.updated;
  }
  get ready(): boolean {
    return workloadReady(this.entry);
  }
  get selector(): string {
    return this.entry.data.selector;
  }
  get generation(): number {
    return this.entry.data.generation;
  }
  get observedGeneration(): number {
    return this.entry.data.observedGeneration;
  }
  get conditions(): Condition[] {
    return conditions(this.entry.data.conditions);
  }
  get containers(): WorkloadView["containers"] {
    return this.entry.data.containers;
  }
  get succeeded(): number {
    return this.entry.data.succeeded ?? 0;
  }
  get failed(): number {
    return this.entry.data.failed ?? 0;
  }
  get active(): number {
    return this.entry.data.active ?? 0;
  }
  get completionTime(): Date | null {
    return date(this.entry.data.completionTime);
  }
  get schedule(): string {
    return this.entry.data.schedule ?? "";
  }
  get suspend(): boolean {
    return this.entry.data.suspend ?? false;
  }
  get lastScheduleTime(): Date | null {
    return date(this.entry.data.lastScheduleTime);
  }
}

export function workloadView(entry: CacheEntry<WorkloadData>): WorkloadView {
  return new WorkloadEntryView(entry);
}

class ReplicaSetEntryView extends ReplicatedEntryView implements ReplicaSetView {
  readonly __typename = "ReplicaSet";
}

export function replicaSetView(entry: CacheEntry<WorkloadData>): ReplicaSetView {
  return new ReplicaSetEntryView(entry);
}

class PodEntryView extends EntryView<PodData> implements PodView {
  readonly __typename = "Pod";

  get phase(): PodPhase {
    return this.entry.data.phase as PodPhase;
  }
  get ready(): boolean {
    return this.entry.data.ready;
  }
  get restarts(): number {
    return this.entry.data.restarts;
  }
  get nodeName(): string | null {
    return this.entry.data.nodeName ?? null;
  }
  get podIP(): string | null {
    return this.entry.data.podIP ?? null;
  }
  get hostIP(): string | null {
    return this.entry.data.hostIP ?? null;
  }
  get startTime(): Date | null {
    return date(this.entry.data.startTime);
  }
  get reason(): string | null {
    return this.entry.data.reason ?? null;
  }
  get containers(): PodView["containers"] {
    return this.entry.data.containers.map((c) => ({
      name: c.name,
      image: c.image,
      ready: c.ready,
      restarts: c.restarts,
      state: c.state as ContainerState,
      stateReason: c.stateReason ?? null,
      startedAt: date(c.startedAt),
    }));
  }
}

export function podView(entry: CacheEntry<PodData>): PodView {
  return new PodEntryView(entry);
}

class ServiceEntryView extends EntryView<ServiceData> implements ServiceView {
  readonly __typename = "Service";

  get type(): string {
    return this.entry.data.type;
  }
  get clusterIP(): string | null {
    return this.entry.data.clusterIP ?? null;
  }
  get ports(): ServiceView["ports"] {
    return this.entry.data.ports.map((p) => ({
      name: p.name ?? null,
      port: p.port,
      targetPort: p.targetPort ?? null,
      protocol: p.protocol,
      nodePort: p.nodePort ?? null,
    }));
  }
  get selector(): Readonly<Record<string, string>> | null {
    return this.entry.data.selector ?? null;
  }
}

export function serviceView(entry: CacheEntry<ServiceData>): ServiceView {
  return new ServiceEntryView(entry);
}

class EventEntryView extends EntryView<EventData> implements EventView {
  readonly __typename = "Event";

  get type(): string {
    return this.entry.data.type;
  }
  get reason(): string {
    return this.entry.data.reason;
  }
  get message(): string {
    return this.entry.data.message;
  }
  get count(): number {
    return this.entry.data.count;
  }
  get firstTimestamp(): Date | null {
    return date(this.entry.data.firstTimestamp);
  }
  get lastTimestamp(): Date | null {
    return date(this.entry.data.lastTimestamp);
  }
  get involvedObject(): EventView["involvedObject"] {
    const d = this.entry.data;
    return {
      kind: d.involvedKind,
      name: d.involvedName,
      namespace: d.involvedNamespace,
      uid: d.involvedUid ?? null,
    };
  }
  get source(): string | null {
    return this.entry.data.source ?? null;
  }
}

export function eventView(entry: CacheEntry<EventData>): EventView {
  return new EventEntryView(entry);
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
