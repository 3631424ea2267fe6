/**
 * The columns of `kubectl get hpa`. TARGETS is formatHPAMetrics: "<current>/<target>" per metric
 * ("cpu: 42%/70%" for a utilization target since Kubernetes 1.30), the first two of them and
 * "+ N more..." for the rest.
 */
import type { JsonObject, KubeObject } from "../../../src/kube/object.js";
import { since } from "./human-duration.js";
import {
  AGE_COLUMN,
  at,
  column,
  int,
  list,
  NAME_COLUMN,
  str,
  quantityText,
  type RowPrinter,
} from "./columns.js";

const percent = (value: unknown): string | undefined => (typeof value === "number" ? `${value}%` : undefined);

/** A Resource or ContainerResource metric: an average value, or a utilization of the request. */
function resourceTarget(spec: JsonObject, status: JsonObject | undefined): string {
  const target = at(spec, "target.averageValue");
  if (target !== undefined) {
    const current = status ? quantityText(at(status, "current.averageValue")) : "<unknown>";
    return `${str(spec, "name")}: ${current}/${quantityText(target)}`;
  }
  const current = (status && percent(at(status, "current.averageUtilization"))) ?? "<unknown>";
  return `${str(spec, "name")}: ${current}/${percent(at(spec, "target.averageUtilization")) ?? "<auto>"}`;
}

/** An Object or External metric: an average value per pod ("(avg)") or a plain value. */
function valueTarget(spec: JsonObject, status: JsonObject | undefined): string {
  const average = at(spec, "target.averageValue");
  if (average !== undefined) {
    const current = status && at(status, "current.averageValue") !== undefined;
    return `${current ? quantityText(at(status, "current.averageValue")) : "<unknown>"}/${quantityText(average)} (avg)`;
  }
  return `${status ? quantityText(at(status, "current.value")) : "<unknown>"}/${quantityText(at(spec, "target.value"))}`;
}

function metricText(spec: JsonObject, status: JsonObject | undefined): string {
  const type = str(spec, "type");
  const key: Record<string, string> = {
    Resource: "resource",
    ContainerResource: "containerResource",
    Pods: "pods",
    Object: "object",
    External: "external",
  };
  const field = key[type];
  if (!field) return "<unknown type>";
  const specPart = (spec[field] ?? {}) as JsonObject;
  const statusPart = status?.[field] as JsonObject | undefined;
  if (type === "Resource" || type === "ContainerResource") return resourceTarget(specPart, statusPart);
  if (type === "Pods") {
    const current = statusPart ? quantityText(at(statusPart, "current.averageValue")) : "<unknown>";
    return `${current}/${quantityText(at(specPart, "target.averageValue"))}`;
  }
  return valueTarget(specPart, statusPart);
}

function targets(hpa: KubeObject): string {
  const specs = list(hpa, "spec.metrics");
  if (specs.length === 0) return "<none>";
  const statuses = list(hpa, "status.currentMetrics");
  const texts = specs.map((spec, i) => metricText(spec, statuses[i]));
  return texts.length > 2
    ? `${texts.slice(0, 2).join(", ")} + ${texts.length - 2} more...`
    : texts.join(", ");
}

export const horizontalPodAutoscalerPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Reference", "scaleTargetRef points to the target resource to scale."),
    column(
      "Targets",
      "metrics contains the specifications for which to use to calculate the desired replica count.",
    ),
    column(
      "MinPods",
      "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.",
    ),
    column(
      "MaxPods",
      "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.",
    ),
    column("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler."),
    AGE_COLUMN,
  ],
  cells: (hpa, now) => {
    const min = at(hpa, "spec.minReplicas");
    return [
      hpa.metadata.name ?? "",
      `${str(hpa, "spec.scaleTargetRef.kind")}/${str(hpa, "spec.scaleTargetRef.name")}`,
      targets(hpa),
      typeof min === "number" ? String(min) : "<unset>",
      int(hpa, "spec.maxReplicas"),
      int(hpa, "status.currentReplicas"),
      since(hpa.metadata.creationTimestamp, now),
    ];
  },
};
