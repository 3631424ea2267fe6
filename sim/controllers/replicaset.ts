/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods (created from the template with
 * generateName `<rs>-`, owned by the ReplicaSet), deletes the surplus (unscheduled, then not
 * ready, then newest first, as the real controller ranks them), and reports status.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { fromLabelSelectorObject, matchesLabels } from "../../src/kube/label-selector.js";
import type { ChangeHandler, ControllerContext } from "./context.js";
import { ownerQueue } from "./owner-queue.js";
import { splitKey, replaceStatus } from "./context.js";
import { REPLICASETS, PODS } from "./resources.js";
import {
  controlledPods,
  controllerReference,
  isActive,
  isReady,
  podFromTemplate,
  podSpec,
  type PodTemplate,
} from "./pods.js";
import { deletePod } from "./pod-deletion.js";

interface ReplicaSetSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  template?: PodTemplate;
}

export function startReplicaSetController(ctx: ControllerContext): ChangeHandler {
  return ownerQueue(ctx, REPLICASETS, PODS, (key) => syncReplicaSet(ctx, key)).handle;
}

function syncReplicaSet(ctx: ControllerContext, key: string): void {
  const [namespace, name] = splitKey(key);
  const rs = ctx.store.get(REPLICASETS, namespace, name);
  if (!rs) return;
  const spec = (rs.spec ?? {}) as ReplicaSetSpec;
  const pods = controlledPods(ctx.store.ownedBy(rs.metadata.uid!), rs.metadata.uid!).filter(isActive);
  const want = spec.replicas ?? 1;
  if (!rs.metadata.deletionTimestamp) {
    if (pods.length < want) {
      for (let i = pods.length; i < want; i++) {
        const pod = ctx.store.create(
          PODS,
          podFromTemplate(spec.template, {
            namespace: namespace!,
            generateName: `${name}-`,
            owner: controllerReference(REPLICASETS, rs),
          }),
        );
        pods.push(pod);
        record(ctx, rs, "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
      }
    } else if (pods.length > want) {
      const doomed = [...pods].sort(deletionOrder).slice(0, pods.length - want);
      for (const pod of doomed) {
        deletePod(ctx, pod);
        record(ctx, rs, "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
        pods.splice(pods.indexOf(pod), 1);
      }
    }
  }
  writeStatus(ctx, rs, pods, spec);
}

function writeStatus(ctx: ControllerContext, rs: KubeObject, pods: KubeObject[], spec: ReplicaSetSpec): void {
  const selector = fromLabelSelectorObject(spec.selector ?? {});
  const templateLabels = spec.template?.metadata?.labels ?? {};
  const ready = pods.filter(isReady).length;
  const status: Record<string, unknown> = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter(
      (p) =>
        matchesLabels(selector, p.metadata.labels) &&
        Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v),
    ).length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  // The real controller omits zero counts (omitempty); so does kubectl's view of them.
  for (const field of ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"])
    if (status[field] === 0) delete status[field];
  replaceStatus(ctx.store, REPLICASETS, rs, status);
}

/** Unscheduled before scheduled, pending before running, not ready before ready, newest first. */
function deletionOrder(a: KubeObject, b: KubeObject): number {
  const rank = (p: KubeObject): number[] => [
    podSpec(p).nodeName ? 1 : 0,
    (p.status as { phase?: string } | undefined)?.phase === "Running" ? 1 : 0,
    isReady(p) ? 1 : 0,
  ];
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  const ta = a.metadata.creationTimestamp ?? "";
  const tb = b.metadata.creationTimestamp ?? "";
  if (ta !== tb) return ta < tb ? 1 : -1;
  return Number(b.metadata.resourceVersion) - Number(a.metadata.resourceVersion);
}

function record(ctx: ControllerContext, rs: KubeObject, reason: string, message: string): void {
  ctx.events.record({
    kind: REPLICASETS,
    object: rs,
    type: "Normal",
    reason,
    message,
    source: { component: "replicaset-controller" },
  });
}
