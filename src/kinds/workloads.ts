/**
 * The workload kinds (Deployment, StatefulSet, DaemonSet, Job, CronJob) share one projection and
 * one list ("Workload"); ReplicaSets share the projection so that owner chains and
 * Deployment.revisions reach them, but are not listed as workloads.
 */
import type { CacheEntry } from "../cache/entry.js";
import { intern, internShape } from "../cache/intern.js";
import { arr, num, obj, str, time, type Json } from "../cache/json.js";
import { formatLabelSelector, fromLabelSelectorObject } from "../kube/label-selector.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, given, groupPath, oneOf, type KindDescriptor, type Predicate } from "./descriptor.js";
import { conditions, quantities, type ConditionView, type Quantities } from "./shared.js";

export interface TemplateContainer {
  name: string;
  image: string;
  /** As written in the template; compared across clusters (fleetWorkloads' drift). */
  resources: { requests: Quantities; limits: Quantities };
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
  /** Deployments and ReplicaSets: the deployment.kubernetes.io/revision annotation. */
  revision?: number | undefined;
  /** Deployments: spec.paused. */
  paused?: boolean;
  /** Deployments: status.replicas, the pods of old and new ReplicaSets together (kubectl rollout status). */
  replicas?: number;
  /** StatefulSets and DaemonSets: spec.updateStrategy.type is OnDelete (no rollout to wait for). */
  onDelete?: boolean;
  /** StatefulSets: spec.updateStrategy.rollingUpdate.partition, when above 0. */
  partition?: number;
  /** StatefulSets: status.updateRevision differs from currentRevision (the rollout is not recorded done). */
  revisionPending?: boolean;
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

export type WorkloadStatus =
  "RUNNING" | "UPDATING" | "STOPPED" | "FAILED" | "COMPLETE" | "SUSPENDED" | "UNKNOWN";

export type WorkloadKindName = "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob";

export interface WorkloadListFilter {
  kinds?: WorkloadKindName[] | null;
  ready?: boolean | null;
  statuses?: WorkloadStatus[] | null;
}

const REVISION = "deployment.kubernetes.io/revision";

/** One shared copy per distinct template: the ReplicaSets of a Deployment repeat its containers. */
function templateContainers(spec: Json): TemplateContainer[] {
  const podSpec = obj(obj(spec.template).spec);
  return internShape(
    arr(podSpec.containers).map((c) => {
      const resources = obj(obj(c).resources);
      return {
        name: str(obj(c).name) ?? "",
        image: str(obj(c).image) ?? "",
        resources: { requests: quantities(resources.requests), limits: quantities(resources.limits) },
      };
    }),
  );
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

/** Small numbers and flags only: a fleet's StatefulSets are many, their revision names long. */
function statefulSetRollout(spec: Json, status: Json): Partial<WorkloadData> {
  if (onDelete(spec)) return { onDelete: true };
  const partition = num(obj(obj(spec.updateStrategy).rollingUpdate).partition);
  const update = str(status.updateRevision);
  const current = str(status.currentRevision);
  return {
    ...(partition > 0 ? { partition } : {}),
    ...(update !== undefined && update !== current ? { revisionPending: true } : {}),
  };
}

function onDelete(spec: Json): boolean {
  return str(obj(spec.updateStrategy).type) === "OnDelete";
}

function revisionOf(o: KubeObject): number | undefined {
  const text = o.metadata.annotations?.[REVISION];
  const n = text === undefined ? NaN : Number(text);
  return Number.isInteger(n) ? n : undefined;
}

export function workloadData(kind: string, o: KubeObject): WorkloadData {
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
        ...(onDelete(spec) ? { onDelete: true } : {}),
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
        suspend: spec.suspend === true,
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
        ...(kind === "Deployment" || kind === "ReplicaSet" ? { revision: revisionOf(o) } : {}),
        ...(kind === "Deployment" ? { paused: spec.paused === true, replicas: num(status.replicas) } : {}),
        ...(kind === "StatefulSet" ? statefulSetRollout(spec, status) : {}),
      };
  }
}

/**
 * A workload is ready when every replica it asks for is ready. A Job asks for completions, and a
 * completed Job has no ready pods left: it is ready when complete or when its active pods are all
 * ready. CronJobs run no pods themselves and are always ready.
 */
export function workloadReady(entry: CacheEntry): boolean {
  const data = entry.data as WorkloadData;
  switch (entry.kind) {
    case "CronJob":
      return true;
    case "Job":
      return (data.succeeded ?? 0) >= data.desired || data.ready >= (data.active ?? 0);
    default:
      return data.ready >= data.desired;
  }
}

const conditionIs = (data: WorkloadData, type: string, status: string) =>
  data.conditions.some((c) => c.type === type && c.status === status);

/** One word for a workload's state, as a console shows it (KubeSphere's running/updating/stopped). */
export function workloadStatus(entry: CacheEntry): WorkloadStatus {
  const data = entry.data as WorkloadData;
  switch (entry.kind) {
    case "CronJob":
      return data.suspend ? "SUSPENDED" : "RUNNING";
    case "Job":
      if (conditionIs(data, "Complete", "True")) return "COMPLETE";
      if (conditionIs(data, "Failed", "True")) return "FAILED";
      return data.suspend ? "SUSPENDED" : "RUNNING";
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet": {
      if (data.paused) return "SUSPENDED";
      if (conditionIs(data, "Progressing", "False")) return "FAILED";
      if (data.desired === 0) return data.ready === 0 ? "STOPPED" : "UPDATING";
      const settled =
        data.observedGeneration >= data.generation &&
        data.updated >= data.desired &&
        data.ready >= data.desired;
      return settled ? "RUNNING" : "UPDATING";
    }
    default:
      return "UNKNOWN";
  }
}

function workloadPredicate(filter: WorkloadListFilter): Predicate | undefined {
  return allOf([
    // Lists read only the asked kinds' stores; this keeps an empty `kinds` selecting nothing.
    oneOf(filter.kinds, (e) => e.kind as WorkloadKindName),
    given(filter.ready) && ((e) => workloadReady(e) === filter.ready),
    oneOf(filter.statuses, workloadStatus),
  ]);
}

function workload(
  kind: WorkloadKindName,
  group: string,
  plural: string,
): KindDescriptor<WorkloadData, WorkloadListFilter> {
  return {
    kind,
    graphqlType: kind,
    list: "Workload",
    path: groupPath(group, "v1", plural),
    project: (o) => workloadData(kind, o),
    orderKeys: { KIND: (e) => e.kind },
    predicate: workloadPredicate,
  };
}

export const DEPLOYMENT = workload("Deployment", "apps", "deployments");
export const STATEFUL_SET = workload("StatefulSet", "apps", "statefulsets");
export const DAEMON_SET = workload("DaemonSet", "apps", "daemonsets");
export const JOB = workload("Job", "batch", "jobs");
export const CRON_JOB = workload("CronJob", "batch", "cronjobs");

export const WORKLOADS = [DEPLOYMENT, STATEFUL_SET, DAEMON_SET, JOB, CRON_JOB] as const;

export const REPLICA_SET: KindDescriptor<WorkloadData, object> = {
  kind: "ReplicaSet",
  graphqlType: "ReplicaSet",
  list: "ReplicaSet",
  path: groupPath("apps", "v1", "replicasets"),
  project: (o) => workloadData("ReplicaSet", o),
  orderKeys: { REVISION: (e) => e.data.revision ?? 0 },
};
