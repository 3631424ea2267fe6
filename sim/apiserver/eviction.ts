/**
 * POST pods/<name>/eviction: a policy/v1 (or v1beta1) Eviction, the API-initiated, budget-aware
 * delete that `kubectl drain` uses. As the real handler (pkg/registry/core/pod/storage/eviction.go):
 * a pod that is not running (or already being deleted) is deleted at once; a pod selected by one
 * PodDisruptionBudget is deleted only if the budget allows a disruption, which the handler spends
 * (disruptionsAllowed - 1, the pod noted in disruptedPods) before deleting, so two evictions cannot
 * both take the last one; a pod selected by more than one budget cannot be evicted at all.
 */
import { isJsonObject, type JsonObject, type KubeObject } from "../../src/kube/object.js";
import { StatusError, statusErrors } from "../errors.js";
import {
  budgetSpec,
  budgetStatus,
  budgetsOfPod,
  withDisruptionAllowed,
  type BudgetStatus,
} from "../disruption-budget.js";
import { DISRUPTION_BUDGETS } from "../controllers/resources.js";
import { readObject } from "./request-body.js";
import { isDryRun, type ResourceRequest } from "./resource-request.js";

const EVICTION_VERSIONS = ["policy/v1", "policy/v1beta1"];
const BUDGET_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export async function serveEviction(r: ResourceRequest): Promise<void> {
  const eviction = await readObject(r.req);
  if (eviction.kind !== "Eviction" || !EVICTION_VERSIONS.includes(String(eviction.apiVersion))) {
    throw statusErrors.badRequest(
      `the body of the request must be an Eviction of policy/v1 or policy/v1beta1, not ${JSON.stringify(eviction.apiVersion ?? "")}, Kind=${JSON.stringify(eviction.kind ?? "")}`,
    );
  }
  const meta = isJsonObject(eviction.metadata) ? eviction.metadata : {};
  if (meta.name !== undefined && meta.name !== "" && meta.name !== r.name) {
    throw statusErrors.badRequest("name in URL does not match name in Eviction object");
  }
  const options = isJsonObject(eviction.deleteOptions) ? eviction.deleteOptions : {};
  const dryRun =
    isDryRun(r.query) || (Array.isArray(options.dryRun) && (options.dryRun as unknown[]).includes("All"));
  const preconditions = preconditionsOf(options);

  // From here on everything is synchronous: the budget read and the budget spent are one state.
  const pod = r.ctx.store.mustGet(r.kind, r.namespace, r.name);
  const outcome = admit(r, pod, dryRun);
  if (outcome.failure) {
    await r.reply.json(outcome.failure.code, JSON.stringify(outcome.failure));
    return;
  }
  if (!dryRun) {
    evict(r, pod, { ...preconditions, ...outcome.preconditions });
  }
  await r.reply.json(
    201,
    JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 }),
  );
}

function preconditionsOf(options: JsonObject): Preconditions {
  const pre = isJsonObject(options.preconditions) ? options.preconditions : {};
  return {
    ...(typeof pre.uid === "string" && pre.uid ? { uid: pre.uid } : {}),
    ...(typeof pre.resourceVersion === "string" && pre.resourceVersion
      ? { resourceVersion: pre.resourceVersion }
      : {}),
  };
}

/** A Status failure answered as is (500 has no reason in the real answer), or extra preconditions. */
interface Admission {
  failure?: {
    kind: "Status";
    apiVersion: "v1";
    metadata: object;
    status: "Failure";
    message: string;
    code: number;
  };
  preconditions?: Preconditions;
}

/** Throws the 429/403 of a budget that forbids it; otherwise says how the delete must go. */
function admit(r: ResourceRequest, pod: KubeObject, dryRun: boolean): Admission {
  // A pod that is not running has caused its disruption already: no budget applies.
  const phase = (pod.status as { phase?: string } | undefined)?.phase ?? "";
  if (["Succeeded", "Failed", "Pending", ""].includes(phase) || pod.metadata.deletionTimestamp) return {};
  const budgets = budgetsOfPod(r.ctx.store, pod);
  if (budgets.length > 1) {
    return {
      failure: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message:
          "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
        code: 500,
      },
    };
  }
  const pdb = budgets[0];
  if (!pdb) return {};
  const status = budgetStatus(pdb);
  if (!ready(pod)) {
    // An unready pod does not count as healthy: evicting it costs the budget nothing, as long as
    // the pod is still unready when it is deleted (hence the resourceVersion precondition).
    const always = budgetSpec(pdb).unhealthyPodEvictionPolicy === "AlwaysAllow";
    if (always || (status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0))
      return { preconditions: { resourceVersion: pod.metadata.resourceVersion! } };
  }
  spendDisruption(r, pdb, status, pod.metadata.name!, dryRun);
  return {};
}

function spendDisruption(
  r: ResourceRequest,
  pdb: KubeObject,
  status: BudgetStatus,
  podName: string,
  dryRun: boolean,
): void {
  const name = pdb.metadata.name!;
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`, 10);
  }
  if (status.disruptionsAllowed < 0) {
    throw statusErrors.forbidden(
      `poddisruptionbudgets.policy "${name}" is forbidden: pdb disruptions allowed is negative`,
      "policy",
      "poddisruptionbudgets",
      name,
    );
  }
  if (status.disruptionsAllowed === 0) {
    throw tooManyRequests(
      `The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
    );
  }
  const next: BudgetStatus = { ...status, disruptionsAllowed: status.disruptionsAllowed - 1 };
  if (next.disruptionsAllowed === 0) next.conditions = withDisruptionAllowed(next, now());
  if (dryRun) return;
  next.disruptedPods = { ...status.disruptedPods, [podName]: now() };
  r.ctx.store.update(DISRUPTION_BUDGETS, { ...pdb, status: next }, { checkVersion: true });
}

function tooManyRequests(cause: string, retryAfterSeconds?: number): StatusError {
  return new StatusError(429, "TooManyRequests", BUDGET_VIOLATION, {
    causes: [{ reason: "DisruptionBudget", message: cause }],
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });
}

/** Marks the pod as a disruption target (PodDisruptionConditions, GA in 1.31), then deletes it. */
function evict(r: ResourceRequest, pod: KubeObject, preconditions: Preconditions): void {
  const { store } = r.ctx;
  const { uid, resourceVersion } = preconditions;
  if (
    (uid && uid !== pod.metadata.uid) ||
    (resourceVersion && resourceVersion !== pod.metadata.resourceVersion)
  ) {
    // Let the store word the precondition failure, as a delete would.
    store.delete(r.kind, r.namespace, r.name, preconditions);
    return;
  }
  const status = (pod.status ?? {}) as { conditions?: { type: string }[] };
  const stamp = now();
  const conditions = [
    ...(status.conditions ?? []).filter((c) => c.type !== "DisruptionTarget"),
    {
      type: "DisruptionTarget",
      status: "True",
      lastProbeTime: null,
      lastTransitionTime: stamp,
      reason: "EvictionByEvictionAPI",
      message: "Eviction API: evicting",
    },
  ];
  const marked = store.update(r.kind, { ...pod, status: { ...status, conditions } });
  store.delete(r.kind, r.namespace, r.name, { uid: marked.metadata.uid! });
}

const ready = (pod: KubeObject): boolean =>
  ((pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === "Ready" && c.status === "True",
  );

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
