/**
 * The deterministic generator: names, sizes, users, the objects it writes into a cluster store
 * (with the real controllers running), and the churn.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { bootstrapRbac } from "../../sim/auth/index.js";
import { restartContainer, startControllers, type Controllers } from "../../sim/controllers/index.js";
import { NAMESPACES } from "../../sim/generator/catalog.js";
import { startChurn, type ChurnChange } from "../../sim/generator/churn.js";
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

const phase = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;

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

  it("binds bob to view in his namespaces", () => {
    const bindings = store.all(ROLEBINDINGS).filter((b) => b.metadata.name === "bob-view");
    expect(bindings.map((b) => b.metadata.namespace).sort()).toEqual(["analytics", "search"]);
  });

  it("churns: restarts, scales within bounds and rolls out, all through the store", () => {
    const changes: ChurnChange[] = [];
    const churn = startChurn(
      [{ name: plan.name, store, restartContainer: (ns, pod) => restartContainer(store, ns, pod) }],
      { rate: 0, seed: "churn", onChange: (c) => changes.push(c) },
    );
    const replicasBefore = new Map(
      store.all(DEPLOYMENTS).map((d) => [d.metadata.name, (d.spec as { replicas: number }).replicas]),
    );
    for (let i = 0; i < 60; i++) churn.step();
    controllers.runUntilIdle();
    churn.stop();
    const actions = new Set(changes.map((c) => c.action));
    expect(actions).toEqual(new Set(["restart", "scale", "rollout"]));
    for (const d of store.all(DEPLOYMENTS)) {
      const before = replicasBefore.get(d.metadata.name)!;
      expect(Math.abs((d.spec as { replicas: number }).replicas - before)).toBeLessThanOrEqual(2);
    }
    const rolled = changes.find((c) => c.action === "rollout")!;
    const deployment = store.get(DEPLOYMENTS, rolled.namespace, rolled.name)!;
    const annotations = (
      deployment.spec as { template: { metadata: { annotations?: Record<string, string> } } }
    ).template.metadata.annotations;
    expect(annotations?.["kubectl.kubernetes.io/restartedAt"]).toMatch(/^\d{4}-\d\d-\d\dT/);
    const restarted = changes.find((c) => c.action === "restart")!;
    const pod = store.get(PODS, restarted.namespace, restarted.name);
    if (pod) {
      const statuses =
        (pod.status as { containerStatuses?: { restartCount: number }[] }).containerStatuses ?? [];
      expect(statuses.some((s) => s.restartCount > 0)).toBe(true);
    }
  });
});
