import type { CacheEntry } from "../../src/cache/entry.js";
import { workloadReady, workloadStatus, type WorkloadData } from "../../src/kinds/index.js";
import { RolloutState, type WorkloadKind, type WorkloadStatus } from "../../schema/enums.js";
import type {
  CronJob,
  Deployment,
  Job,
  ReplicaSet,
  RolloutStatus,
  Workload,
  WorkloadReplicas,
} from "../../schema/workload.js";
import { conditionList, date, EntryView, type Viewed } from "./entry-view.js";
import { selectorView } from "./selector.js";
import { resourceList } from "./pod.js";

export type WorkloadView = Workload &
  Partial<Omit<Job, keyof Workload>> &
  Partial<Omit<CronJob, keyof Workload>> &
  Partial<Omit<Deployment, keyof Workload>> &
  Viewed<WorkloadData>;
export type ReplicaSetView = ReplicaSet & Viewed<WorkloadData>;

function replicas(data: WorkloadData): WorkloadReplicas {
  return { desired: data.desired, ready: data.ready, available: data.available, updated: data.updated };
}

/** What `kubectl rollout status deployment/<name>` says, from the same status fields. */
export function rolloutStatus(entry: CacheEntry<WorkloadData>): RolloutStatus {
  const d = entry.data;
  const revision = d.revision ?? null;
  const name = `deployment "${entry.name}"`;
  if (d.paused) return { state: RolloutState.PAUSED, message: `${name} is paused`, revision };
  if (d.conditions.some((c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded")) {
    return { state: RolloutState.FAILED, message: `${name} exceeded its progress deadline`, revision };
  }
  const waiting = (what: string) => ({
    state: RolloutState.PROGRESSING,
    message: `Waiting for ${name} rollout to finish: ${what}...`,
    revision,
  });
  if (d.observedGeneration < d.generation)
    return waiting("waiting for the deployment spec update to be observed");
  if (d.updated < d.desired)
    return waiting(`${d.updated} out of ${d.desired} new replicas have been updated`);
  if (d.available < d.updated)
    return waiting(`${d.available} of ${d.updated} updated replicas are available`);
  return { state: RolloutState.COMPLETE, message: `${name} successfully rolled out`, revision };
}

class WorkloadEntryView extends EntryView<WorkloadData> implements WorkloadView {
  get __typename(): string {
    return this.entry.kind;
  }
  get kind(): WorkloadKind {
    return this.entry.kind as WorkloadKind;
  }
  get replicas(): WorkloadReplicas | null {
    return this.entry.kind === "CronJob" ? null : replicas(this.entry.data);
  }
  get status(): WorkloadStatus {
    return workloadStatus(this.entry) as WorkloadStatus;
  }
  get ready(): boolean {
    return workloadReady(this.entry);
  }
  get selector(): WorkloadView["selector"] {
    return this.entry.data.selector === "" ? null : selectorView(this.entry.data.selector);
  }
  get generation(): number {
    return this.entry.data.generation;
  }
  get observedGeneration(): number {
    return this.entry.data.observedGeneration;
  }
  get conditions(): WorkloadView["conditions"] {
    return conditionList(this.entry.data.conditions);
  }
  get containers(): WorkloadView["containers"] {
    return templateContainers(this.entry.data);
  }
  get paused(): boolean {
    return this.entry.data.paused ?? false;
  }
  get revision(): number | null {
    return this.entry.data.revision ?? null;
  }
  get rolloutStatus(): RolloutStatus {
    return rolloutStatus(this.entry);
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
  get suspended(): boolean {
    return this.entry.data.suspend ?? false;
  }
  get completionTime(): Date | null {
    return date(this.entry.data.completionTime);
  }
  get schedule(): string {
    return this.entry.data.schedule ?? "";
  }
  get lastScheduleTime(): Date | null {
    return date(this.entry.data.lastScheduleTime);
  }
}

export function workloadView(entry: CacheEntry<WorkloadData>): WorkloadView {
  return new WorkloadEntryView(entry);
}

class ReplicaSetEntryView extends EntryView<WorkloadData> implements ReplicaSetView {
  readonly __typename = "ReplicaSet";

  get revision(): number | null {
    return this.entry.data.revision ?? null;
  }
  get replicas(): WorkloadReplicas {
    return replicas(this.entry.data);
  }
  get containers(): ReplicaSetView["containers"] {
    return templateContainers(this.entry.data);
  }
}

export function replicaSetView(entry: CacheEntry<WorkloadData>): ReplicaSetView {
  return new ReplicaSetEntryView(entry);
}

function templateContainers(data: WorkloadData): WorkloadView["containers"] {
  return data.containers.map((c) => ({
    name: c.name,
    image: c.image,
    requests: resourceList(c.resources.requests),
    limits: resourceList(c.resources.limits),
  }));
}
