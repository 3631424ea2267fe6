/**
 * The resource-quota controller: status.hard is the spec's, status.used what the namespace's
 * unfinished pods count for — `pods`, `requests.cpu` / `requests.memory` (also under their bare
 * names `cpu` / `memory`) and `limits.cpu` / `limits.memory` — for the resources the quota
 * names. The totals are kept per namespace and moved by every pod change, so quotas cost
 * nothing while their pods merely restart. (Admission does not enforce quotas here.)
 */
import type { KubeObject } from "../../src/kube/object.js";
import { canonicalQuantity, formatQuantity, milliQuantity } from "../quantity.js";
import { replaceStatus, splitKey, type ChangeHandler, type ControllerContext } from "./context.js";
import { podResources, type PodResources } from "./pod-resources.js";
import { podSpec, podStatus } from "./pods.js";
import { PODS, RESOURCE_QUOTAS } from "./resources.js";

type Usage = ReadonlyMap<string, bigint>;

/** One usage per template's resources (shared by all its pods), not one per pod. */
const usageByResources = new WeakMap<PodResources, Usage>();

/** What one pod counts for, by quota resource name (thousandths); undefined once it has finished. */
function usageOf(pod: KubeObject | undefined): Usage | undefined {
  if (!pod) return undefined;
  const phase = podStatus(pod).phase;
  if (phase === "Succeeded" || phase === "Failed") return undefined;
  const resources = podResources(podSpec(pod));
  let usage = usageByResources.get(resources);
  if (!usage) {
    const { requests, limits } = resources;
    const cpu = requests.get("cpu") ?? 0n;
    const memory = requests.get("memory") ?? 0n;
    usage = new Map<string, bigint>([
      ["pods", 1000n],
      ["count/pods", 1000n],
      ["requests.cpu", cpu],
      ["cpu", cpu],
      ["requests.memory", memory],
      ["memory", memory],
      ["limits.cpu", limits.get("cpu") ?? 0n],
      ["limits.memory", limits.get("memory") ?? 0n],
    ]);
    usageByResources.set(resources, usage);
  }
  return usage;
}

/** The resources pods count for; others a quota may name are left out of status.used. */
const MEASURED = new Set([
  "pods",
  "count/pods",
  "requests.cpu",
  "cpu",
  "requests.memory",
  "memory",
  "limits.cpu",
  "limits.memory",
]);

const isMemory = (resource: string): boolean => resource === "memory" || resource.endsWith(".memory");

function canonical(text: unknown): string {
  try {
    return canonicalQuantity(String(text));
  } catch {
    return String(text);
  }
}

export function startResourceQuotaController(ctx: ControllerContext): ChangeHandler {
  const totals = new Map<string, Map<string, bigint>>();
  const quotas = new Map<string, Set<string>>();
  const queue = ctx.loop.queue("resourcequota", (key) => sync(ctx, key, totals));
  const apply = (namespace: string, usage: Usage | undefined, sign: bigint): void => {
    if (!usage) return;
    let total = totals.get(namespace);
    if (!total) totals.set(namespace, (total = new Map<string, bigint>()));
    for (const [resource, amount] of usage) total.set(resource, (total.get(resource) ?? 0n) + sign * amount);
  };
  for (const pod of ctx.store.all(PODS)) apply(pod.metadata.namespace!, usageOf(pod), 1n);
  for (const quota of ctx.store.all(RESOURCE_QUOTAS)) {
    const { namespace, name } = quota.metadata;
    if (!quotas.has(namespace!)) quotas.set(namespace!, new Set());
    quotas.get(namespace!)!.add(name!);
    queue.add(`${namespace}/${name}`);
  }
  return (change) => {
    const { namespace, name } = change.object.metadata;
    if (change.resource === RESOURCE_QUOTAS) {
      if (!quotas.has(namespace!)) quotas.set(namespace!, new Set());
      if (change.type === "DELETED") quotas.get(namespace!)!.delete(name!);
      else {
        quotas.get(namespace!)!.add(name!);
        queue.add(`${namespace}/${name}`);
      }
    } else if (change.resource === PODS) {
      const before = usageOf(change.prev);
      const after = change.type === "DELETED" ? undefined : usageOf(change.object);
      if (before === after) return;
      apply(namespace!, before, -1n);
      apply(namespace!, after, 1n);
      for (const quota of quotas.get(namespace!) ?? []) queue.add(`${namespace}/${quota}`);
    }
  };
}

function sync(ctx: ControllerContext, key: string, totals: Map<string, Map<string, bigint>>): void {
  const [namespace, name] = splitKey(key);
  const quota = ctx.store.get(RESOURCE_QUOTAS, namespace, name);
  if (!quota || quota.metadata.deletionTimestamp) return;
  const hard = (quota.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {};
  const total = totals.get(namespace!) ?? new Map<string, bigint>();
  const statusHard: Record<string, string> = {};
  const used: Record<string, string> = {};
  for (const resource of Object.keys(hard).sort()) {
    statusHard[resource] = canonical(hard[resource]);
    if (!MEASURED.has(resource)) continue;
    const format = isMemory(resource) ? "BinarySI" : "DecimalSI";
    used[resource] = formatQuantity(milliQuantity(total.get(resource) ?? 0n, format));
  }
  replaceStatus(ctx.store, RESOURCE_QUOTAS, quota, { hard: statusHard, used });
}
