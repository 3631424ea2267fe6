/**
 * The deterministic generator: names, sizes, users, the objects it writes into a cluster store
 * (with the real controllers running), and the churn.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { bootstrapRbac } from "../../sim/auth/index.js";
import { restartContainer, startControllers, type Controllers } from "../../sim/controllers/index.js";
import { NAMESPACES } from "../../sim/generator/catalog.js";
import { startChurn, type ChurnAction } from "../../sim/generator/churn.js";
import { planFleet, planReplicas } from "../../sim/generator/plan.js";
import { populateCluster } from "../../sim/generator/populate.js";
import { SeededRandom } from "../../sim/generator/random.js";
import { buildUsers } from "../../sim/generator/users.js";
import { findResource } from "../../sim/kinds.js";
import { ClusterStore } from "../../sim/store/cluster-store.js";

const kind = (group: string, plural: string) => findResource(group, plural)!;
const PODS = kind("", "pods");
const NODES = kind("", "nodes");
const NAMESPACE_KIND = kind("", "namespaces");
const DEPLOYMENTS = kind("apps", "deployments");
const DAEMONSETS = kind("apps", "daemonsets");
const ROLEBINDINGS = kind("rbac.authorization.k8s.io", "rolebindings");
const STATEFULSETS = kind("apps", "statefulsets");
const AUTOSCALERS = kind("autoscaling", "horizontalpodautoscalers");
const CONFIGMAPS = kind("", "configmaps");
const CLAIMS = kind("", "persistentvolumeclaims");
const VOLUMES = kind("", "persistentvolumes");

const phase = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;
const replicas = (obj: KubeObject) => (obj.spec as { replicas: number }).replicas;
const desired = (hpa: KubeObject) =>
  (hpa.status as { desiredReplicas?: number } | undefined)?.desiredReplicas;
const logLevel = (cm: KubeObject) => (cm.data as Record<string, string> | undefined)?.LOG_LEVEL;
const claimOf = (pv: KubeObject) => {
  const ref = (pv.spec as { claimRef?: { namespace: string; name: string } }).claimRef;
  return ref ? `${ref.namespace}/${ref.name}` : "";
};

describe("the seeded random stream", () => {
  it("repeats for a seed, differs across seeds and across forks", () => {
    const draw = (r: SeededRandom) => Array.from({ length: 5 }, () => r.next());
    expect(draw(new SeededRandom("a"))).toEqual(draw(new SeededRandom("a")));
    expect(draw(new SeededRandom("a"))).not.toEqual(draw(new SeededRandom("b")));
    expect(draw(new SeededRandom("a").fork("x"))).not.toEqual(draw(new SeededRandom("a").fork("y")));
    const r = new SeededRandom("ints");
    for (let i = 0; i < 1000; i++) expect(r.int(3, 5)).toBeGreaterThanOrEqual(3);
  });
});

describe("planFleet", () => {
  it("names clusters like prod-eu-west-1, uniquely, the first one prod, with labels", () => {
    const plans = planFleet("s", 50, 3, 100);
    const names = plans.map((p) => p.name);
    expect(new Set(names).size).toBe(50);
    expect(names[0]).toMatch(/^prod-/);
    for (const p of plans) {
      expect(p.name).toMatch(/^(prod|staging|dev|qa)-[a-z0-9-]+$/);
      expect(p.name.startsWith(`${p.labels.environment}-${p.labels.region}`)).toBe(true);
      expect(["aws", "gcp", "azure"]).toContain(p.labels.provider);
    }
    expect(planFleet("s", 50, 3, 100).map((p) => p.name)).toEqual(names);
    expect(planFleet("t", 50, 3, 100).map((p) => p.name)).not.toEqual(names);
  });

  it("spreads the pod budget so a cluster holds about the requested pods", () => {
    for (const [pods, nodes] of [
      [2000, 20],
      [500, 5],
      [120, 3],
    ] as const) {
      const plan = planReplicas(new SeededRandom("budget"), pods, nodes);
      const daemonSets = NAMESPACES.flatMap((ns) => ns.components).filter(
        (c) => c.kind === "DaemonSet",
      ).length;
      const total = [...plan.values()].reduce((a, b) => a + b, 0) + daemonSets * nodes;
      expect(total).toBe(pods);
    }
  });
});

describe("buildUsers", () => {
  it("gives every user a distinct token that follows from the seed", () => {
    const users = buildUsers(new SeededRandom("u"));
    expect(users.map((u) => u.name)).toEqual([
      "admin",
      "alice",
      "bob",
      "carol",
      "mallory",
      "fleetgraph-gateway",
    ]);
    expect(new Set(users.map((u) => u.token)).size).toBe(users.length);
    expect(buildUsers(new SeededRandom("u"))).toEqual(users);
    expect(buildUsers(new SeededRandom("v"))[0]!.token).not.toBe(users[0]!.token);
    expect(users[0]!.groups).toContain("system:masters");
  });
});

describe("populateCluster with the real controllers", () => {
  let store: ClusterStore;
  let controllers: Controllers;
  const plan = planFleet("populate", 1, 3, 120)[0]!;

  beforeAll(() => {
    store = new ClusterStore({ clusterName: plan.name });
    bootstrapRbac(store);
    controllers = startControllers(store, {});
    populateCluster(store, {
      plan,
      users: buildUsers(new SeededRandom("populate")),
      settle: () => controllers.runUntilIdle(),
    });
  });

  afterAll(() => controllers.stop());

  it("creates the nodes, namespaces with workspace labels and about the planned number of Running pods", () => {
    const nodes = store.all(NODES);
    expect(nodes).toHaveLength(3);
    expect(nodes[0]!.metadata.labels).toMatchObject({ "topology.kubernetes.io/region": plan.region.name });
    const retail = store
      .all(NAMESPACE_KIND)
      .filter((n) => n.metadata.labels?.["kubesphere.io/workspace"] === "retail");
    expect(retail.map((n) => n.metadata.name).sort()).toEqual(["cart", "catalog", "checkout", "payments"]);
    const pods = store.all(PODS);
    expect(pods.length).toBeGreaterThanOrEqual(110);
    expect(pods.length).toBeLessThanOrEqual(130);
    const running = pods.filter((p) => phase(p) === "Running").length;
    const succeeded = pods.filter((p) => phase(p) === "Succeeded").length;
    expect(running + succeeded).toBe(pods.length);
  });

  it("runs one pod of each DaemonSet per node", () => {
    for (const ds of store.all(DAEMONSETS)) {
      const owned = store.ownedBy(ds.metadata.uid!).filter((o) => o.resource === "/pods");
      expect(owned.map((o) => (o.object.spec as { nodeName: string }).nodeName).sort()).toEqual(
        store
          .all(NODES)
          .map((n) => n.metadata.name)
          .sort(),
      );
    }
  });

  it("gives pods ports, requests and limits, the four conditions and their QoS class; nodes and ReplicaSets their detail", () => {
    interface Container {
      ports?: unknown[];
      resources: { requests: Record<string, string>; limits: Record<string, string> };
    }
    const running = store.all(PODS).filter((p) => phase(p) === "Running");
    for (const pod of running) {
      const container = (pod.spec as { containers: Container[] }).containers[0]!;
      expect(Object.keys(container.resources.requests).sort()).toEqual(["cpu", "memory"]);
      expect(Object.keys(container.resources.limits).sort()).toEqual(["cpu", "memory"]);
      const status = pod.status as { conditions: { type: string; status: string }[]; qosClass: string };
      expect(status.conditions.map((c) => `${c.type}=${c.status}`).sort()).toEqual([
        "ContainersReady=True",
        "Initialized=True",
        "PodReadyToStartContainers=True",
        "PodScheduled=True",
        "Ready=True",
      ]);
      const guaranteed = container.resources.requests.cpu === container.resources.limits.cpu;
      expect(status.qosClass).toBe(guaranteed ? "Guaranteed" : "Burstable");
    }
    const web = running.find((p) => p.metadata.labels?.["app.kubernetes.io/name"] === "checkout-web")!;
    expect((web.spec as { containers: Container[] }).containers[0]!.ports).toEqual([
      { name: "http", containerPort: 80, protocol: "TCP" },
    ]);
    const db = running.find((p) => p.metadata.labels?.["app.kubernetes.io/name"] === "payments-db")!;
    expect((db.status as { qosClass: string }).qosClass).toBe("Guaranteed");
    for (const node of store.all(NODES)) {
      const conditions = (node.status as { conditions: { type: string; status: string }[] }).conditions;
      expect(conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
        "MemoryPressure=False",
        "DiskPressure=False",
        "PIDPressure=False",
        "Ready=True",
      ]);
      expect((node.spec as { taints?: unknown[] }).taints).toBeUndefined();
    }
    for (const rs of store.all(kind("apps", "replicasets")))
      expect(rs.metadata.annotations?.["deployment.kubernetes.io/revision"]).toMatch(/^\d+$/);
  });

  it("binds bob to view in his namespaces", () => {
    const bindings = store.all(ROLEBINDINGS).filter((b) => b.metadata.name === "bob-view");
    expect(bindings.map((b) => b.metadata.namespace).sort()).toEqual(["analytics", "search"]);
  });

  it("churns every kind of change through the store, each with its effect, within bounds", () => {
    const churn = startChurn(
      [
        {
          name: plan.name,
          store,
          restartContainer: (ns, pod) => restartContainer(store, ns, pod),
          setCpuDemand: (ns, hpa, replicas) => controllers.setCpuDemand(ns, hpa, replicas),
        },
      ],
      { rate: 0, seed: "churn" },
    );
    const autoscaled = new Set(store.all(AUTOSCALERS).map((h) => h.metadata.name));
    const replicasBefore = new Map(store.all(DEPLOYMENTS).map((d) => [d.metadata.name, replicas(d)]));
    const seen = new Set<ChurnAction>();
    for (let i = 0; i < 300; i++) {
      const desiredBefore = new Map(store.all(AUTOSCALERS).map((h) => [h.metadata.name, desired(h)]));
      const logLevels = new Map(store.all(CONFIGMAPS).map((c) => [c.metadata.uid, logLevel(c)]));
      const change = churn.step();
      controllers.runUntilIdle();
      if (!change) continue;
      seen.add(change.action);
      if (change.action === "autoscale") {
        // The HPA acted on the new load: a new desired count, and its Deployment follows it.
        const hpa = store.get(AUTOSCALERS, change.namespace, change.name)!;
        expect(desired(hpa)).not.toBe(desiredBefore.get(change.name));
        expect(replicas(store.get(DEPLOYMENTS, change.namespace, change.name)!)).toBe(desired(hpa));
      } else if (change.action === "reconfigure") {
        const cm = store.get(CONFIGMAPS, change.namespace, change.name)!;
        expect(logLevel(cm)).not.toBe(logLevels.get(cm.metadata.uid));
      } else if (change.action === "scale-statefulset") {
        // One claim (and one bound volume) per replica, no more, no fewer.
        const sts = store.get(STATEFULSETS, change.namespace, change.name)!;
        const claims = store
          .all(CLAIMS, change.namespace)
          .filter((c) => c.metadata.name!.startsWith(`data-${change.name}-`));
        expect(claims).toHaveLength(replicas(sts));
        expect(claims.every((c) => (c.status as { phase: string }).phase === "Bound")).toBe(true);
        expect(
          store.all(VOLUMES).filter((v) => claimOf(v).startsWith(`${change.namespace}/data-${change.name}-`)),
        ).toHaveLength(replicas(sts));
      } else if (change.action === "rollout") {
        const annotations = (
          store.get(DEPLOYMENTS, change.namespace, change.name)!.spec as {
            template: { metadata: { annotations?: Record<string, string> } };
          }
        ).template.metadata.annotations;
        expect(annotations?.["kubectl.kubernetes.io/restartedAt"]).toMatch(/^\d{4}-\d\d-\d\dT/);
      } else if (change.action === "restart") {
        const pod = store.get(PODS, change.namespace, change.name);
        const statuses = (pod?.status as { containerStatuses?: { restartCount: number }[] } | undefined)
          ?.containerStatuses;
        if (pod) expect(statuses?.some((s) => s.restartCount > 0)).toBe(true);
      }
    }
    churn.stop();
    expect(seen).toEqual(
      new Set(["restart", "scale", "rollout", "autoscale", "reconfigure", "scale-statefulset"]),
    );
    // Hand-made scaling stays within two of the plan, and leaves autoscaled Deployments to their HPA.
    for (const d of store.all(DEPLOYMENTS)) {
      if (autoscaled.has(d.metadata.name)) continue;
      expect(Math.abs(replicas(d) - replicasBefore.get(d.metadata.name)!)).toBeLessThanOrEqual(2);
    }
  });
});
