/**
 * What an autoscaler's metrics recommend and what its rules allow, as the real controller
 * computes it: per metric, ceil(pods × current / target), or the current count within the 10 %
 * tolerance; the largest proposal wins; then at most doubling (or four more) in one step, and
 * the min/max range, each limit named by the ScalingLimited condition it sets. CPU comes from the
 * simulated load, memory sits at 60 % of the request, both per replica the target asks for.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { formatQuantity, milliQuantity, parseQuantity } from "../quantity.js";
import type { Conditions } from "./conditions.js";
import type { CpuLoad } from "./cpu-load.js";
import { podResources } from "./pod-resources.js";
import type { PodSpec } from "./pods.js";

const TOLERANCE = 0.1;
const MEMORY_USE = 0.6;

export interface MetricSpec {
  type?: string;
  resource?: {
    name?: string;
    target?: { type?: string; averageUtilization?: number; averageValue?: string };
  };
}

export interface AutoscalerSpec {
  scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string };
  minReplicas?: number;
  maxReplicas?: number;
  metrics?: MetricSpec[];
}

export interface Scalable {
  spec?: { replicas?: number; template?: { spec?: PodSpec } };
  status?: { replicas?: number };
}

/** What one metric says: its status entry and the replicas it asks for. */
export interface Proposal {
  status: Record<string, unknown>;
  replicas: number;
  description: string;
}

/** Every metric's proposal, or why none could be computed. */
export function measure(
  scalable: KubeObject,
  metrics: MetricSpec[],
  current: number,
  load: CpuLoad,
  key: string,
): Proposal[] | string {
  const template = (scalable as Scalable).spec?.template?.spec ?? {};
  const requests = podResources(template).requests;
  // The load is spread over the replicas the target asks for, not over the pods that happen to
  // exist: a rollout's surge or pods still starting would otherwise read as a drop in load and
  // make the autoscaler flap, which the real one's scale-down stabilization window prevents.
  const pods = current;
  if (((scalable as Scalable).status?.replicas ?? 0) === 0)
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
export function limit(
  proposed: number,
  current: number,
  spec: AutoscalerSpec,
  conditions: Conditions,
): number {
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
