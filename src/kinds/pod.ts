/** Pods: the projection keeps what a dashboard shows of a pod and its containers. */
import type { CacheEntry } from "../cache/entry.js";
import { intern, internShape } from "../cache/intern.js";
import { arr, num, obj, str, type Json } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, corePath, given, oneOf, type KindDescriptor } from "./descriptor.js";
import { createdOf, offsetOf, quantities, type ObjectTime, type Quantities } from "./shared.js";

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
  startedAt: ObjectTime;
  finishedAt: ObjectTime;
}

/** What a container's template says: the same for every pod of the template (one shared copy). */
export interface ContainerSpecView {
  name: string;
  image: string;
  resources: ContainerResources;
  ports: readonly ContainerPort[];
}

export interface ContainerView {
  spec: ContainerSpecView;
  ready: boolean;
  restarts: number;
  state: "running" | "waiting" | "terminated" | "unknown";
  stateReason: string | undefined;
  startedAt: ObjectTime;
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

/**
 * The parts of a pod that repeat across the pods of one template in one state, kept once for all
 * of them (internShape): one pointer per pod instead of five fields.
 */
export interface PodShared {
  qosClass: string | undefined;
  /** spec.serviceAccountName. */
  serviceAccountName: string | undefined;
  /** The PersistentVolumeClaims its volumes mount, by name. */
  claims: readonly string[];
  conditions: readonly PodConditionStatus[];
  /** The conditions' times, as offsets (pods started together share them). */
  conditionTimes: readonly (number | null)[];
}

export interface PodData {
  phase: string;
  nodeName: string | undefined;
  podIP: string | undefined;
  hostIP: string | undefined;
  restarts: number;
  ready: boolean;
  startTime: ObjectTime;
  reason: string | undefined;
  shared: PodShared;
  containers: ContainerView[];
}

export interface PodListFilter {
  phases?: string[] | null;
  nodeName?: string | null;
  ready?: boolean | null;
  qosClasses?: string[] | null;
  serviceAccountName?: string | null;
  claimName?: string | null;
}

function termination(created: number, value: unknown): TerminationView | undefined {
  const t = obj(value);
  if (Object.keys(t).length === 0) return undefined;
  return {
    exitCode: num(t.exitCode),
    reason: str(t.reason) ? intern(str(t.reason)!) : undefined,
    startedAt: offsetOf(created, t.startedAt),
    finishedAt: offsetOf(created, t.finishedAt),
  };
}

function containerView(created: number, c: Json, s: Json): Omit<ContainerView, "ready" | "restarts"> {
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
    spec: internShape({
      name: str(c.name) ?? "",
      image: str(c.image) ?? "",
      resources: { requests: quantities(resources.requests), limits: quantities(resources.limits) },
      ports: arr(c.ports).map((p) => {
        const port = obj(p);
        return {
          name: str(port.name),
          containerPort: num(port.containerPort),
          protocol: str(port.protocol) ?? "TCP",
        };
      }),
    }),
    state: which,
    stateReason: str(detail.reason),
    startedAt: offsetOf(created, detail.startedAt),
    lastTermination: termination(created, obj(s.lastState).terminated),
  };
}

export function podData(o: KubeObject): PodData {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const created = createdOf(o);
  const statuses = new Map(arr(status.containerStatuses).map((s) => [str(obj(s).name), obj(s)]));
  let restarts = 0;
  let ready = true;
  const containers = arr(spec.containers).map((c): ContainerView => {
    const s = statuses.get(str(obj(c).name) ?? "") ?? {};
    const count = num(s.restartCount);
    restarts += count;
    if (s.ready !== true) ready = false;
    return { ...containerView(created, obj(c), s), ready: s.ready === true, restarts: count };
  });
  const conds = arr(status.conditions).map(obj);
  return {
    phase: intern(str(status.phase) ?? "Pending"),
    nodeName: spec.nodeName ? intern(str(spec.nodeName)!) : undefined,
    podIP: str(status.podIP),
    hostIP: status.hostIP ? intern(str(status.hostIP)!) : undefined,
    restarts,
    ready: ready && containers.length > 0,
    startTime: offsetOf(created, status.startTime),
    reason: str(status.reason),
    shared: internShape({
      qosClass: str(status.qosClass),
      serviceAccountName: str(spec.serviceAccountName),
      claims: arr(spec.volumes)
        .map((v) => str(obj(obj(v).persistentVolumeClaim).claimName))
        .filter((c): c is string => c !== undefined),
      conditions: conds.map((c) => ({
        type: str(c.type) ?? "",
        status: str(c.status) ?? "Unknown",
        reason: str(c.reason),
        message: str(c.message),
      })),
      conditionTimes: conds.map((c) => offsetOf(created, c.lastTransitionTime) ?? null),
    }),
    containers,
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
  facets: { phase: (e) => e.data.phase },
  // Restarts change while a client pages; the engine's keyset cursor keeps the position regardless.
  orderKeys: { RESTARTS: (e) => e.data.restarts, PHASE: (e) => e.data.phase },
  facetFilter: (filter) => (given(filter.phases) ? [{ name: "phase", keys: filter.phases }] : []),
  predicate: (filter) =>
    allOf([
      oneOf(filter.qosClasses, (e) => data(e).shared.qosClass),
      given(filter.nodeName) && ((e) => data(e).nodeName === filter.nodeName),
      given(filter.ready) && ((e) => data(e).ready === filter.ready),
      given(filter.serviceAccountName) &&
        ((e) => data(e).shared.serviceAccountName === filter.serviceAccountName),
      given(filter.claimName) && ((e) => data(e).shared.claims.includes(filter.claimName!)),
    ]),
};
