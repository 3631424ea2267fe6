/**
 * The DaemonSet controller: one pod per node the template fits (nodeSelector, affinity, taints
 * against the DaemonSet tolerations), pinned with a `metadata.name` node affinity and bound by
 * the scheduler as in real clusters. Pods on nodes that no longer fit are removed; template
 * changes roll one node at a time.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ChangeHandler, ControllerContext } from "./context.js";
import { ownerQueue } from "./owner-queue.js";
import { splitKey, replaceStatus } from "./context.js";
import { DAEMONSETS, NODES, PODS } from "./resources.js";
import {
  controlledPods,
  controllerReference,
  isActive,
  isReady,
  podFromTemplate,
  podSpec,
  type PodTemplate,
  type Toleration,
} from "./pods.js";
import { unfitReason } from "./node-fit.js";
import { deletePod } from "./pod-deletion.js";
import { templateHash } from "./template-hash.js";

interface DaemonSetSpec {
  template?: PodTemplate;
  updateStrategy?: { type?: string };
}

/** The tolerations the DaemonSet controller adds, so daemons also run on cordoned or troubled nodes. */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];

export function startDaemonSetController(ctx: ControllerContext): ChangeHandler {
  const daemons = ownerQueue(ctx, DAEMONSETS, PODS, (key) => syncDaemonSet(ctx, key));
  return (change) => {
    // A node that comes, goes or changes may need a daemon pod, or no longer hold one.
    if (!daemons.handle(change) && change.resource === NODES) daemons.addAll();
  };
}

function daemonTolerations(template: PodTemplate | undefined): Toleration[] {
  const own = template?.spec?.tolerations ?? [];
  return [
    ...own,
    ...DAEMON_TOLERATIONS.filter((d) => !own.some((t) => t.key === d.key && t.effect === d.effect)),
  ];
}

function pinnedTo(node: string): unknown {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [node] }] }],
      },
    },
  };
}

/** The node a daemon pod belongs to: where it is bound, or where its affinity pins it. */
function targetNode(pod: KubeObject): string | undefined {
  const spec = podSpec(pod);
  if (spec.nodeName) return spec.nodeName;
  const terms = (
    spec.affinity as
      | {
          nodeAffinity?: {
            requiredDuringSchedulingIgnoredDuringExecution?: {
              nodeSelectorTerms?: { matchFields?: { values?: string[] }[] }[];
            };
          };
        }
      | undefined
  )?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return terms?.[0]?.matchFields?.[0]?.values?.[0];
}

function syncDaemonSet(ctx: ControllerContext, key: string): void {
  const [namespace, name] = splitKey(key);
  const ds = ctx.store.get(DAEMONSETS, namespace, name);
  if (!ds || ds.metadata.deletionTimestamp) return;
  const spec = (ds.spec ?? {}) as DaemonSetSpec;
  const hash = templateHash(spec.template);
  const tolerations = daemonTolerations(spec.template);
  const probe: KubeObject = { metadata: {}, spec: { ...spec.template?.spec, tolerations } };
  const eligible = ctx.store.all(NODES).filter((node) => unfitReason(probe, node) === undefined);
  const eligibleNames = new Set(eligible.map((n) => n.metadata.name!));
  const byNode = new Map<string, KubeObject[]>();
  for (const pod of controlledPods(ctx.store.ownedBy(ds.metadata.uid!), ds.metadata.uid!).filter(isActive)) {
    const node = targetNode(pod) ?? "";
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  for (const [node, pods] of byNode) {
    // Pods on nodes that no longer fit go; so do duplicates on one node (the oldest stays).
    const doomed = eligibleNames.has(node) ? pods.slice(1) : pods;
    for (const pod of doomed) remove(ctx, ds, pod);
    if (doomed.length === pods.length) byNode.delete(node);
    else byNode.set(node, pods.slice(0, 1));
  }
  for (const node of eligible) {
    const nodeName = node.metadata.name!;
    if (byNode.has(nodeName)) continue;
    const pod = ctx.store.create(
      PODS,
      podFromTemplate(spec.template, {
        namespace: namespace!,
        generateName: `${name}-`,
        owner: controllerReference(DAEMONSETS, ds),
        labels: {
          "controller-revision-hash": hash,
          "pod-template-generation": String(ds.metadata.generation ?? 1),
        },
        spec: { affinity: pinnedTo(nodeName), tolerations },
      }),
    );
    byNode.set(nodeName, [pod]);
    record(ctx, ds, "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
  }
  const pods = [...byNode.values()].flat();
  if (spec.updateStrategy?.type !== "OnDelete" && pods.every(isReady)) {
    // RollingUpdate with maxUnavailable 1: replace one stale pod once all are ready.
    const stale = pods.find((p) => p.metadata.labels?.["controller-revision-hash"] !== hash);
    if (stale) {
      remove(ctx, ds, stale);
      pods.splice(pods.indexOf(stale), 1);
    }
  }
  writeStatus(ctx, ds, eligible.length, pods, hash);
}

function writeStatus(
  ctx: ControllerContext,
  ds: KubeObject,
  desired: number,
  pods: KubeObject[],
  hash: string,
): void {
  const ready = pods.filter(isReady).length;
  const status: Record<string, number> = {
    currentNumberScheduled: pods.length,
    numberMisscheduled: 0,
    desiredNumberScheduled: desired,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: pods.filter((p) => p.metadata.labels?.["controller-revision-hash"] === hash)
      .length,
    numberAvailable: ready,
    numberUnavailable: Math.max(0, desired - ready),
  };
  // numberAvailable and numberUnavailable are omitempty in the real API.
  if (status.numberAvailable === 0) delete status.numberAvailable;
  if (status.numberUnavailable === 0) delete status.numberUnavailable;
  replaceStatus(ctx.store, DAEMONSETS, ds, status);
}

function remove(ctx: ControllerContext, ds: KubeObject, pod: KubeObject): void {
  if (deletePod(ctx, pod)) record(ctx, ds, "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
}

function record(ctx: ControllerContext, ds: KubeObject, reason: string, message: string): void {
  ctx.events.record({
    kind: DAEMONSETS,
    object: ds,
    type: "Normal",
    reason,
    message,
    source: { component: "daemonset-controller" },
  });
}
