/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2), reduced to resource metrics: it reads
 * its target's scale (spec and status replicas, the pod template's requests), measures CPU from
 * the simulated load (memory sits at 60 % of the request), computes the replicas the real
 * controller would (ceil(current × utilization / target), untouched within the 10 % tolerance,
 * at most doubling — or +4 — in one step, clamped to min/max), scales the target when they
 * differ, and writes status: currentReplicas, desiredReplicas, currentMetrics, lastScaleTime and
 * the AbleToScale / ScalingActive / ScalingLimited conditions with the real reasons. It does not
 * keep the five-minute scale-down stabilization window: the simulator has no resync clock.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { findKind, type ResourceKind } from "../kinds.js";
import { formatQuantity, milliQuantity, parseQuantity } from "../quantity.js";
import { replaceStatus, splitKey, type ChangeHandler, type ControllerContext } from "./context.js";
import { Conditions } from "./conditions.js";
import { CpuLoad } from "./cpu-load.js";
import { podResources } from "./pod-resources.js";
import type { Condition, PodSpec } from "./pods.js";
import { AUTOSCALERS } from "./resources.js";

const TOLERANCE = 0.1;
const MEMORY_USE = 0.6;

interface MetricSpec {
  type?: string;
  resource?: {
    name?: string;
    target?: { type?: string; averageUtilization?: number; averageValue?: string };
  };
}

interface AutoscalerSpec {
  scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string };
  minReplicas?: number;
  maxReplicas?: number;
  metrics?: MetricSpec[];
}

interface Scalable {
  spec?: { replicas?: number; template?: { spec?: PodSpec } };
  status?: { replicas?: number };
}

/** What one metric says: its status entry and the replicas it asks for. */
interface Proposal {
  status: Record<string, unknown>;
  replicas: number;
  description: string;
}

export interface Autoscaling {
  handler: ChangeHandler;
  /** Sets the load on an autoscaler's target to what `replicas` pods at its CPU target would use. */
  setCpuDemand(namespace: string, autoscaler: string, replicas: number): void;
}

const targetKey = (namespace: string | undefined, kind: string, name: string): string =>
  `${namespace}/${kind}/${name}`;

function targetOf(hpa: KubeObject): { kind: ResourceKind | undefined; name: string; key: string } {
  const ref = (hpa.spec as AutoscalerSpec | undefined)?.scaleTargetRef ?? {};
  const kind = findKind(ref.apiVersion ?? "", ref.kind ?? "");
  const name = ref.name ?? "";
  return {
    kind: kind?.subresources.includes("scale") ? kind : undefined,
    name,
    key: targetKey(hpa.metadata.namespace, ref.kind ?? "", name),
  };
}

export function startAutoscaler(ctx: ControllerContext): Autoscaling {
  const load = new CpuLoad();
  const byTarget = new Map<string, Set<string>>();
  const watching = new Map<string, string>();
  const queue = ctx.loop.queue("horizontal-pod-autoscaler", (key) => sync(ctx, load, key));
  const track = (hpa: KubeObject, gone: boolean): void => {
    const key = `${hpa.metadata.namespace}/${hpa.metadata.name}`;
    const before = watching.get(key);
    if (before) byTarget.get(before)?.delete(key);
    watching.delete(key);
    if (gone) return;
    const target = targetOf(hpa).key;
    watching.set(key, target);
    if (!byTarget.has(target)) byTarget.set(target, new Set());
    byTarget.get(target)!.add(key);
    queue.add(key);
  };
  for (const hpa of ctx.store.all(AUTOSCALERS)) track(hpa, false);
  const handler: ChangeHandler = (change) => {
    if (change.resource === AUTOSCALERS) {
      track(change.object, change.type === "DELETED");
      return;
    }
    if (!change.resource.subresources.includes("scale")) return;
    const { namespace, name } = change.object.metadata;
    for (const key of byTarget.get(targetKey(namespace, change.resource.kind, name!)) ?? []) queue.add(key);
  };
  return {
    handler,
    setCpuDemand: (namespace, autoscaler, replicas) => {
      const hpa = ctx.store.get(AUTOSCALERS, namespace, autoscaler);
      const target = hpa && targetOf(hpa);
      const scalable = target?.kind && ctx.store.get(target.kind, namespace, target.name);
      if (!hpa || !target || !scalable) return;
      const request = cpuRequest(scalable);
      const percent = cpuTarget(hpa);
      if (request === 0 || percent === undefined) return;
      load.set(target.key, replicas * request * (percent / 100));
      queue.add(`${namespace}/${autoscaler}`);
    },
  };
}

/** Millicores of CPU one pod of the target requests. */
function cpuRequest(scalable: KubeObject): number {
  const spec = (scalable as Scalable).spec?.template?.spec;
  return spec ? Number(podResources(spec).requests.get("cpu") ?? 0n) : 0;
}

function cpuTarget(hpa: KubeObject): number | undefined {
  const metric = ((hpa.spec as AutoscalerSpec).metrics ?? []).find(
    (m) => m.type === "Resource" && m.resource?.name === "cpu",
  );
  return metric?.resource?.target?.averageUtilization;
}

function sync(ctx: ControllerContext, load: CpuLoad, key: string): void {
  const [namespace, name] = splitKey(key);
  const hpa = ctx.store.get(AUTOSCALERS, namespace, name);
  if (!hpa || hpa.metadata.deletionTimestamp) return;
  const spec = (hpa.spec ?? {}) as AutoscalerSpec;
  const target = targetOf(hpa);
  const scalable = target.kind && ctx.store.get(target.kind, namespace, target.name);
  const previous = (hpa.status ?? {}) as Record<string, unknown>;
  const conditions = new Conditions(previous.conditions as Condition[] | undefined, ctx.timestamp());
  if (!target.kind || !scalable) {
    const resource = target.kind
      ? `${target.kind.plural}.${target.kind.group}`
      : (spec.scaleTargetRef?.kind ?? "");
    conditions.set(
      "AbleToScale",
      "False",
      "FailedGetScale",
      `the HPA controller was unable to get the target's current scale: ${resource} "${target.name}" not found`,
    );
    write(ctx, hpa, { ...previous, conditions: conditions.list() });
    return;
  }
  const current = (scalable as Scalable).spec?.replicas ?? 1;
  const status: Record<string, unknown> = {
    observedGeneration: hpa.metadata.generation ?? 1,
    ...(previous.lastScaleTime ? { lastScaleTime: previous.lastScaleTime } : {}),
    currentReplicas: current,
  };
  conditions.set(
    "AbleToScale",
    "True",
    "SucceededGetScale",
    "the HPA controller was able to get the target's current scale",
  );
  if (current === 0 && (spec.minReplicas ?? 1) !== 0) {
    conditions.set(
      "ScalingActive",
      "False",
      "ScalingDisabled",
      "scaling is disabled since the replica count of the target is zero",
    );
    write(ctx, hpa, { ...status, desiredReplicas: 0, conditions: conditions.list() });
    return;
  }
  const measured = measure(scalable, spec.metrics ?? [], current, load, target.key);
  if (typeof measured === "string") {
    conditions.set(
      "ScalingActive",
      "False",
      "FailedGetResourceMetric",
      `the HPA was unable to compute the replica count: ${measured}`,
    );
    write(ctx, hpa, { ...status, desiredReplicas: current, conditions: conditions.list() });
    return;
  }
  const best = measured.reduce((a, b) => (b.replicas > a.replicas ? b : a));
  conditions.set(
    "ScalingActive",
    "True",
    "ValidMetricFound",
    `the HPA was able to successfully calculate a replica count from ${best.description}`,
  );
  const desired = limit(best.replicas, current, spec, conditions);
  if (desired !== current) {
    ctx.store.update(target.kind, { ...scalable, spec: { ...(scalable.spec as object), replicas: desired } });
    status.lastScaleTime = ctx.timestamp();
    conditions.set(
      "AbleToScale",
      "True",
      "SucceededRescale",
      `the HPA controller was able to update the target scale to ${desired}`,
    );
    ctx.events.record({
      kind: AUTOSCALERS,
      object: hpa,
      type: "Normal",
      reason: "SuccessfulRescale",
      message: `New size: ${desired}; reason: ${desired > current ? `${best.description} above target` : "All metrics below target"}`,
      source: { component: "horizontal-pod-autoscaler" },
    });
  } else {
    conditions.set("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size");
  }
  write(ctx, hpa, {
    ...status,
    desiredReplicas: desired,
    currentMetrics: measured.map((m) => m.status),
    conditions: conditions.list(),
  });
}

/** Every metric's proposal, or why none could be computed. */
function measure(
  scalable: KubeObject,
  metrics: MetricSpec[],
  current: number,
  load: CpuLoad,
  key: string,
): Proposal[] | string {
  const template = (scalable as Scalable).spec?.template?.spec ?? {};
  const requests = podResources(template).requests;
  const pods = (scalable as Scalable).status?.replicas ?? 0;
  if (pods === 0)
    return "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)";
  const out: Proposal[] = [];
  for (const metric of metrics) {
    const name = metric.resource?.name ?? "";
    if (metric.type !== "Resource" || (name !== "cpu" && name !== "memory")) {
      out.push({ status: { type: "" }, replicas: 0, description: "" });
      continue;
    }
    const request = Number(requests.get(name) ?? 0n);
    const container = template.containers?.find(
      (c) => !c.resources?.requests?.[name] && !c.resources?.limits?.[name],
    );
    if (request === 0 || container)
      return `failed to get ${name} utilization: missing request for ${name} in container ${container?.name ?? ""} of Pod ${scalable.metadata.name}`;
    const targetPercent = metric.resource?.target?.averageUtilization;
    const total =
      name === "cpu" ? load.of(key, current, request, targetPercent ?? 80) : request * MEMORY_USE * pods;
    const perPod = Math.round(total / pods);
    const utilization = Math.floor((perPod * 100) / request);
    const averageValue = formatQuantity(milliQuantity(perPod, name === "memory" ? "BinarySI" : "DecimalSI"));
    const ratio =
      targetPercent !== undefined
        ? utilization / targetPercent
        : perPod / Number(parseTarget(metric.resource?.target?.averageValue));
    const replicas = Math.abs(ratio - 1) <= TOLERANCE ? current : Math.ceil(ratio * pods);
    out.push({
      status: {
        type: "Resource",
        resource: { name, current: { averageUtilization: utilization, averageValue } },
      },
      replicas,
      description:
        targetPercent !== undefined
          ? `${name} resource utilization (percentage of request)`
          : `${name} resource`,
    });
  }
  return out;
}

/** An AverageValue target in thousandths; an unparsable one never asks for more pods. */
function parseTarget(text: string | undefined): number {
  try {
    return text ? Number(parseQuantity(text).milli) : Infinity;
  } catch {
    return Infinity;
  }
}

/** The scale-up rate limit (double, or four more) and the min/max range, with the condition saying which applied. */
function limit(proposed: number, current: number, spec: AutoscalerSpec, conditions: Conditions): number {
  const min = spec.minReplicas ?? 1;
  const max = spec.maxReplicas ?? proposed;
  const fastest = Math.max(current * 2, current + 4);
  if (proposed > max) {
    conditions.set(
      "ScalingLimited",
      "True",
      "TooManyReplicas",
      "the desired replica count is more than the maximum replica count",
    );
    return max;
  }
  if (proposed < min) {
    conditions.set(
      "ScalingLimited",
      "True",
      "TooFewReplicas",
      "the desired replica count is less than the minimum replica count",
    );
    return min;
  }
  if (proposed > fastest) {
    conditions.set(
      "ScalingLimited",
      "True",
      "ScaleUpLimit",
      "the desired replica count is increasing faster than the maximum scale rate",
    );
    return fastest;
  }
  conditions.set(
    "ScalingLimited",
    "False",
    "DesiredWithinRange",
    "the desired count is within the acceptable range",
  );
  return proposed;
}

function write(ctx: ControllerContext, hpa: KubeObject, status: Record<string, unknown>): void {
  replaceStatus(ctx.store, AUTOSCALERS, hpa, status);
}
