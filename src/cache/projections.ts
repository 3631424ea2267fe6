/**
 * Kubernetes object -> CacheEntry: keeps what the schema serves and nothing else (no
 * managedFields, no annotations, no pod spec beyond containers), so a cached pod costs a small,
 * fixed amount of heap. Repeated strings (label keys and values, images, node names) are interned.
 */
import type { KubeObject } from "../kube/object.js";
import { formatLabelSelector, fromLabelSelectorObject } from "../kube/label-selector.js";
import type { CacheEntry, CachedKind, OwnerRef } from "./entry.js";
import { intern, internRecord } from "./intern.js";

export interface ContainerView {
  name: string;
  image: string;
  ready: boolean;
  restarts: number;
  state: "running" | "waiting" | "terminated" | "unknown";
  stateReason: string | undefined;
  startedAt: number | undefined;
}

export interface PodData {
  phase: string;
  nodeName: string | undefined;
  podIP: string | undefined;
  hostIP: string | undefined;
  restarts: number;
  ready: boolean;
  startTime: number | undefined;
  reason: string | undefined;
  containers: ContainerView[];
}

export interface Quantity {
  cpu: string | undefined;
  memory: string | undefined;
  pods: string | undefined;
}

export interface NodeData {
  ready: boolean;
  unschedulable: boolean;
  roles: string[];
  internalIP: string | undefined;
  kubeletVersion: string | undefined;
  osImage: string | undefined;
  architecture: string | undefined;
  capacity: Quantity;
  allocatable: Quantity;
}

export interface NamespaceData {
  phase: string;
}

export interface ServicePortView {
  name: string | undefined;
  port: number;
  targetPort: string | undefined;
  protocol: string;
  nodePort: number | undefined;
}

export interface ServiceData {
  type: string;
  clusterIP: string | undefined;
  ports: ServicePortView[];
  selector: Record<string, string> | undefined;
}

export interface ConditionView {
  type: string;
  status: string;
  reason: string | undefined;
  message: string | undefined;
  lastTransitionTime: number | undefined;
}

export interface TemplateContainer {
  name: string;
  image: string;
}

export interface WorkloadData {
  desired: number;
  ready: number;
  available: number;
  updated: number;
  /** The pod selector as a label selector string ("" when none). */
  selector: string;
  generation: number;
  observedGeneration: number;
  conditions: ConditionView[];
  containers: TemplateContainer[];
  /** Jobs */
  succeeded?: number;
  failed?: number;
  active?: number;
  completionTime?: number | undefined;
  /** CronJobs */
  schedule?: string;
  suspend?: boolean;
  lastScheduleTime?: number | undefined;
}

export interface EventData {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstTimestamp: number | undefined;
  lastTimestamp: number | undefined;
  involvedKind: string;
  involvedName: string;
  involvedNamespace: string;
  involvedUid: string | undefined;
  source: string | undefined;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number => (typeof v === "number" ? v : 0);
const time = (v: unknown): number | undefined => (typeof v === "string" ? Date.parse(v) : undefined);

function controllerOwner(o: KubeObject): OwnerRef | undefined {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller) ?? o.metadata.ownerReferences?.[0];
  return ref ? { kind: intern(ref.kind), name: ref.name, uid: ref.uid } : undefined;
}

function conditions(status: Json): ConditionView[] {
  return arr(status.conditions).map((c) => {
    const cond = obj(c);
    return {
      type: intern(str(cond.type) ?? ""),
      status: intern(str(cond.status) ?? "Unknown"),
      reason: str(cond.reason),
      message: str(cond.message),
      lastTransitionTime: time(cond.lastTransitionTime),
    };
  });
}

function templateContainers(spec: Json): TemplateContainer[] {
  const podSpec = obj(obj(spec.template).spec);
  return arr(podSpec.containers).map((c) => ({
    name: intern(str(obj(c).name) ?? ""),
    image: intern(str(obj(c).image) ?? ""),
  }));
}

function podData(o: KubeObject): PodData {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const statuses = new Map(arr(status.containerStatuses).map((s) => [str(obj(s).name), obj(s)]));
  let restarts = 0;
  let ready = true;
  const containers = arr(spec.containers).map((c): ContainerView => {
    const name = str(obj(c).name) ?? "";
    const s = statuses.get(name) ?? {};
    const state = obj(s.state);
    const which = state.running
      ? "running"
      : state.waiting
        ? "waiting"
        : state.terminated
          ? "terminated"
          : "unknown";
    const detail = obj(state[which]);
    const count = num(s.restartCount);
    restarts += count;
    if (s.ready !== true) ready = false;
    return {
      name: intern(name),
      image: intern(str(obj(c).image) ?? ""),
      ready: s.ready === true,
      restarts: count,
      state: which,
      stateReason: str(detail.reason),
      startedAt: time(detail.startedAt),
    };
  });
  return {
    phase: intern(str(status.phase) ?? "Pending"),
    nodeName: spec.nodeName ? intern(str(spec.nodeName)!) : undefined,
    podIP: str(status.podIP),
    hostIP: status.hostIP ? intern(str(status.hostIP)!) : undefined,
    restarts,
    ready: ready && containers.length > 0,
    startTime: time(status.startTime),
    reason: str(status.reason),
    containers,
  };
}

function quantity(v: unknown): Quantity {
  const q = obj(v);
  return { cpu: str(q.cpu), memory: str(q.memory), pods: str(q.pods) };
}

function nodeData(o: KubeObject): NodeData {
  const status = obj(o.status);
  const info = obj(status.nodeInfo);
  const readyCond = arr(status.conditions)
    .map(obj)
    .find((c) => c.type === "Ready");
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length));
  return {
    ready: readyCond?.status === "True",
    unschedulable: obj(o.spec).unschedulable === true,
    roles,
    internalIP: str(
      arr(status.addresses)
        .map(obj)
        .find((a) => a.type === "InternalIP")?.address,
    ),
    kubeletVersion: str(info.kubeletVersion),
    osImage: str(info.osImage),
    architecture: str(info.architecture),
    capacity: quantity(status.capacity),
    allocatable: quantity(status.allocatable),
  };
}

function serviceData(o: KubeObject): ServiceData {
  const spec = obj(o.spec);
  return {
    type: intern(str(spec.type) ?? "ClusterIP"),
    clusterIP: str(spec.clusterIP),
    ports: arr(spec.ports).map((p) => {
      const port = obj(p);
      const target = port.targetPort;
      return {
        name: str(port.name),
        port: num(port.port),
        targetPort: typeof target === "number" ? String(target) : str(target),
        protocol: intern(str(port.protocol) ?? "TCP"),
        nodePort: typeof port.nodePort === "number" ? port.nodePort : undefined,
      };
    }),
    selector: spec.selector ? internRecord(spec.selector as Record<string, string>) : undefined,
  };
}

function selectorString(spec: Json): string {
  const sel = spec.selector;
  if (!sel || typeof sel !== "object") return "";
  try {
    return intern(formatLabelSelector(fromLabelSelectorObject(sel)));
  } catch {
    return "";
  }
}

function workloadData(kind: CachedKind, o: KubeObject): WorkloadData {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const base = {
    generation: o.metadata.generation ?? 0,
    observedGeneration: num(status.observedGeneration),
    conditions: conditions(status),
  };
  switch (kind) {
    case "DaemonSet":
      return {
        ...base,
        desired: num(status.desiredNumberScheduled),
        ready: num(status.numberReady),
        available: num(status.numberAvailable),
        updated: num(status.updatedNumberScheduled),
        selector: selectorString(spec),
        containers: templateContainers(spec),
      };
    case "Job":
      return {
        ...base,
        desired: typeof spec.completions === "number" ? spec.completions : 1,
        ready: num(status.ready),
        available: num(status.succeeded),
        updated: num(status.succeeded),
        selector: selectorString(spec),
        containers: templateContainers(spec),
        succeeded: num(status.succeeded),
        failed: num(status.failed),
        active: num(status.active),
        completionTime: time(status.completionTime),
      };
    case "CronJob": {
      const jobSpec = obj(obj(spec.jobTemplate).spec);
      return {
        ...base,
        desired: 0,
        ready: 0,
        available: 0,
        updated: 0,
        selector: "",
        containers: templateContainers(jobSpec),
        schedule: str(spec.schedule) ?? "",
        suspend: spec.suspend === true,
        active: arr(status.active).length,
        lastScheduleTime: time(status.lastScheduleTime),
      };
    }
    default:
      return {
        ...base,
        desired: typeof spec.replicas === "number" ? spec.replicas : 1,
        ready: num(status.readyReplicas),
        available: num(status.availableReplicas),
        updated: num(
          kind === "StatefulSet" ? status.updatedReplicas : (status.updatedReplicas ?? status.replicas),
        ),
        selector: selectorString(spec),
        containers: templateContainers(spec),
      };
  }
}

function eventData(o: KubeObject): EventData {
  const involved = obj(o.involvedObject);
  const source = obj(o.source);
  return {
    type: intern(str(o.type) ?? "Normal"),
    reason: intern(str(o.reason) ?? ""),
    message: str(o.message) ?? "",
    count: typeof o.count === "number" ? o.count : 1,
    firstTimestamp: time(o.firstTimestamp ?? o.eventTime),
    lastTimestamp: time(o.lastTimestamp ?? o.eventTime),
    involvedKind: intern(str(involved.kind) ?? ""),
    involvedName: str(involved.name) ?? "",
    involvedNamespace: intern(str(involved.namespace) ?? ""),
    involvedUid: str(involved.uid),
    source: str(source.component) ?? str(o.reportingComponent),
  };
}

function dataFor(kind: CachedKind, o: KubeObject): unknown {
  switch (kind) {
    case "Pod":
      return podData(o);
    case "Node":
      return nodeData(o);
    case "Namespace":
      return { phase: intern(str(obj(o.status).phase) ?? "Active") } satisfies NamespaceData;
    case "Service":
      return serviceData(o);
    case "Event":
      return eventData(o);
    default:
      return workloadData(kind, o);
  }
}

export function project(cluster: string, kind: CachedKind, o: KubeObject): CacheEntry {
  const meta = o.metadata;
  return {
    cluster,
    kind,
    uid: meta.uid ?? `${meta.namespace ?? ""}/${meta.name ?? ""}`,
    namespace: meta.namespace ? intern(meta.namespace) : "",
    name: meta.name ?? "",
    created: meta.creationTimestamp ? Date.parse(meta.creationTimestamp) : 0,
    resourceVersion: meta.resourceVersion ?? "",
    labels: meta.labels ? internRecord(meta.labels) : EMPTY_LABELS,
    owner: controllerOwner(o),
    data: dataFor(kind, o),
  };
}

const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});
