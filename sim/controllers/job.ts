/**
 * The Job controller: runs up to `parallelism` pods at a time until `completions` of them have
 * Succeeded, then marks the Job Complete (completionTime, conditions, a Completed event). Failed
 * pods count against backoffLimit; a Job that exceeds it is marked Failed.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ChangeHandler, ControllerContext } from "./context.js";
import { ownerQueue } from "./owner-queue.js";
import { splitKey, replaceStatus } from "./context.js";
import { JOBS, PODS } from "./resources.js";
import {
  controlledPods,
  controllerReference,
  isActive,
  isReady,
  podFromTemplate,
  podStatus,
  type Condition,
  type PodTemplate,
} from "./pods.js";

interface JobSpec {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  suspend?: boolean;
  template?: PodTemplate;
}

interface JobStatus {
  startTime?: string;
  completionTime?: string;
  conditions?: Condition[];
  [field: string]: unknown;
}

export function startJobController(ctx: ControllerContext): ChangeHandler {
  return ownerQueue(ctx, JOBS, PODS, (key) => syncJob(ctx, key)).handle;
}

function finished(status: JobStatus): boolean {
  return (status.conditions ?? []).some(
    (c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True",
  );
}

function syncJob(ctx: ControllerContext, key: string): void {
  const [namespace, name] = splitKey(key);
  const job = ctx.store.get(JOBS, namespace, name);
  if (!job || job.metadata.deletionTimestamp) return;
  const spec = (job.spec ?? {}) as JobSpec;
  const previous = (job.status ?? {}) as JobStatus;
  if (finished(previous)) return;
  const uid = job.metadata.uid!;
  const pods = controlledPods(ctx.store.ownedBy(uid), uid);
  // Succeeded pods stay counted even when someone deletes them, as the job-tracking finalizer ensures.
  const succeeded = Math.max(
    pods.filter((p) => podStatus(p).phase === "Succeeded").length,
    (previous.succeeded as number | undefined) ?? 0,
  );
  const failed = pods.filter((p) => podStatus(p).phase === "Failed").length;
  const active = pods.filter(isActive);
  const completions = spec.completions ?? 1;
  const parallelism = spec.parallelism ?? 1;
  const stamp = ctx.timestamp();
  const status: JobStatus = { ...previous, startTime: previous.startTime ?? stamp };

  if (failed > (spec.backoffLimit ?? 6)) {
    status.conditions = [
      ...(previous.conditions ?? []),
      condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", stamp),
    ];
    record(ctx, job, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
  } else if (succeeded >= completions) {
    status.completionTime = stamp;
    status.conditions = [
      ...(previous.conditions ?? []),
      condition(
        "SuccessCriteriaMet",
        "CompletionsReached",
        "Reached expected number of succeeded pods",
        stamp,
      ),
      condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", stamp),
    ];
    record(ctx, job, "Normal", "Completed", "Job completed");
  } else if (!spec.suspend) {
    const want = Math.min(parallelism, completions - succeeded) - active.length;
    for (let i = 0; i < want; i++) {
      const pod = ctx.store.create(
        PODS,
        podFromTemplate(spec.template, {
          namespace: namespace!,
          generateName: `${name}-`,
          owner: controllerReference(JOBS, job),
          labels: {
            "batch.kubernetes.io/controller-uid": uid,
            "batch.kubernetes.io/job-name": name,
            "controller-uid": uid,
            "job-name": name,
          },
        }),
      );
      active.push(pod);
      record(ctx, job, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
    }
  }
  status.active = finished(status) ? 0 : active.length;
  status.ready = active.filter(isReady).length;
  status.succeeded = succeeded;
  status.failed = failed;
  status.terminating = 0;
  status.uncountedTerminatedPods = {};
  // Zero counts are omitempty in the real API (`ready` and `terminating` are always present).
  for (const field of ["active", "succeeded", "failed"]) if (status[field] === 0) delete status[field];
  replaceStatus(ctx.store, JOBS, job, status);
}

function condition(type: string, reason: string, message: string, stamp: string): Condition {
  return { type, status: "True", lastProbeTime: stamp, lastTransitionTime: stamp, reason, message };
}

function record(
  ctx: ControllerContext,
  job: KubeObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
): void {
  ctx.events.record({
    kind: JOBS,
    object: job,
    type,
    reason,
    message,
    source: { component: "job-controller" },
  });
}
