/**
 * Background change across the fleet, the kind a live fleet always has: container restarts,
 * rollouts (what `kubectl rollout restart` writes) and scaling a Deployment by one. Changes go
 * through the store, so watchers see them exactly as they would see a user's change. The
 * sequence of changes is seeded; only their timing follows the wall clock.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { findResource } from "../kinds.js";
import { SeededRandom } from "./random.js";

export interface ChurnTarget {
  name: string;
  store: ClusterStore;
  restartContainer(namespace: string, pod: string): void;
}

export type ChurnAction = "restart" | "rollout" | "scale";

export interface ChurnChange {
  cluster: string;
  action: ChurnAction;
  namespace: string;
  name: string;
}

export interface Churn {
  /** Changes per second across the fleet; 0 pauses. */
  readonly rate: number;
  readonly changes: number;
  setRate(rate: number): void;
  /** Makes one change now (also what the timer calls). */
  step(): ChurnChange | undefined;
  stop(): void;
}

const POD = findResource("", "pods")!;
const DEPLOYMENT = findResource("apps", "deployments")!;
const TICK_MS = 50;

interface Bounds {
  min: number;
  max: number;
}

export function startChurn(
  targets: readonly ChurnTarget[],
  options: { rate: number; seed: string; onChange?: (c: ChurnChange) => void },
): Churn {
  const random = new SeededRandom(`${options.seed}/churn`);
  const bounds = new Map<string, Bounds>();
  let rate = 0;
  let changes = 0;
  let owed = 0;
  let last = Date.now();
  let timer: NodeJS.Timeout | undefined;

  const pickDeployment = (store: ClusterStore): KubeObject | undefined => {
    const all = store.all(DEPLOYMENT).filter((d) => ((d.spec as { replicas?: number }).replicas ?? 0) > 0);
    return all.length > 0 ? random.pick(all) : undefined;
  };

  const scale = (target: ChurnTarget, deployment: KubeObject): void => {
    const { namespace, name } = deployment.metadata;
    const key = `${target.name}/${namespace}/${name}`;
    const current = (deployment.spec as { replicas?: number }).replicas ?? 1;
    let b = bounds.get(key);
    // Bounds around the generated size keep the fleet near its planned pod count.
    if (!b) bounds.set(key, (b = { min: Math.max(1, current - 2), max: current + 2 }));
    const up = current <= b.min ? true : current >= b.max ? false : random.chance(0.5);
    target.store.mutate(DEPLOYMENT, namespace, name!, (draft) => {
      (draft.spec as { replicas: number }).replicas = current + (up ? 1 : -1);
    });
  };

  const rollout = (target: ChurnTarget, deployment: KubeObject): void => {
    target.store.mutate(DEPLOYMENT, deployment.metadata.namespace, deployment.metadata.name!, (draft) => {
      const tpl = (draft.spec as { template: { metadata?: { annotations?: Record<string, string> } } })
        .template;
      tpl.metadata ??= {};
      tpl.metadata.annotations = {
        ...tpl.metadata.annotations,
        "kubectl.kubernetes.io/restartedAt": new Date().toISOString(),
      };
    });
  };

  const restart = (target: ChurnTarget, deployment: KubeObject): ChurnChange | undefined => {
    const namespace = deployment.metadata.namespace!;
    const running = target.store
      .all(POD, namespace)
      .filter((p) => (p.status as { phase?: string } | undefined)?.phase === "Running");
    if (running.length === 0) return undefined;
    const pod = random.pick(running);
    target.restartContainer(namespace, pod.metadata.name!);
    return { cluster: target.name, action: "restart", namespace, name: pod.metadata.name! };
  };

  const step = (): ChurnChange | undefined => {
    if (targets.length === 0) return undefined;
    const target = random.pick(targets);
    const deployment = pickDeployment(target.store);
    if (!deployment) return undefined;
    const roll = random.next();
    let change: ChurnChange | undefined;
    const base = {
      cluster: target.name,
      namespace: deployment.metadata.namespace!,
      name: deployment.metadata.name!,
    };
    // Restarts are the most common change in a live fleet; rollouts the rarest (and by far the
    // costliest: one replaces every pod of a Deployment).
    if (roll < 0.6) change = restart(target, deployment);
    else if (roll < 0.95) {
      scale(target, deployment);
      change = { ...base, action: "scale" };
    } else {
      rollout(target, deployment);
      change = { ...base, action: "rollout" };
    }
    if (change) {
      changes++;
      options.onChange?.(change);
    }
    return change;
  };

  const tick = (): void => {
    const now = Date.now();
    owed += ((now - last) / 1000) * rate;
    last = now;
    // A long pause (a blocked event loop) must not turn into a burst of thousands of changes.
    owed = Math.min(owed, Math.max(1, rate));
    while (owed >= 1) {
      owed -= 1;
      try {
        step();
      } catch {
        // A change can race with a user deleting the object; the next tick picks another.
      }
    }
  };

  const setRate = (next: number): void => {
    if (!Number.isFinite(next) || next < 0)
      throw new RangeError(`churn rate must be a non-negative number, got ${next}`);
    rate = next;
    if (rate > 0 && !timer) {
      last = Date.now();
      owed = 0;
      timer = setInterval(tick, TICK_MS);
      timer.unref();
    } else if (rate === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  setRate(options.rate);
  return {
    get rate() {
      return rate;
    },
    get changes() {
      return changes;
    },
    setRate,
    step,
    stop: () => setRate(0),
  };
}
