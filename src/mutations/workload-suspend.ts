/**
 * workloadSuspend and workloadResume: Deployments paused (`kubectl rollout pause`: the
 * controller stops rolling out template changes), CronJobs and Jobs suspended (no new Jobs, or
 * the Job's pods stopped). One merge patch of the field each kind has; already so: UNCHANGED.
 */
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import { objectPath } from "../fleet/resources.js";
import type { KubeObject } from "../kube/object.js";
import { CRON_JOB, DEPLOYMENT, JOB } from "../kinds/workloads.js";
import type { MutationOutcome } from "./outcome.js";
import { verbOn, type Operation } from "./run.js";
import type { MutationTarget } from "./targets.js";

export const SUSPENDABLE_KINDS = [DEPLOYMENT, CRON_JOB, JOB] as const;

/** The spec field that holds a kind's suspension. */
const FIELD: Readonly<Record<string, "paused" | "suspend">> = {
  Deployment: "paused",
  CronJob: "suspend",
  Job: "suspend",
};

export function suspendOperation(suspend: boolean, dryRun: boolean): Operation {
  return {
    name: suspend ? "workload.suspend" : "workload.resume",
    question: verbOn("patch"),
    apply: (connection, target, as) => setSuspended(connection, target, as, suspend, dryRun),
  };
}

async function setSuspended(
  connection: ClusterConnection,
  target: MutationTarget,
  as: RequestOptions,
  suspend: boolean,
  dryRun: boolean,
): Promise<MutationOutcome> {
  const field = FIELD[target.kind]!;
  const path = objectPath(target.path, target.namespace, target.name);
  const object = await connection.write<KubeObject>(
    {
      method: "PATCH",
      contentType: "application/merge-patch+json",
      body: JSON.stringify({ spec: { [field]: suspend } }),
    },
    `${path}${dryRun ? "?dryRun=All" : ""}`,
    "patch",
    as,
  );
  if (dryRun) return { target, status: "DRY_RUN", object, error: null };
  // The API server stores a no-op patch without a new resourceVersion.
  const before = target.entry ? String(target.entry.resourceVersion) : "";
  const unchanged = before !== "" && object.metadata.resourceVersion === before;
  return { target, status: unchanged ? "UNCHANGED" : "APPLIED", object, error: null };
}
