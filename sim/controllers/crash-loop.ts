/**
 * Pods made to crash-loop on request (the fault admin endpoint, tests): the container restarts
 * every `intervalMs` (as restart.ts tells a crash) and, between restarts, waits in
 * CrashLoopBackOff, not ready — what kube-state-metrics' waiting-reason and restart series and
 * the KubePodCrashLooping rule read. Fixing the pod runs the container again, ready.
 */
import type { ClusterStore } from "../store/cluster-store.js";
import { statusErrors } from "../errors.js";
import { restartContainer } from "./restart.js";
import { PODS } from "./resources.js";
import { podSpec, podStatus } from "./pods.js";

/** The kubelet's back-off starts at 10 s; tests want restarts faster than that. */
export const DEFAULT_CRASH_INTERVAL_MS = 1000;

const POD_READINESS = new Set(["Ready", "ContainersReady"]);

export class CrashLoops {
  private readonly loops = new Map<string, ReturnType<typeof setInterval>>();

  constructor(private readonly store: ClusterStore) {}

  /** The pods crash-looping now, as `namespace/pod/container`. */
  list(): string[] {
    return [...this.loops.keys()];
  }

  /** Makes one container (the first when none is named) of a running pod crash-loop. */
  start(namespace: string, pod: string, container?: string, intervalMs = DEFAULT_CRASH_INTERVAL_MS): string {
    const name = this.containerOf(namespace, pod, container);
    if (podStatus(this.store.get(PODS, namespace, pod)!).phase !== "Running")
      throw statusErrors.badRequest(`pod ${namespace}/${pod} is not running: only a running pod can crash`);
    const key = `${namespace}/${pod}/${name}`;
    if (this.loops.has(key)) return key;
    const crash = (): void => {
      if (!this.store.get(PODS, namespace, pod)) {
        this.stop(namespace, pod, name);
        return;
      }
      restartContainer(this.store, namespace, pod, name);
      this.setWaiting(namespace, pod, name, true);
    };
    crash();
    const timer = setInterval(crash, Math.max(50, intervalMs));
    timer.unref();
    this.loops.set(key, timer);
    return key;
  }

  /** The container runs again and stays up; false when it was not crash-looping. */
  stop(namespace: string, pod: string, container?: string): boolean {
    const name =
      container ?? podSpec(this.store.get(PODS, namespace, pod) ?? { metadata: {} }).containers?.[0]?.name;
    const key = `${namespace}/${pod}/${name ?? ""}`;
    const timer = this.loops.get(key);
    if (timer === undefined) return false;
    clearInterval(timer);
    this.loops.delete(key);
    if (this.store.get(PODS, namespace, pod)) this.setWaiting(namespace, pod, name!, false);
    return true;
  }

  stopAll(): void {
    for (const timer of this.loops.values()) clearInterval(timer);
    this.loops.clear();
  }

  private containerOf(namespace: string, pod: string, container?: string): string {
    const found = this.store.get(PODS, namespace, pod);
    if (!found) throw statusErrors.notFound("", "pods", pod);
    const name = container ?? podSpec(found).containers?.[0]?.name;
    if (!podSpec(found).containers?.some((c) => c.name === name))
      throw statusErrors.badRequest(`container ${name ?? ""} is not valid for pod ${pod}`);
    return name!;
  }

  /** Waiting in back-off (not ready), or running (ready), with the pod's readiness following. */
  private setWaiting(namespace: string, pod: string, container: string, waiting: boolean): void {
    const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    this.store.mutate(PODS, namespace, pod, (draft) => {
      const status = podStatus(draft);
      const target = status.containerStatuses?.find((s) => s.name === container);
      if (!target) return false;
      target.state = waiting
        ? {
            waiting: {
              reason: "CrashLoopBackOff",
              message: `back-off restarting failed container=${container} pod=${pod}_${namespace}(${draft.metadata.uid})`,
            },
          }
        : { running: { startedAt: stamp } };
      target.ready = !waiting;
      target.started = !waiting;
      const ready = (status.containerStatuses ?? []).every((s) => s.ready);
      for (const c of status.conditions ?? []) {
        if (!POD_READINESS.has(c.type)) continue;
        const next = ready ? "True" : "False";
        if (c.status === next) continue;
        c.status = next;
        c.lastTransitionTime = stamp;
        if (ready) delete c.reason;
        else c.reason = "ContainersNotReady";
      }
    });
  }
}
