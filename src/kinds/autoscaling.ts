/** HorizontalPodAutoscalers (autoscaling/v2): the workload they scale, and how far. */
import type { CacheEntry } from "../cache/entry.js";
import { intern } from "../cache/intern.js";
import { arr, num, obj, str, time, type Json } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, given, groupPath, type KindDescriptor } from "./descriptor.js";
import { conditions, type ConditionView } from "./shared.js";

export interface AutoscalerMetricView {
  /** Resource, Pods, Object, External, ContainerResource. */
  type: string;
  /** The resource or metric name (cpu, memory, requests-per-second). */
  name: string;
  /** Utilization, Value or AverageValue. */
  targetType: string;
  /** The target: a percentage for Utilization, a quantity otherwise. */
  target: string | undefined;
  /** The current value, in the target's terms; undefined until measured. */
  current: string | undefined;
}

export interface HorizontalPodAutoscalerData {
  targetKind: string;
  targetName: string;
  targetApiVersion: string | undefined;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  metrics: AutoscalerMetricView[];
  lastScaleTime: number | undefined;
  conditions: ConditionView[];
}

export interface AutoscalerListFilter {
  targetKinds?: string[] | null;
  /** true: desired replicas at maxReplicas (it cannot scale further up). */
  atMaximum?: boolean | null;
}

/** The metric source object of a spec or status metric entry, by its type. */
function source(metric: Json): Json {
  const type = str(metric.type) ?? "";
  const key = type.charAt(0).toLowerCase() + type.slice(1);
  return obj(metric[key]);
}

function metricName(src: Json): string {
  return str(src.name) ?? str(obj(src.metric).name) ?? "";
}

function targetValue(target: Json): string | undefined {
  if (typeof target.averageUtilization === "number") return String(target.averageUtilization);
  return str(target.averageValue) ?? str(target.value);
}

function currentValue(current: Json): string | undefined {
  if (typeof current.averageUtilization === "number") return String(current.averageUtilization);
  return str(current.averageValue) ?? str(current.value);
}

export function autoscalerData(o: KubeObject): HorizontalPodAutoscalerData {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const target = obj(spec.scaleTargetRef);
  const currents = arr(status.currentMetrics).map(obj);
  return {
    targetKind: intern(str(target.kind) ?? ""),
    targetName: str(target.name) ?? "",
    targetApiVersion: str(target.apiVersion),
    minReplicas: typeof spec.minReplicas === "number" ? spec.minReplicas : 1,
    maxReplicas: num(spec.maxReplicas),
    currentReplicas: num(status.currentReplicas),
    desiredReplicas: num(status.desiredReplicas),
    metrics: arr(spec.metrics).map((m) => {
      const metric = obj(m);
      const src = source(metric);
      const type = str(metric.type) ?? "";
      const name = metricName(src);
      const now = currents.find((c) => c.type === type && metricName(source(c)) === name);
      const goal = obj(src.target);
      return {
        type: intern(type),
        name: intern(name),
        targetType: intern(str(goal.type) ?? ""),
        target: targetValue(goal),
        current: now ? currentValue(obj(source(now).current)) : undefined,
      };
    }),
    lastScaleTime: time(status.lastScaleTime),
    conditions: conditions(status),
  };
}

const data = (e: CacheEntry) => e.data as HorizontalPodAutoscalerData;

export const HORIZONTAL_POD_AUTOSCALER: KindDescriptor<HorizontalPodAutoscalerData, AutoscalerListFilter> = {
  kind: "HorizontalPodAutoscaler",
  graphqlType: "HorizontalPodAutoscaler",
  list: "HorizontalPodAutoscaler",
  path: groupPath("autoscaling", "v2", "horizontalpodautoscalers"),
  project: autoscalerData,
  // A workload's autoscaler is found by its target: "<Kind>/<name>" in the workload's namespace.
  indexes: { target: (e) => `${e.data.targetKind}/${e.data.targetName}` },
  predicate: (filter) => {
    const kinds = given(filter.targetKinds) ? new Set(filter.targetKinds) : undefined;
    return allOf([
      kinds !== undefined && ((e) => kinds.has(data(e).targetKind)),
      given(filter.atMaximum) && ((e) => data(e).desiredReplicas >= data(e).maxReplicas === filter.atMaximum),
    ]);
  },
};
