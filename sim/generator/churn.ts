/**
 * Background change across the fleet, the kind a live fleet always has: container restarts,
 * rollouts (what `kubectl rollout restart` writes), scaling a Deployment by one, and now and then
 * a change of load that makes an HPA rescale its Deployment, an edited ConfigMap, or a cache
 * StatefulSet scaled by one (its claim and volume come and go with the pod). Changes go through
 * the store, so watchers see them exactly as they would see a user's change. The sequence of
 * changes is seeded; only their timing follows the wall clock.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { findResource } from "../kinds.js";
import { SeededRandom } from "./random.js";

export interface ChurnTarget {
  name: string;
  store: ClusterStore;
  restartContainer(namespace: string, pod: string): void;
  /** Sets the CPU load on an autoscaler's target to what `replicas` pods at its target would use. */
  setCpuDemand(namespace: string, autoscaler: string, replicas: number): void;
}

export type ChurnAction = "restart" | "rollout" | "scale" | "autoscale" | "reconfigure" | "scale-statefulset";

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
const STATEFULSET = findResource("apps", "statefulsets")!;
const CONFIGMAP = findResource("", "configmaps")!;
const AUTOSCALER = findResource("autoscaling", "horizontalpodautoscalers")!;
const TICK_MS = 50;

/**
 * The share of each change, by cumulative threshold. Restarts are the most common change in a
 * live fleet; rollouts the costliest (one replaces every pod of a Deployment). The three rare
 * newcomers took their share from plain scaling, which creates and deletes about as many pods.
 */
const MIX: [number, ChurnAction][] = [
  [0.6, "restart"],
  [0.9, "scale"],
  [0.95, "rollout"],
  [0.98, "autoscale"],
  [0.99, "reconfigure"],
  [1, "scale-statefulset"],
];

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

  const replicasOf = (obj: KubeObject): number => (obj.spec as { replicas?: number }).replicas ?? 1;

  /** Deployments an HPA drives are left to it: a hand-made change would be reverted at once. */
  const autoscaled = (store: ClusterStore): Set<string> =>
    new Set(
      store.all(AUTOSCALER).map((hpa) => {
        const ref = (hpa.spec as { scaleTargetRef?: { kind?: string; name?: string } }).scaleTargetRef;
        return `${hpa.metadata.namespace}/${ref?.kind}/${ref?.name}`;
      }),
    );

  const pickDeployment = (store: ClusterStore, manual = false): KubeObject | undefined => {
    const skip = manual ? autoscaled(store) : new Set<string>();
    const all = store
      .all(DEPLOYMENT)
      .filter((d) => replicasOf(d) > 0 && !skip.has(`${d.metadata.namespace}/Deployment/${d.metadata.name}`));
    return all.length > 0 ? random.pick(all) : undefined;
  };

  /** One step up or down, within bounds set around the size first seen, so the fleet stays near its plan. */
  const step = (key: string, current: number, by: number, floor: number, ceiling: number): number => {
    let b = bounds.get(key);
    if (!b)
      bounds.set(
        key,
        (b = { min: Math.max(floor, current - 2 * by), max: Math.min(ceiling, current + 2 * by) }),
      );
    const up = current <= b.min ? true : current >= b.max ? false : random.chance(0.5);
    return up ? Math.min(b.max, current + by) : Math.max(b.min, current - by);
  };

  const scale = (target: ChurnTarget, deployment: KubeObject): void => {
    const { namespace, name } = deployment.metadata;
    const next = step(`${target.name}/${namespace}/${name}`, replicasOf(deployment), 1, 1, Infinity);
    target.store.mutate(DEPLOYMENT, namespace, name!, (draft) => {
      (draft.spec as { replicas: number }).replicas = next;
    });
  };

  /**
   * A change of load big enough for the HPA to act on (beyond its 10 % tolerance); the HPA then
   * changes desiredReplicas and scales its Deployment.
   */
  const autoscale = (target: ChurnTarget): ChurnChange | undefined => {
    const all = target.store.all(AUTOSCALER);
    if (all.length === 0) return undefined;
    const hpa = random.pick(all);
    const { namespace, name } = hpa.metadata;
    const spec = hpa.spec as { minReplicas?: number; maxReplicas?: number };
    const current = (hpa.status as { desiredReplicas?: number } | undefined)?.desiredReplicas ?? 0;
    if (current === 0) return undefined;
    const by = Math.max(1, Math.ceil(current * 0.15));
    const next = step(
      `${target.name}/hpa/${namespace}/${name}`,
      current,
      by,
      spec.minReplicas ?? 1,
      spec.maxReplicas ?? current,
    );
    target.setCpuDemand(namespace!, name!, next);
    return { cluster: target.name, action: "autoscale", namespace: namespace!, name: name! };
  };

  /** An edited application setting (the log level), as a config change would be rolled out. */
  const reconfigure = (target: ChurnTarget): ChurnChange | undefined => {
    const all = target.store
      .all(CONFIGMAP)
      .filter((cm) => (cm.data as Record<string, string> | undefined)?.LOG_LEVEL);
    if (all.length === 0) return undefined;
    const cm = random.pick(all);
    const { namespace, name } = cm.metadata;
    target.store.mutate(CONFIGMAP, namespace, name!, (draft) => {
      const data = draft.data as Record<string, string>;
      data.LOG_LEVEL = data.LOG_LEVEL === "debug" ? "info" : "debug";
    });
    return { cluster: target.name, action: "reconfigure", namespace: namespace!, name: name! };
  };

  /** A cache StatefulSet (one whose claims go with scaled-down pods) one replica up or back down. */
  const scaleStatefulSet = (target: ChurnTarget): ChurnChange | undefined => {
    const all = target.store.all(STATEFULSET).filter((sts) => {
      const spec = sts.spec as { persistentVolumeClaimRetentionPolicy?: { whenScaled?: string } };
      return spec.persistentVolumeClaimRetentionPolicy?.whenScaled === "Delete";
    });
    if (all.length === 0) return undefined;
    const sts = random.pick(all);
    const { namespace, name } = sts.metadata;
    const current = replicasOf(sts);
    let b = bounds.get(`${target.name}/sts/${namespace}/${name}`);
    if (!b) bounds.set(`${target.name}/sts/${namespace}/${name}`, (b = { min: current, max: current + 1 }));
    const next = current >= b.max ? b.min : b.max;
    target.store.mutate(STATEFULSET, namespace, name!, (draft) => {
      (draft.spec as { replicas: number }).replicas = next;
    });
    return { cluster: target.name, action: "scale-statefulset", namespace: namespace!, name: name! };
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

  const change = (): ChurnChange | undefined => {
    if (targets.length === 0) return undefined;
    const target = random.pick(targets);
    const roll = random.next();
    const action = MIX.find(([threshold]) => roll < threshold)?.[1] ?? "restart";
    if (action === "autoscale") return autoscale(target);
    if (action === "reconfigure") return reconfigure(target);
    if (action === "scale-statefulset") return scaleStatefulSet(target);
    const deployment = pickDeployment(target.store, action === "scale");
    if (!deployment) return undefined;
    const base = {
      cluster: target.name,
      namespace: deployment.metadata.namespace!,
      name: deployment.metadata.name!,
    };
    if (action === "restart") return restart(target, deployment);
    if (action === "scale") scale(target, deployment);
    else rollout(target, deployment);
    return { ...base, action };
  };

  const makeChange = (): ChurnChange | undefined => {
    const made = change();
    if (made) {
      changes++;
      options.onChange?.(made);
    }
    return made;
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
        makeChange();
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
    step: makeChange,
    stop: () => setRate(0),
  };
}
