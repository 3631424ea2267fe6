/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2), reduced to resource metrics: it reads
 * its target's scale (spec and status replicas, the pod template's requests), asks the metrics
 * what replica count they recommend (autoscaler-replicas.ts), scales the target when that
 * differs, and writes status: currentReplicas, desiredReplicas, currentMetrics, lastScaleTime and
 * the AbleToScale / ScalingActive / ScalingLimited conditions with the real reasons. There is no
 * five-minute scale-down stabilization window (the simulator has no resync clock); measuring per
 * requested replica keeps it from flapping instead.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { findKind, type ResourceKind } from "../kinds.js";
import { replaceStatus, splitKey, type ChangeHandler, type ControllerContext } from "./context.js";
import { Conditions } from "./conditions.js";
import { CpuLoad } from "./cpu-load.js";
import { limit, measure, type AutoscalerSpec, type Scalable } from "./autoscaler-replicas.js";
import { podResources } from "./pod-resources.js";
import type { Condition } from "./pods.js";
import { AUTOSCALERS } from "./resources.js";

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
  let measured = measure(scalable, spec.metrics ?? [], current, load, target.key);
  // Only resource metrics are simulated; an autoscaler with nothing else has nothing to go on.
  if (typeof measured !== "string" && !measured.some((m) => m.description))
    measured = "no metrics returned: only Resource metrics (cpu, memory) are simulated";
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
  const best = measured.reduce((a, b) => (b.replicas > a.replicas || !a.description ? b : a));
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

function write(ctx: ControllerContext, hpa: KubeObject, status: Record<string, unknown>): void {
  replaceStatus(ctx.store, AUTOSCALERS, hpa, status);
}
