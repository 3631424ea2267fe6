/**
 * The CronJob controller (cronjob_controllerv2): at each time the schedule names it creates a
 * Job from spec.jobTemplate, named <cronjob>-<scheduled time in unix minutes> and controlled by
 * the CronJob; it honours suspend (no new Jobs), concurrencyPolicy (Allow; Forbid skips a run
 * while one is active; Replace deletes the active ones first), startingDeadlineSeconds (a run
 * missed by more is skipped), and keeps status.active, lastScheduleTime and lastSuccessfulTime,
 * deleting finished Jobs beyond successfulJobsHistoryLimit (3) / failedJobsHistoryLimit (1).
 *
 * The wake-up at the next scheduled time is a plain timer, not the control loop's timeline:
 * runUntilIdle flushes the timeline at once, and a schedule that always has a next time would
 * never let it settle. Like the real controller, a run missed while the controller was away is
 * started late (once, the most recent) unless startingDeadlineSeconds says it is too late.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { StatusError } from "../errors.js";
import { replaceStatus, splitKey, type ChangeHandler, type ControllerContext } from "./context.js";
import { CronSyntaxError, parseCronSchedule } from "./cron-schedule.js";
import { ownerQueue } from "./owner-queue.js";
import { controllerOf, controllerReference, type Condition } from "./pods.js";
import { CRONJOBS, JOBS } from "./resources.js";

interface CronJobSpec {
  schedule?: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: Record<string, unknown>;
  };
}

interface JobReference {
  kind: "Job";
  namespace: string;
  name: string;
  uid: string;
  apiVersion: "batch/v1";
  resourceVersion: string;
}

interface CronJobStatus {
  active?: JobReference[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

/** Missed runs beyond this many are not counted one by one (the real controller warns at 100). */
const MAX_MISSED = 100;

export interface CronJobController {
  handler: ChangeHandler;
  stop(): void;
}

export function startCronJobController(ctx: ControllerContext): CronJobController {
  const timers = new Map<string, NodeJS.Timeout>();
  const owners = ownerQueue(ctx, CRONJOBS, JOBS, (key) => {
    const wakeAt = syncCronJob(ctx, key);
    const previous = timers.get(key);
    if (previous) clearTimeout(previous);
    timers.delete(key);
    if (wakeAt === undefined) return;
    const timer = setTimeout(
      () => {
        timers.delete(key);
        owners.queue.add(key);
      },
      Math.max(0, wakeAt.getTime() - ctx.now().getTime()) + 100,
    );
    timer.unref();
    timers.set(key, timer);
  });
  return {
    handler: owners.handle,
    stop: () => {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

const stampOf = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Reconciles one CronJob; returns when it should be looked at again (its next scheduled time). */
function syncCronJob(ctx: ControllerContext, key: string): Date | undefined {
  const [namespace, name] = splitKey(key);
  const cronJob = ctx.store.get(CRONJOBS, namespace, name);
  if (!cronJob) return undefined;
  const spec = (cronJob.spec ?? {}) as CronJobSpec;
  const previous = (cronJob.status ?? {}) as CronJobStatus;
  const uid = cronJob.metadata.uid!;
  const jobs = ctx.store
    .ownedBy(uid)
    .filter((o) => o.resource === "batch/jobs" && controllerOf(o.object)?.uid === uid)
    .map((o) => o.object);
  const status: CronJobStatus = { ...previous };
  const running = jobs.filter((job) => finishedAs(job) === undefined);
  for (const job of jobs) {
    const completed = finishedAs(job) === "Complete" ? jobCompletionTime(job) : undefined;
    if (completed && (!status.lastSuccessfulTime || completed > status.lastSuccessfulTime))
      status.lastSuccessfulTime = completed;
  }
  removeOldJobs(ctx, cronJob, jobs, spec);
  if (cronJob.metadata.deletionTimestamp) return undefined;

  let schedule;
  try {
    schedule = parseCronSchedule(spec.schedule ?? "");
  } catch (error) {
    if (!(error instanceof CronSyntaxError)) throw error;
    record(
      ctx,
      cronJob,
      "Warning",
      "UnparseableSchedule",
      `unparseable schedule: ${spec.schedule}: ${error.message}`,
    );
    writeStatus(ctx, cronJob, status, running);
    return undefined;
  }
  const now = ctx.now();
  const due = mostRecentDue(schedule, cronJob, previous, spec, now);
  const nextWake = schedule.next(now);
  if (spec.suspend || !due) {
    writeStatus(ctx, cronJob, status, running);
    return nextWake;
  }
  const deadline = spec.startingDeadlineSeconds;
  if (deadline !== undefined && due.getTime() < now.getTime() - deadline * 1000) {
    record(ctx, cronJob, "Warning", "MissSchedule", `Missed scheduled time to start a job: ${stampOf(due)}`);
    writeStatus(ctx, cronJob, status, running);
    return nextWake;
  }
  const policy = spec.concurrencyPolicy ?? "Allow";
  if (policy === "Forbid" && running.length > 0) {
    // The run waits: lastScheduleTime stays, so it starts once the running Job is done.
    writeStatus(ctx, cronJob, status, running);
    return nextWake;
  }
  if (policy === "Replace") {
    for (const job of running.splice(0)) deleteJob(ctx, cronJob, job);
  }
  const job = createJob(ctx, cronJob, spec, due);
  if (job) running.push(job);
  status.lastScheduleTime = stampOf(due);
  writeStatus(ctx, cronJob, status, running);
  return nextWake;
}

/** The latest scheduled time after the last one run (or the CronJob's creation) and not after now. */
function mostRecentDue(
  schedule: ReturnType<typeof parseCronSchedule>,
  cronJob: KubeObject,
  status: CronJobStatus,
  spec: CronJobSpec,
  now: Date,
): Date | undefined {
  let earliest = Date.parse(status.lastScheduleTime ?? cronJob.metadata.creationTimestamp ?? "");
  if (Number.isNaN(earliest)) earliest = now.getTime();
  if (spec.startingDeadlineSeconds !== undefined)
    earliest = Math.max(earliest, now.getTime() - spec.startingDeadlineSeconds * 1000);
  let due: Date | undefined;
  let t = schedule.next(new Date(earliest));
  for (let missed = 0; t && t.getTime() <= now.getTime(); missed++) {
    due = t;
    // Past MAX_MISSED, jump close to now instead of walking every missed run.
    t = schedule.next(
      missed < MAX_MISSED ? t : new Date(Math.max(t.getTime(), now.getTime() - 60_000 * 60 * 24)),
    );
  }
  return due;
}

function createJob(
  ctx: ControllerContext,
  cronJob: KubeObject,
  spec: CronJobSpec,
  due: Date,
): KubeObject | undefined {
  const template = spec.jobTemplate ?? {};
  const name = `${cronJob.metadata.name}-${Math.floor(due.getTime() / 60_000)}`;
  const namespace = cronJob.metadata.namespace!;
  try {
    const created = ctx.store.create(JOBS, {
      metadata: {
        name,
        namespace,
        labels: { ...template.metadata?.labels },
        annotations: {
          ...template.metadata?.annotations,
          "batch.kubernetes.io/cronjob-scheduled-timestamp": stampOf(due),
        },
        ownerReferences: [controllerReference(CRONJOBS, cronJob)],
      },
      spec: structuredClone(template.spec ?? {}),
    });
    // The API server defaults a Job's selector and pod labels to its uid; the store does not.
    const uid = created.metadata.uid!;
    const job = ctx.store.mutate(JOBS, namespace, name, (draft) => {
      const jobSpec = draft.spec as {
        selector?: unknown;
        template?: { metadata?: { labels?: Record<string, string> } };
      };
      jobSpec.selector ??= { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
      jobSpec.template ??= {};
      jobSpec.template.metadata ??= {};
      jobSpec.template.metadata.labels = {
        ...jobSpec.template.metadata.labels,
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": name,
        "controller-uid": uid,
        "job-name": name,
      };
    });
    record(ctx, cronJob, "Normal", "SuccessfulCreate", `Created job ${name}`);
    return job;
  } catch (error) {
    // Created by an earlier sync whose status write was lost: the run happened.
    if (error instanceof StatusError && error.code === 409) return ctx.store.get(JOBS, namespace, name);
    throw error;
  }
}

/** "Complete" or "Failed" once the Job has that condition, undefined while it runs. */
function finishedAs(job: KubeObject): "Complete" | "Failed" | undefined {
  const conditions = (job.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  const done = conditions.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
  return done?.type as "Complete" | "Failed" | undefined;
}

const jobCompletionTime = (job: KubeObject): string | undefined =>
  (job.status as { completionTime?: string } | undefined)?.completionTime;

/** Deletes the oldest finished Jobs beyond the history limits. */
function removeOldJobs(
  ctx: ControllerContext,
  cronJob: KubeObject,
  jobs: KubeObject[],
  spec: CronJobSpec,
): void {
  const byStart = (a: KubeObject, b: KubeObject): number =>
    (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") ||
    (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");
  const limits: ["Complete" | "Failed", number][] = [
    ["Complete", spec.successfulJobsHistoryLimit ?? 3],
    ["Failed", spec.failedJobsHistoryLimit ?? 1],
  ];
  for (const [outcome, limit] of limits) {
    const finished = jobs.filter((job) => finishedAs(job) === outcome).sort(byStart);
    for (const job of finished.slice(0, Math.max(0, finished.length - limit))) deleteJob(ctx, cronJob, job);
  }
}

function deleteJob(ctx: ControllerContext, cronJob: KubeObject, job: KubeObject): void {
  try {
    ctx.store.delete(JOBS, job.metadata.namespace, job.metadata.name!, { uid: job.metadata.uid! });
    record(ctx, cronJob, "Normal", "SuccessfulDelete", `Deleted job ${job.metadata.name}`);
  } catch (error) {
    if (!(error instanceof StatusError && (error.code === 404 || error.code === 409))) throw error;
  }
}

function writeStatus(
  ctx: ControllerContext,
  cronJob: KubeObject,
  status: CronJobStatus,
  running: KubeObject[],
): void {
  // A reference is written once, when the Job is created: its resourceVersion is not kept fresh.
  const known = new Map((status.active ?? []).map((ref) => [ref.uid, ref]));
  const active: JobReference[] = running.map(
    (job) =>
      known.get(job.metadata.uid!) ??
      ({
        kind: "Job",
        namespace: job.metadata.namespace!,
        name: job.metadata.name!,
        uid: job.metadata.uid!,
        apiVersion: "batch/v1",
        resourceVersion: job.metadata.resourceVersion!,
      } as const),
  );
  const next: CronJobStatus = { ...status };
  if (active.length > 0) next.active = active;
  else delete next.active;
  const current = ctx.store.get(CRONJOBS, cronJob.metadata.namespace, cronJob.metadata.name!);
  if (current) replaceStatus(ctx.store, CRONJOBS, current, next);
}

function record(
  ctx: ControllerContext,
  cronJob: KubeObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
): void {
  ctx.events.record({
    kind: CRONJOBS,
    object: cronJob,
    type,
    reason,
    message,
    source: { component: "cronjob-controller" },
  });
}
