import type { KubeObject } from "../../kube/object.js";
import { formatLabelSelector, fromLabelSelectorObject } from "../../kube/label-selector.js";
import type { CachedKind } from "../entry.js";
import { intern } from "../intern.js";
import { arr, num, obj, str, time, type Json } from "./json.js";
import type { ConditionView, TemplateContainer, WorkloadData } from "./types.js";

function conditions(status: Json): ConditionView[] {
  return arr(status.conditions).map((c) => {
    const cond = obj(c);
    return {
      type: intern(str(cond.type) ?? ""),
      status: intern(str(cond.status) ?? "Unknown"),
      reason: str(cond.reason),
      message: str(cond.message),
      lastTransitionTime: time(cond.lastTransitionTime),
    };
  });
}

function templateContainers(spec: Json): TemplateContainer[] {
  const podSpec = obj(obj(spec.template).spec);
  return arr(podSpec.containers).map((c) => ({
    name: intern(str(obj(c).name) ?? ""),
    image: intern(str(obj(c).image) ?? ""),
  }));
}

function selectorString(spec: Json): string {
  const sel = spec.selector;
  if (!sel || typeof sel !== "object") return "";
  try {
    return intern(formatLabelSelector(fromLabelSelectorObject(sel)));
  } catch {
    return "";
  }
}

export function workloadData(kind: CachedKind, o: KubeObject): WorkloadData {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const base = {
    generation: o.metadata.generation ?? 0,
    observedGeneration: num(status.observedGeneration),
    conditions: conditions(status),
  };
  switch (kind) {
    case "DaemonSet":
      return {
        ...base,
        desired: num(status.desiredNumberScheduled),
        ready: num(status.numberReady),
        available: num(status.numberAvailable),
        updated: num(status.updatedNumberScheduled),
        selector: selectorString(spec),
        containers: templateContainers(spec),
      };
    case "Job":
      return {
        ...base,
        desired: typeof spec.completions === "number" ? spec.completions : 1,
        ready: num(status.ready),
        available: num(status.succeeded),
        updated: num(status.succeeded),
        selector: selectorString(spec),
        containers: templateContainers(spec),
        succeeded: num(status.succeeded),
        failed: num(status.failed),
        active: num(status.active),
        completionTime: time(status.completionTime),
      };
    case "CronJob": {
      const jobSpec = obj(obj(spec.jobTemplate).spec);
      return {
        ...base,
        desired: 0,
        ready: 0,
        available: 0,
        updated: 0,
        selector: "",
        containers: templateContainers(jobSpec),
        schedule: str(spec.schedule) ?? "",
        suspend: spec.suspend === true,
        active: arr(status.active).length,
        lastScheduleTime: time(status.lastScheduleTime),
      };
    }
    default:
      return {
        ...base,
        desired: typeof spec.replicas === "number" ? spec.replicas : 1,
        ready: num(status.readyReplicas),
        available: num(status.availableReplicas),
        updated: num(
          kind === "StatefulSet" ? status.updatedReplicas : (status.updatedReplicas ?? status.replicas),
        ),
        selector: selectorString(spec),
        containers: templateContainers(spec),
      };
  }
}
