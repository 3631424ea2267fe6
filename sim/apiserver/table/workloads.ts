/** Columns of the apps/v1 and batch/v1 workload kinds, as the real server prints them. */
import type { KubeObject } from "../../../src/kube/object.js";
import { between, humanDuration, since } from "./human-duration.js";
import {
  AGE_COLUMN,
  at,
  column,
  CONTAINERS_COLUMN,
  containerCells,
  formatLabels,
  formatSelector,
  IMAGES_COLUMN,
  int,
  list,
  NAME_COLUMN,
  record,
  SELECTOR_COLUMN,
  selectorString,
  str,
  type RowPrinter,
} from "./columns.js";

const name = (obj: KubeObject): string => obj.metadata.name ?? "";
const age = (obj: KubeObject, now: number): string => since(obj.metadata.creationTimestamp, now);
/** spec.replicas defaults to 1 (the server defaults it on create). */
const replicas = (obj: KubeObject): number => {
  const value = at(obj, "spec.replicas");
  return typeof value === "number" ? value : 1;
};
const WIDE = [CONTAINERS_COLUMN, IMAGES_COLUMN, SELECTOR_COLUMN];

export const deploymentPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Ready", "Number of the pod with ready state"),
    column(
      "Up-to-date",
      "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
    ),
    column(
      "Available",
      "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
    ),
    AGE_COLUMN,
    ...WIDE,
  ],
  cells: (d, now) => [
    name(d),
    `${int(d, "status.readyReplicas")}/${replicas(d)}`,
    int(d, "status.updatedReplicas"),
    int(d, "status.availableReplicas"),
    age(d, now),
    ...containerCells(at(d, "spec.template.spec")),
    selectorString(at(d, "spec.selector")),
  ],
};

export const replicaSetPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Desired", "Replicas is the number of desired replicas.", { type: "integer" }),
    column("Current", "Replicas is the most recently observed number of replicas.", { type: "integer" }),
    column("Ready", "The number of ready replicas for this replica set.", { type: "integer" }),
    AGE_COLUMN,
    ...WIDE,
  ],
  cells: (rs, now) => [
    name(rs),
    replicas(rs),
    int(rs, "status.replicas"),
    int(rs, "status.readyReplicas"),
    age(rs, now),
    ...containerCells(at(rs, "spec.template.spec")),
    formatSelector(at(rs, "spec.selector")),
  ],
};

export const statefulSetPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Ready", "Number of the pod with ready state"),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
  ],
  cells: (sts, now) => [
    name(sts),
    `${int(sts, "status.readyReplicas")}/${replicas(sts)}`,
    age(sts, now),
    ...containerCells(at(sts, "spec.template.spec")),
  ],
};

export const daemonSetPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Desired", "The total number of nodes that should be running the daemon pod.", {
      type: "integer",
    }),
    column("Current", "The number of nodes that are running at least 1 daemon pod.", { type: "integer" }),
    column("Ready", "The number of nodes that should be running the daemon pod and have it ready.", {
      type: "integer",
    }),
    column("Up-to-date", "The total number of nodes that are running updated daemon pod.", {
      type: "integer",
    }),
    column("Available", "The number of nodes that should be running the daemon pod and have it available.", {
      type: "integer",
    }),
    column("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
    AGE_COLUMN,
    ...WIDE,
  ],
  cells: (ds, now) => [
    name(ds),
    int(ds, "status.desiredNumberScheduled"),
    int(ds, "status.currentNumberScheduled"),
    int(ds, "status.numberReady"),
    int(ds, "status.updatedNumberScheduled"),
    int(ds, "status.numberAvailable"),
    formatLabels(record(ds, "spec.template.spec.nodeSelector")),
    age(ds, now),
    ...containerCells(at(ds, "spec.template.spec")),
    formatSelector(at(ds, "spec.selector")),
  ],
};

function jobCondition(job: unknown, type: string): boolean {
  const found = list(job, "status.conditions").find((c) => c.type === type);
  return found?.status === "True";
}

function jobStatus(job: KubeObject): string {
  if (jobCondition(job, "Complete")) return "Complete";
  if (jobCondition(job, "Failed")) return "Failed";
  if (job.metadata.deletionTimestamp) return "Terminating";
  if (jobCondition(job, "Suspended")) return "Suspended";
  if (jobCondition(job, "FailureTarget")) return "FailureTarget";
  return "Running";
}

function jobCompletions(job: KubeObject): string {
  const succeeded = int(job, "status.succeeded");
  const completions = at(job, "spec.completions");
  if (typeof completions === "number") return `${succeeded}/${completions}`;
  const parallelism = int(job, "spec.parallelism");
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KubeObject, now: number): string {
  const start = str(job, "status.startTime");
  if (!start) return "";
  const end = str(job, "status.completionTime");
  return end ? between(start, end) : humanDuration(now - Date.parse(start));
}

export const jobPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", "Status of the job."),
    column("Completions", "The number of pods which reached phase Succeeded."),
    column("Duration", "Time required to complete the job."),
    AGE_COLUMN,
    ...WIDE,
  ],
  cells: (job, now) => [
    name(job),
    jobStatus(job),
    jobCompletions(job),
    jobDuration(job, now),
    age(job, now),
    ...containerCells(at(job, "spec.template.spec")),
    formatSelector(at(job, "spec.selector")),
  ],
};

export const cronJobPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Schedule", "The schedule in Cron format."),
    column("Timezone", "The time zone name for the given schedule."),
    column("Suspend", "This flag tells the controller to suspend subsequent executions.", {
      type: "boolean",
    }),
    column("Active", "A list of pointers to currently running jobs.", { type: "integer" }),
    column("Last Schedule", "Information when was the last time the job was successfully scheduled."),
    AGE_COLUMN,
    ...WIDE,
  ],
  cells: (cj, now) => {
    const last = str(cj, "status.lastScheduleTime");
    const suspend = at(cj, "spec.suspend");
    return [
      name(cj),
      str(cj, "spec.schedule"),
      str(cj, "spec.timeZone") || "<none>",
      // printBoolPtr: "True"/"False", and "<unset>" for a missing flag.
      typeof suspend === "boolean" ? (suspend ? "True" : "False") : "<unset>",
      list(cj, "status.active").length,
      last ? since(last, now) : "<none>",
      age(cj, now),
      ...containerCells(at(cj, "spec.jobTemplate.spec.template.spec")),
      formatSelector(at(cj, "spec.jobTemplate.spec.selector")),
    ];
  },
};
