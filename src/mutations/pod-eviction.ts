/**
 * Removing one pod as `kubectl drain` does: a policy/v1 Eviction (the budget-aware delete),
 * retried while a PodDisruptionBudget forbids it (429) until the drain's deadline, then a wait
 * until the pod is gone (404, or a new pod of the same name). Where the cluster serves no
 * eviction subresource, a plain DELETE, which no budget checks.
 */
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import { ClusterError, DISRUPTION_BUDGET_CAUSE } from "../fleet/errors.js";
import { objectPath } from "../fleet/resources.js";
import type { KubeObject } from "../kube/object.js";
import { POD } from "../kinds/index.js";
import { deleteOptions } from "./object-delete.js";
import type { DrainedPod } from "./outcome.js";

export interface EvictionSettings {
  gracePeriodSeconds?: number;
  dryRun: boolean;
  /** Epoch ms after which nothing is retried or waited for. */
  deadline: number;
  /** True when the cluster serves pods/eviction; otherwise pods are deleted. */
  evictionApi: boolean;
}

/** Between attempts while a budget forbids an eviction, and between looks at a leaving pod. */
export const EVICTION_RETRY_MS = 1_000;
const GONE_POLL_MS = 200;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function removePod(
  connection: ClusterConnection,
  pod: KubeObject,
  as: RequestOptions,
  settings: EvictionSettings,
): Promise<DrainedPod> {
  const namespace = pod.metadata.namespace ?? "";
  const name = pod.metadata.name ?? "";
  const result = (what: DrainedPod["result"], reason: string): DrainedPod => ({
    namespace,
    name,
    result: what,
    reason,
  });
  const path = objectPath(POD.path, namespace, name);
  const options = deleteOptions({
    dryRun: settings.dryRun,
    ...(settings.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: settings.gracePeriodSeconds } : {}),
  });
  const query = settings.dryRun ? "?dryRun=All" : "";
  for (;;) {
    try {
      if (settings.evictionApi) {
        const eviction = {
          apiVersion: "policy/v1",
          kind: "Eviction",
          metadata: { name, namespace },
          deleteOptions: options,
        };
        await connection.write(
          { method: "POST", contentType: "application/json", body: JSON.stringify(eviction) },
          `${path}/eviction${query}`,
          "create",
          as,
        );
      } else {
        await connection.write(
          { method: "DELETE", contentType: "application/json", body: JSON.stringify(options) },
          `${path}${query}`,
          "delete",
          as,
        );
      }
      break;
    } catch (error) {
      if (!(error instanceof ClusterError)) throw error;
      if (error.httpStatus === 404) return result("SKIPPED", "already gone");
      const budget = error.causes.find((c) => c.reason === DISRUPTION_BUDGET_CAUSE)?.message;
      if (error.httpStatus !== 429) return result("FAILED", error.detail);
      // A dry run spends no budget: asking again would answer the same.
      if (settings.dryRun || Date.now() + EVICTION_RETRY_MS > settings.deadline) {
        return budget ? result("BLOCKED", budget) : result("FAILED", error.detail);
      }
      await sleep(EVICTION_RETRY_MS);
    }
  }
  const done = settings.evictionApi ? "EVICTED" : "DELETED";
  const how = settings.evictionApi ? "" : " (the cluster serves no eviction API: deleted, no budget checked)";
  if (settings.dryRun) return result(done, `dry run: accepted by the API server, nothing removed${how}`);
  const verb = done === "EVICTED" ? "evicted" : "deleted";
  const left = await gone(connection, path, pod.metadata.uid, as, settings.deadline);
  if (left === true) return result(done, `gone${how}`);
  return result("FAILED", `${verb}${how}, but ${left === false ? "still terminating at the timeout" : left}`);
}

/**
 * Waits until the pod is gone: 404, or the name now belongs to another pod (a StatefulSet's).
 * False at the deadline; why not, when the pod could not be read (the pod's result says so, the
 * other pods' results stand).
 */
async function gone(
  connection: ClusterConnection,
  path: string,
  uid: string | undefined,
  as: RequestOptions,
  deadline: number,
): Promise<boolean | string> {
  for (;;) {
    try {
      const current = await connection.request<KubeObject>(path, as);
      if (current.metadata.uid !== uid) return true;
    } catch (error) {
      if (error instanceof ClusterError && error.httpStatus === 404) return true;
      if (!(error instanceof ClusterError)) throw error;
      if (!error.retryable) return `could not be read since: ${error.detail}`;
    }
    if (Date.now() + GONE_POLL_MS > deadline) return false;
    await sleep(GONE_POLL_MS);
  }
}
