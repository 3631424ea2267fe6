/**
 * The shape of a fleet before any object exists: which clusters, where they run, how big their
 * machines are and how many replicas each workload gets so a cluster holds about the requested
 * number of pods. Everything here follows from the seed.
 */
import {
  ENVIRONMENTS,
  MACHINE_TYPES,
  NAMESPACES,
  REGIONS,
  type Component,
  type Environment,
  type MachineType,
  type Region,
} from "./catalog.js";
import { SeededRandom } from "./random.js";

export interface ClusterPlan {
  index: number;
  name: string;
  region: Region;
  environment: Environment;
  /** Labels of the cluster itself (written to the kubeconfig extension and the fleet file). */
  labels: Record<string, string>;
  nodeCount: number;
  podBudget: number;
  /** The cluster's own random stream. */
  random: SeededRandom;
}

const ENVIRONMENT_WEIGHTS: Record<Environment, number> = { prod: 0.4, staging: 0.25, dev: 0.2, qa: 0.15 };

function pickEnvironment(random: SeededRandom): Environment {
  let r = random.next();
  for (const env of ENVIRONMENTS) {
    r -= ENVIRONMENT_WEIGHTS[env];
    if (r < 0) return env;
  }
  return "prod";
}

/** Cluster names like `prod-eu-west-1`: unique, the first always a production cluster. */
export function planFleet(seed: string, clusters: number, nodes: number, pods: number): ClusterPlan[] {
  const root = new SeededRandom(seed);
  const naming = root.fork("names");
  const regions = naming.shuffle(REGIONS);
  const used = new Set<string>();
  const plans: ClusterPlan[] = [];
  for (let i = 0; i < clusters; i++) {
    const environment = i === 0 ? "prod" : pickEnvironment(naming);
    const region = regions[i % regions.length]!;
    let name = `${environment}-${region.name}`;
    for (let n = 2; used.has(name); n++) name = `${environment}-${region.name}-${n}`;
    used.add(name);
    plans.push({
      index: i,
      name,
      region,
      environment,
      labels: { region: region.name, provider: region.provider, environment },
      nodeCount: nodes,
      podBudget: pods,
      random: root.fork(`cluster/${i}`),
    });
  }
  return plans;
}

/** "<namespace>/<component>" -> replicas. DaemonSets are absent (one pod per node). */
export type ReplicaPlan = Map<string, number>;

export function componentKey(namespace: string, component: Component): string {
  return `${namespace}/${component.name}`;
}

/**
 * Spreads the pod budget: DaemonSets take one pod per node, StatefulSets their fixed size (one
 * replica when the budget is small), each Job one pod, and Deployments share what is left by
 * weight (with some per-cluster jitter), largest remainder first. Small budgets leave some
 * Deployments at zero replicas, as scaled-down apps are in real clusters.
 */
export function planReplicas(random: SeededRandom, podBudget: number, nodeCount: number): ReplicaPlan {
  const plan: ReplicaPlan = new Map();
  const small = podBudget < 200;
  let fixed = 0;
  const deployments: { key: string; weight: number }[] = [];
  for (const ns of NAMESPACES) {
    for (const c of ns.components) {
      const key = componentKey(ns.name, c);
      if (c.kind === "DaemonSet") fixed += nodeCount;
      else if (c.kind === "StatefulSet") {
        const replicas = small ? 1 : (c.replicas ?? 1);
        plan.set(key, replicas);
        fixed += replicas;
      } else if (c.kind === "Job") {
        plan.set(key, 1);
        fixed += 1;
      } else if (c.kind === "CronJob") plan.set(key, 0);
      else deployments.push({ key, weight: (c.weight ?? 1) * (0.7 + 0.6 * random.next()) });
    }
  }
  const remaining = Math.max(0, podBudget - fixed);
  const totalWeight = deployments.reduce((sum, d) => sum + d.weight, 0);
  const shares = deployments.map((d) => ({ key: d.key, exact: (remaining * d.weight) / totalWeight }));
  let assigned = 0;
  for (const s of shares) {
    const whole = Math.floor(s.exact);
    plan.set(s.key, whole);
    assigned += whole;
  }
  const byRemainder = [...shares].sort(
    (a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)),
  );
  for (let i = 0; i < remaining - assigned && i < byRemainder.length; i++) {
    const key = byRemainder[i]!.key;
    plan.set(key, plan.get(key)! + 1);
  }
  return plan;
}

export interface NodeSizing {
  machine: MachineType;
  maxPods: number;
}

/** The smallest machine type that holds this cluster's requests with headroom. */
export function sizeNodes(region: Region, replicas: ReplicaPlan, nodeCount: number): NodeSizing {
  let cpuMilli = 0;
  let memoryMi = 0;
  let pods = 0;
  for (const ns of NAMESPACES) {
    for (const c of ns.components) {
      const n = c.kind === "DaemonSet" ? nodeCount : (replicas.get(componentKey(ns.name, c)) ?? 0);
      cpuMilli += n * c.cpuMilli;
      memoryMi += n * c.memoryMi;
      pods += n;
    }
  }
  const perNodeCpu = (cpuMilli / nodeCount) * 1.3;
  const perNodeMemGi = ((memoryMi / nodeCount) * 1.3) / 1024;
  const types = MACHINE_TYPES[region.provider];
  const machine =
    types.find((t) => t.cpu * 1000 * 0.9 >= perNodeCpu && t.memoryGi * 0.85 >= perNodeMemGi) ??
    types[types.length - 1]!;
  return { machine, maxPods: Math.max(110, Math.ceil((pods / nodeCount) * 1.5)) };
}
