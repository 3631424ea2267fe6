/**
 * Whether a pod fits a node, by the scheduler's filters that matter in the simulator: node
 * readiness, cordoning, taints and tolerations, nodeSelector and required node affinity
 * (including the `metadata.name` field match the DaemonSet controller uses). Each failure is
 * reported in the scheduler's own words, for the FailedScheduling message.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { podSpec, type Condition, type Toleration } from "./pods.js";

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export function nodeReady(node: KubeObject): boolean {
  const conditions = (node.status as { conditions?: Condition[] } | undefined)?.conditions;
  return conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

export function nodeTaints(node: KubeObject): Taint[] {
  return (node.spec as { taints?: Taint[] } | undefined)?.taints ?? [];
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === "Exists") return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
  });
}

/** Undefined when the pod fits; otherwise the reason, phrased as the scheduler phrases it. */
export function unfitReason(pod: KubeObject, node: KubeObject): string | undefined {
  const spec = podSpec(pod);
  if (!matchesAffinity(spec.affinity, node) || !matchesSelector(spec.nodeSelector, node)) {
    return "node(s) didn't match Pod's node affinity/selector";
  }
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable) {
    const tolerated = tolerates(spec.tolerations, {
      key: "node.kubernetes.io/unschedulable",
      effect: "NoSchedule",
    });
    if (!tolerated) return "node(s) were unschedulable";
  }
  if (!nodeReady(node)) {
    const taint = { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" };
    if (!tolerates(spec.tolerations, taint))
      return "node(s) had untolerated taint {node.kubernetes.io/not-ready: }";
  }
  for (const taint of nodeTaints(node)) {
    if (taint.effect !== "NoSchedule" && taint.effect !== "NoExecute") continue;
    if (!tolerates(spec.tolerations, taint))
      return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
  }
  return undefined;
}

function matchesSelector(selector: Record<string, string> | undefined, node: KubeObject): boolean {
  if (!selector) return true;
  const labels = node.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function matchesAffinity(affinity: unknown, node: KubeObject): boolean {
  const required = (
    affinity as
      | {
          nodeAffinity?: {
            requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
          };
        }
      | undefined
  )?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = required?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  // Terms are ORed; the requirements inside a term are ANDed.
  return terms.some(
    (term) =>
      (term.matchExpressions ?? []).every((r) => matchesRequirement(r, node.metadata.labels?.[r.key])) &&
      (term.matchFields ?? []).every(
        (r) => r.key === "metadata.name" && matchesRequirement(r, node.metadata.name),
      ),
  );
}

function matchesRequirement(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
      return value !== undefined && Number(value) > Number(values[0]);
    case "Lt":
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}
