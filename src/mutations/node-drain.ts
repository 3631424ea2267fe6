/**
 * clusterNodeDrain: `kubectl drain` for one node, as the caller. The node is cordoned first (the
 * cordon operation's own call), so nothing new lands on it; its pods are listed as the caller
 * (fieldSelector spec.nodeName) and filtered as kubectl filters them (drain-filters.ts); then
 * every pod to go is evicted at once (pod-eviction.ts), within one deadline for retries and waits.
 *
 * The outcome is the node's: APPLIED when every pod went; INVALID when a filter refuses (nothing
 * evicted, as kubectl errs out); FORBIDDEN when the gateway refuses an eviction (nothing
 * evicted either); FAILED with code DRAIN_INCOMPLETE when pods stayed (a budget, a refusal by the
 * cluster, a pod still terminating) — retried by the same idempotency key, since waiting may
 * help. Each pod's result is in `details.pods`.
 */
import type { ClusterConnection, RequestOptions } from "../fleet/cluster-connection.js";
import type { KubeObject } from "../kube/object.js";
import { POD } from "../kinds/index.js";
import { drainVerdict, type DrainFilterOptions } from "./drain-filters.js";
import { cordonOperation, setUnschedulable } from "./node-cordon.js";
import type { DrainedPod, MutationOutcome, MutationStatus } from "./outcome.js";
import { removePod } from "./pod-eviction.js";
import type { GatewayAccess, Operation } from "./run.js";
import type { MutationTarget } from "./targets.js";

export interface DrainOptions extends DrainFilterOptions {
  /**
   * Whether the caller may see a pod (their Scope). Pods they may not are still drained — the
   * node is theirs to drain — but are reported without their names.
   */
  visible: (cluster: string, namespace: string, name: string) => boolean;
  gracePeriodSeconds?: number;
  timeoutSeconds: number;
  dryRun: boolean;
}

export const DEFAULT_DRAIN_TIMEOUT_SECONDS = 60;
export const MAX_DRAIN_TIMEOUT_SECONDS = 600;
/** The code of a drain that left pods behind (status FAILED): the pods' results say why. */
export const DRAIN_INCOMPLETE = "DRAIN_INCOMPLETE";

export function drainOperation(options: DrainOptions): Operation {
  // The node's question is the cordon's (patch nodes): the drain's first write is that patch.
  const cordon = cordonOperation(true, options.dryRun);
  return {
    name: "node.drain",
    question: (target) => cordon.question(target),
    apply: (connection, target, as, gateway) => drainNode(connection, target, as, options, gateway),
  };
}

/** Stands in for the namespace and name of a pod outside the caller's Scope. */
const UNSEEN = "(outside your scope)";

async function drainNode(
  connection: ClusterConnection,
  target: MutationTarget,
  as: RequestOptions,
  options: DrainOptions,
  gateway: GatewayAccess,
): Promise<MutationOutcome> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const seen = (pod: { namespace?: string | undefined; name?: string | undefined }): boolean =>
    options.visible(target.cluster, pod.namespace ?? "", pod.name ?? "");
  const podName = (pod: KubeObject): string =>
    seen(pod.metadata) ? `${pod.metadata.namespace}/${pod.metadata.name}` : UNSEEN;
  const cordon = await setUnschedulable(connection, target, as, true, options.dryRun);
  const node = cordon.object;
  const stays = options.dryRun ? "" : "; the node stays cordoned";
  const verdicts = (await podsOnNode(connection, target.name, as)).map((pod) => ({
    pod,
    verdict: drainVerdict(pod, options),
  }));
  const pods: DrainedPod[] = [];
  const record = (pod: KubeObject, result: DrainedPod["result"], reason: string): void => {
    pods.push(
      shown({ namespace: pod.metadata.namespace ?? "", name: pod.metadata.name ?? "", result, reason }),
    );
  };
  const shown = (p: DrainedPod): DrainedPod =>
    seen(p) ? p : { ...p, namespace: UNSEEN, name: UNSEEN, reason: p.result.toLowerCase() };
  const toRemove: KubeObject[] = [];
  const warnings = new Map<KubeObject, string>();
  for (const { pod, verdict } of verdicts) {
    if (verdict.action === "skip") record(pod, "SKIPPED", verdict.reason);
    else if (verdict.action === "refuse") record(pod, "BLOCKED", verdict.reason);
    else {
      toRemove.push(pod);
      if (verdict.warning) warnings.set(pod, verdict.warning);
    }
  }
  const outcome = (status: MutationStatus, message?: string, code: string = status): MutationOutcome => ({
    target,
    status,
    object: node,
    error: message === undefined ? null : { code, message },
    details: { pods },
  });
  const notStarted = (why: string): void => toRemove.forEach((pod) => record(pod, "SKIPPED", why));

  const refusals = groupedReasons(
    verdicts.flatMap(({ pod, verdict }) =>
      verdict.action === "refuse" ? [{ pod: podName(pod), reason: verdict.reason }] : [],
    ),
  );
  if (refusals) {
    notStarted("not evicted: a filter refused the drain");
    return outcome("INVALID", `${refusals}${stays}`);
  }
  const evictionApi = toRemove.length === 0 || (await servesEviction(connection));
  const denied = await gatewayRefusals(toRemove, target.cluster, evictionApi, gateway);
  if (denied.length > 0) {
    const refused = new Map(denied.map((d) => [d.pod, d.reason]));
    for (const pod of toRemove) {
      const reason = refused.get(pod);
      if (reason !== undefined) record(pod, "BLOCKED", `gateway: ${reason}`);
      else record(pod, "SKIPPED", "not evicted: the gateway refused another pod's eviction");
    }
    const list = denied.map((d) => `${podName(d.pod)}: ${d.reason}`).join("; ");
    return outcome("FORBIDDEN", `gateway: ${list}${stays}`);
  }

  const settings = {
    dryRun: options.dryRun,
    deadline,
    evictionApi,
    ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
  };
  const removed = await Promise.all(
    toRemove.map(async (pod) => {
      const done = await removePod(connection, pod, as, settings);
      const warning = warnings.get(pod);
      return warning ? { ...done, reason: `${done.reason} (${warning})` } : done;
    }),
  );
  pods.push(...removed.map(shown));
  const stayed = pods.filter((p) => p.result === "BLOCKED" || p.result === "FAILED");
  if (stayed.length > 0) {
    const list = stayed.map((p) => `${p.namespace}/${p.name} (${p.result.toLowerCase()}: ${p.reason})`);
    return outcome(
      "FAILED",
      `${stayed.length} of ${toRemove.length} pods stayed on the node: ${list.join("; ")}${stays}`,
      DRAIN_INCOMPLETE,
    );
  }
  if (options.dryRun) return outcome("DRY_RUN");
  return outcome(cordon.status === "UNCHANGED" && toRemove.length === 0 ? "UNCHANGED" : "APPLIED");
}

/** kubectl's aggregated error: each refusal, then the pods it names. */
function groupedReasons(refused: readonly { pod: string; reason: string }[]): string {
  const byReason = new Map<string, string[]>();
  for (const { pod, reason } of refused) byReason.set(reason, [...(byReason.get(reason) ?? []), pod]);
  return [...byReason].map(([reason, names]) => `${reason}: ${names.join(", ")}`).join("; ");
}

/** The node's pods, as the caller may list them, every page. */
async function podsOnNode(
  connection: ClusterConnection,
  node: string,
  as: RequestOptions,
): Promise<KubeObject[]> {
  const pods: KubeObject[] = [];
  let next: string | undefined;
  do {
    const page = await connection.listPage(POD.path, {
      fieldSelector: `spec.nodeName=${node}`,
      limit: 500,
      ...(next ? { continue: next } : {}),
      ...(as.impersonate ? { impersonate: as.impersonate } : {}),
    });
    pods.push(...page.items);
    next = page.continue;
  } while (next);
  return pods;
}

/** Whether the cluster serves pods/eviction (kubectl's CheckEvictionSupport: the core group's discovery). */
async function servesEviction(connection: ClusterConnection): Promise<boolean> {
  const core = await connection.request<{ resources?: { name?: string }[] }>("/api/v1");
  return (core.resources ?? []).some((r) => r.name === "pods/eviction");
}

/**
 * The gateway's access for each pod's removal (create pods/eviction, or delete pods without the
 * eviction API), asked before anything is evicted; the cluster decides again on the call.
 */
async function gatewayRefusals(
  pods: readonly KubeObject[],
  cluster: string,
  evictionApi: boolean,
  gateway: GatewayAccess,
): Promise<{ pod: KubeObject; reason: string }[]> {
  const answers = await Promise.all(
    pods.map(async (pod) => {
      const answer = await gateway({
        verb: evictionApi ? "create" : "delete",
        group: "",
        resource: "pods",
        ...(evictionApi ? { subresource: "eviction" } : {}),
        cluster,
        namespace: pod.metadata.namespace ?? "",
        name: pod.metadata.name ?? "",
      });
      return { pod, answer };
    }),
  );
  return answers
    .filter((a) => !a.answer.allowed)
    .map((a) => ({ pod: a.pod, reason: a.answer.reason ?? "the gateway's access rules refuse this" }));
}
