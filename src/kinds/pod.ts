/** Pods: the projection keeps what a dashboard shows of a pod and its containers. */
import type { CacheEntry } from "../cache/entry.js";
import { intern, internShape } from "../cache/intern.js";
import { arr, num, obj, str, time, type Json } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, corePath, given, oneOf, type KindDescriptor } from "./descriptor.js";
import { quantities, type Quantities } from "./shared.js";

export interface ContainerPort {
  name: string | undefined;
  containerPort: number;
  protocol: string;
}

export interface ContainerResources {
  requests: Quantities;
  limits: Quantities;
}

export interface TerminationView {
  exitCode: number;
  reason: string | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
}

export interface ContainerView {
  name: string;
  image: string;
  ready: boolean;
  restarts: number;
  state: "running" | "waiting" | "terminated" | "unknown";
  stateReason: string | undefined;
  startedAt: number | undefined;
  /** Shared across the pods of one template (internShape). */
  resources: ContainerResources;
  ports: readonly ContainerPort[];
  /** The previous run's end (status.lastState.terminated), after a restart. */
  lastTermination: TerminationView | undefined;
}

/** A pod condition without its time: pods of one template in the same state share one. */
export interface PodConditionStatus {
  type: string;
  status: string;
  reason: string | undefined;
  message: string | undefined;
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
  qosClass: string | undefined;
  /** Types and statuses, shared by every pod in the same state; their times are beside them. */
  conditions: readonly PodConditionStatus[];
  conditionTimes: readonly (number | undefined)[];
  containers: ContainerView[];
  /** spec.serviceAccountName. */
  serviceAccountName: string | undefined;
  /** The PersistentVolumeClaims its volumes mount, by name (usually none: a shared empty array). */
  claims: readonly string[];
}

export interface PodListFilter {
  phases?: string[] | null;
  nodeName?: string | null;
  ready?: boolean | null;
  qosClasses?: string[] | null;
  serviceAccountName?: string | null;
  claimName?: string | null;
}

function termination(value: unknown): TerminationView | undefined {
  const t = obj(value);
  if (Object.keys(t).length === 0) return undefined;
  return {
    exitCode: num(t.exitCode),
    reason: str(t.reason) ? intern(str(t.reason)!) : undefined,
    startedAt: time(t.startedAt),
    finishedAt: time(t.finishedAt),
  };
}

function containerView(c: Json, s: Json): Omit<ContainerView, "ready" | "restarts"> {
  const state = obj(s.state);
  const which = state.running
    ? "running"
    : state.waiting
      ? "waiting"
      : state.terminated
        ? "terminated"
        : "unknown";
  const detail = obj(state[which]);
  const resources = obj(c.resources);
  return {
    name: intern(str(c.name) ?? ""),
    image: intern(str(c.image) ?? ""),
    state: which,
    stateReason: str(detail.reason),
    startedAt: time(detail.startedAt),
    resources: internShape({
      requests: quantities(resources.requests),
      limits: quantities(resources.limits),
    }),
    ports: internShape(
      arr(c.ports).map((p) => {
        const port = obj(p);
        return {
          name: str(port.name),
          containerPort: num(port.containerPort),
          protocol: str(port.protocol) ?? "TCP",
        };
      }),
    ),
    lastTermination: termination(obj(s.lastState).terminated),
  };
}

export function podData(o: KubeObject): PodData {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const statuses = new Map(arr(status.containerStatuses).map((s) => [str(obj(s).name), obj(s)]));
  let restarts = 0;
  let ready = true;
  const containers = arr(spec.containers).map((c): ContainerView => {
    const s = statuses.get(str(obj(c).name) ?? "") ?? {};
    const count = num(s.restartCount);
    restarts += count;
    if (s.ready !== true) ready = false;
    return { ...containerView(obj(c), s), ready: s.ready === true, restarts: count };
  });
  const conds = arr(status.conditions).map(obj);
  return {
    phase: intern(str(status.phase) ?? "Pending"),
    nodeName: spec.nodeName ? intern(str(spec.nodeName)!) : undefined,
    podIP: str(status.podIP),
    hostIP: status.hostIP ? intern(str(status.hostIP)!) : undefined,
    restarts,
    ready: ready && containers.length > 0,
    startTime: time(status.startTime),
    reason: str(status.reason),
    qosClass: str(status.qosClass) ? intern(str(status.qosClass)!) : undefined,
    conditions: internShape(
      conds.map((c) => ({
        type: str(c.type) ?? "",
        status: str(c.status) ?? "Unknown",
        reason: str(c.reason),
        message: str(c.message),
      })),
    ),
    conditionTimes: conds.map((c) => time(c.lastTransitionTime)),
    containers,
    serviceAccountName: str(spec.serviceAccountName) ? intern(str(spec.serviceAccountName)!) : undefined,
    claims: internShape(
      arr(spec.volumes)
        .map((v) => str(obj(obj(v).persistentVolumeClaim).claimName))
        .filter((c): c is string => c !== undefined),
    ),
  };
}

const data = (e: CacheEntry) => e.data as PodData;

export const POD: KindDescriptor<PodData, PodListFilter> = {
  kind: "Pod",
  graphqlType: "Pod",
  list: "Pod",
  path: corePath("pods"),
  project: podData,
  indexes: { node: (e) => e.data.nodeName },
  // Restarts change while a client pages; the engine's keyset cursor keeps the position regardless.
  orderKeys: { RESTARTS: (e) => e.data.restarts, PHASE: (e) => e.data.phase },
  predicate: (filter) =>
    allOf([
      oneOf(filter.phases, (e) => data(e).phase),
      oneOf(filter.qosClasses, (e) => data(e).qosClass),
      given(filter.nodeName) && ((e) => data(e).nodeName === filter.nodeName),
      given(filter.ready) && ((e) => data(e).ready === filter.ready),
      given(filter.serviceAccountName) && ((e) => data(e).serviceAccountName === filter.serviceAccountName),
      given(filter.claimName) && ((e) => data(e).claims.includes(filter.claimName!)),
    ]),
};
