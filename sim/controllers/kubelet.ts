/**
 * The kubelets of every node, reduced to the pod lifecycle the API shows: a bound pod starts
 * after `podStartDelayMs` (Pulled / Created / Started, phase Running, IPs, container statuses,
 * all conditions true); a pod whose restartPolicy is not Always (a Job's) runs briefly and then
 * Succeeds; a deleted running pod gets its Killing events.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { replaceStatus, type ChangeHandler, type ControllerContext } from "./context.js";
import {
  recordContainerStart,
  recordContainerStop,
  containerId,
  qualifiedImage,
  imageId,
  runningStatus,
} from "./containers.js";
import { NAMESPACES, NODES, PODS } from "./resources.js";
import { podSpec, podStatus, type Condition, type ContainerStatus } from "./pods.js";
import { fnv32a } from "./template-hash.js";

/** How long a run-to-completion pod runs, at least and at most (chosen per pod). */
const RUN_MIN_MS = 1000;
const RUN_SPREAD_MS = 2000;

function awaitingStart(pod: KubeObject): boolean {
  return (
    !!podSpec(pod).nodeName &&
    !pod.metadata.deletionTimestamp &&
    (podStatus(pod).phase ?? "Pending") === "Pending"
  );
}

export function startKubelet(ctx: ControllerContext): ChangeHandler {
  const starting = new Set<string>();
  const addresses = new PodAddresses(ctx);
  const schedule = (pod: KubeObject): void => {
    const uid = pod.metadata.uid!;
    if (starting.has(uid)) return;
    starting.add(uid);
    const { namespace, name } = pod.metadata;
    ctx.loop.after(ctx.podStartDelayMs, () => {
      starting.delete(uid);
      startPod(ctx, addresses, namespace!, name!, uid);
    });
  };
  for (const pod of ctx.store.all(PODS)) if (awaitingStart(pod)) schedule(pod);
  return (change) => {
    if (change.resource !== PODS) return;
    if (change.type === "DELETED") {
      const pod = change.prev ?? change.object;
      if (podStatus(pod).phase === "Running") ctx.loop.after(0, () => killed(ctx, pod));
      return;
    }
    if (awaitingStart(change.object)) schedule(change.object);
  };
}

function startPod(
  ctx: ControllerContext,
  addresses: PodAddresses,
  namespace: string,
  name: string,
  uid: string,
): void {
  const pod = ctx.store.get(PODS, namespace, name);
  if (!pod || pod.metadata.uid !== uid || !awaitingStart(pod)) return;
  const spec = podSpec(pod);
  const node = spec.nodeName!;
  const stamp = ctx.timestamp();
  const hostIP = addresses.hostIP(node);
  const podIP = spec.hostNetwork === true ? hostIP : addresses.next(node);
  const previous = podStatus(pod);
  const scheduled = (previous.conditions ?? []).find((c) => c.type === "PodScheduled");
  const condition = (type: string): Condition => ({
    type,
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: stamp,
  });
  const started = replaceStatus(ctx.store, PODS, pod, {
    ...previous,
    phase: "Running",
    conditions: [
      condition("PodReadyToStartContainers"),
      condition("Initialized"),
      condition("Ready"),
      condition("ContainersReady"),
      scheduled ?? condition("PodScheduled"),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: stamp,
    ...(spec.initContainers?.length
      ? {
          initContainerStatuses: spec.initContainers.map((c) =>
            completedStatus(pod, c.name, c.image ?? "", stamp),
          ),
        }
      : {}),
    containerStatuses: (spec.containers ?? []).map((c) => runningStatus(pod, c, 0, stamp)),
  });
  for (const c of spec.initContainers ?? []) recordContainerStart(ctx.events, started, c, node, true);
  for (const c of spec.containers ?? []) recordContainerStart(ctx.events, started, c, node);
  if ((spec.restartPolicy ?? "Always") !== "Always") {
    ctx.loop.after(RUN_MIN_MS + (fnv32a(uid) % RUN_SPREAD_MS), () => completePod(ctx, namespace, name, uid));
  }
}

/** A run-to-completion pod whose containers all exited 0. */
function completePod(ctx: ControllerContext, namespace: string, name: string, uid: string): void {
  const stamp = ctx.timestamp();
  ctx.store.mutate(PODS, namespace, name, (draft) => {
    const status = (draft.status ??= {}) as {
      phase?: string;
      conditions?: Condition[];
      containerStatuses?: ContainerStatus[];
    };
    if (draft.metadata.uid !== uid || status.phase !== "Running") return false;
    status.phase = "Succeeded";
    for (const c of status.conditions ?? []) {
      if (c.type === "Ready" || c.type === "ContainersReady" || c.type === "PodReadyToStartContainers") {
        c.status = "False";
        c.lastTransitionTime = stamp;
        if (c.type !== "PodReadyToStartContainers") c.reason = "PodCompleted";
      }
    }
    status.containerStatuses = (status.containerStatuses ?? []).map((s) => ({
      ...s,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode: 0,
          reason: "Completed",
          startedAt: s.state.running?.startedAt ?? stamp,
          finishedAt: stamp,
          containerID: s.containerID,
        },
      },
    }));
  });
}

function killed(ctx: ControllerContext, pod: KubeObject): void {
  // Events about a pod in a terminating namespace would be refused anyway; skip the attempt.
  if (ctx.store.get(NAMESPACES, undefined, pod.metadata.namespace!)?.metadata.deletionTimestamp) return;
  const node = podSpec(pod).nodeName ?? "";
  for (const c of podSpec(pod).containers ?? []) recordContainerStop(ctx.events, pod, c.name, node);
}

function completedStatus(pod: KubeObject, name: string, image: string, stamp: string): ContainerStatus {
  const id = containerId(pod, name, 0);
  return {
    name,
    image: qualifiedImage(image),
    imageID: imageId(image),
    containerID: id,
    ready: true,
    started: false,
    restartCount: 0,
    state: {
      terminated: { exitCode: 0, reason: "Completed", startedAt: stamp, finishedAt: stamp, containerID: id },
    },
    lastState: {},
  };
}

/**
 * Pod and host addresses: pods get consecutive addresses from their node's podCIDR (or a /24
 * derived from the node's name), so an IP says which node a pod runs on, as with real CNIs.
 */
class PodAddresses {
  private readonly next24 = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {}

  hostIP(nodeName: string): string {
    const node = this.ctx.store.get(NODES, undefined, nodeName);
    const addresses = (node?.status as { addresses?: { type: string; address: string }[] } | undefined)
      ?.addresses;
    const internal = addresses?.find((a) => a.type === "InternalIP")?.address;
    if (internal) return internal;
    const h = fnv32a(nodeName);
    return `10.0.${(h >>> 8) % 250}.${(h % 250) + 2}`;
  }

  next(nodeName: string): string {
    const node = this.ctx.store.get(NODES, undefined, nodeName);
    const cidr = (node?.spec as { podCIDR?: string } | undefined)?.podCIDR;
    const prefix = /^(\d+\.\d+\.\d+)\.\d+\/\d+$/.exec(cidr ?? "")?.[1] ?? `10.244.${fnv32a(nodeName) % 250}`;
    const n = this.next24.get(nodeName) ?? 0;
    this.next24.set(nodeName, n + 1);
    return `${prefix}.${(n % 253) + 2}`;
  }
}
