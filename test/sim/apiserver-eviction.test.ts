/**
 * PodDisruptionBudgets and the eviction subresource against a generated cluster, driven the way
 * operators do it: `kubectl create pdb`, `kubectl get pdb`, `kubectl drain` and client-node's
 * createNamespacedPodEviction. Every check is compared with the simulator's store.
 */
import { ApiException, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimCluster } from "../../sim/cluster.js";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { findResource, type ResourceKind } from "../../sim/kinds.js";
import type { KubeObject } from "../../src/kube/object.js";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";

const kind = (group: string, plural: string): ResourceKind => findResource(group, plural)!;
const POD = kind("", "pods");
const NS = kind("", "namespaces");
const NODE = kind("", "nodes");
const DEPLOY = kind("apps", "deployments");
const PDB = kind("policy", "poddisruptionbudgets");

let fleet: SimFleet;
let cluster: SimCluster;
let kc: string;
let ctx: string;
let core: CoreV1Api;

beforeAll(async () => {
  fleet = await startFleet({
    clusters: 1,
    nodes: 3,
    pods: 45,
    seed: "evict",
    // Slow enough that an evicted pod's replacement is not Ready before the next request.
    podStartDelayMs: 1500,
    metrics: false,
    logStore: false,
  });
  cluster = fleet.clusters[0]!;
  kc = fleet.kubeconfigPath;
  ctx = `--context=${cluster.name}`;
  const client = new KubeConfig();
  client.loadFromFile(kc);
  client.setCurrentContext(cluster.name);
  core = client.makeApiClient(CoreV1Api);
  cluster.store.create(NS, { metadata: { name: "evict" } });
});

afterAll(async () => {
  await fleet?.stop();
});

/** A Deployment of `replicas` pods labelled app=<name>, optionally pinned to one node. */
async function deploy(name: string, replicas: number, node?: string): Promise<KubeObject[]> {
  cluster.store.create(DEPLOY, {
    metadata: { name, namespace: "evict" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name, image: "nginx:1.27" }],
          ...(node ? { nodeSelector: { "kubernetes.io/hostname": node } } : {}),
        },
      },
    },
  });
  await eventually(() => ready(name).length === replicas);
  return ready(name);
}

const ready = (app: string): KubeObject[] =>
  cluster.store
    .all(POD, "evict")
    .filter((p) => p.metadata.labels?.app === app)
    .filter((p) =>
      ((p.status as { conditions?: { type: string; status: string }[] }).conditions ?? []).some(
        (c) => c.type === "Ready" && c.status === "True",
      ),
    );

const pdbStatus = (name: string): Record<string, unknown> =>
  (cluster.store.get(PDB, "evict", name)?.status ?? {}) as Record<string, unknown>;

function evict(pod: KubeObject, dryRun = false): Promise<unknown> {
  return core.createNamespacedPodEviction({
    name: pod.metadata.name!,
    namespace: "evict",
    body: {
      apiVersion: "policy/v1",
      kind: "Eviction",
      metadata: { name: pod.metadata.name!, namespace: "evict" },
      ...(dryRun ? { deleteOptions: { dryRun: ["All"] } } : {}),
    },
  });
}

async function failure(call: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) {
      const body = typeof error.body === "string" ? JSON.parse(error.body) : error.body;
      return { code: error.code, body: body as Record<string, unknown> };
    }
    throw error;
  }
  throw new Error("the call succeeded");
}

describe("PodDisruptionBudget", () => {
  it("kubectl create pdb and get pdb; the disruption controller computes its status", async () => {
    await deploy("api", 4);
    const created = await kubectl(kc, [
      ctx,
      "-n",
      "evict",
      "create",
      "poddisruptionbudget",
      "api",
      "--selector=app=api",
      "--max-unavailable=25%",
    ]);
    expect(created.stderr).toBe("");
    expect(created.stdout.trim()).toBe("poddisruptionbudget.policy/api created");
    await eventually(() => pdbStatus("api").observedGeneration === 1);
    // 25% of the Deployment's 4 replicas, rounded up: 1 may be unavailable, so 3 must stay healthy.
    expect(pdbStatus("api")).toMatchObject({
      expectedPods: 4,
      currentHealthy: 4,
      desiredHealthy: 3,
      disruptionsAllowed: 1,
      conditions: [
        { type: "DisruptionAllowed", status: "True", reason: "SufficientPods", observedGeneration: 1 },
      ],
    });
    const table = await kubectl(kc, [ctx, "-n", "evict", "get", "pdb"]);
    expect(table.stderr).toBe("");
    const rows = table.stdout
      .trim()
      .split("\n")
      .map((line) => line.trim().split(/\s{2,}/));
    expect(rows[0]).toEqual(["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"]);
    expect(rows[1]!.slice(0, 4)).toEqual(["api", "N/A", "25%", "1"]);
  });

  it("evicts while the budget allows, spending it at once, then refuses with 429 and the budget as cause", async () => {
    const pods = ready("api");
    await evict(pods[0]!);
    expect(cluster.store.get(POD, "evict", pods[0]!.metadata.name!)).toBeUndefined();
    // The eviction spent the only allowed disruption before the controller saw anything.
    const refused = await failure(evict(pods[1]!));
    expect(refused.code).toBe(429);
    expect(refused.body).toMatchObject({
      reason: "TooManyRequests",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
    });
    expect((refused.body.details as { causes: unknown[] }).causes).toEqual([
      {
        reason: "DisruptionBudget",
        message: expect.stringMatching(
          /^The disruption budget api needs 3 healthy pods and has \d currently$/,
        ),
      },
    ]);
    expect(cluster.store.get(POD, "evict", pods[1]!.metadata.name!)).toBeDefined();
    // Once the ReplicaSet's replacement is Ready the budget allows one again.
    await eventually(() => pdbStatus("api").disruptionsAllowed === 1 && ready("api").length === 4, 5000);
  });

  it("a dry run spends nothing and deletes nothing; two budgets over one pod are a 500", async () => {
    const pod = ready("api")[0]!;
    await evict(pod, true);
    expect(cluster.store.get(POD, "evict", pod.metadata.name!)).toBeDefined();
    expect(pdbStatus("api").disruptionsAllowed).toBe(1);

    cluster.store.create(PDB, {
      metadata: { name: "api-too", namespace: "evict" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "api" } } },
    });
    const refused = await failure(evict(pod));
    expect(refused.code).toBe(500);
    expect(refused.body).toMatchObject({
      status: "Failure",
      message:
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
    });
    cluster.store.delete(PDB, "evict", "api-too");
    cluster.store.delete(PDB, "evict", "api");
  });
});

describe("kubectl drain", () => {
  const nodes = (): string[] => cluster.store.all(NODE).map((n) => n.metadata.name!);
  const podsOn = (node: string): KubeObject[] =>
    cluster.store.all(POD).filter((p) => (p.spec as { nodeName?: string }).nodeName === node);
  const controllerKind = (p: KubeObject): string | undefined =>
    p.metadata.ownerReferences?.find((o) => o.controller)?.kind;

  it("cordons the node and evicts every pod but the DaemonSets'", async () => {
    const node = nodes()[0]!;
    expect(podsOn(node).filter((p) => controllerKind(p) !== "DaemonSet").length).toBeGreaterThan(0);
    const r = await kubectl(
      kc,
      [ctx, "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s"],
      70_000,
    );
    expect(r.stderr).not.toContain("error when evicting");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`node/${node} drained`);
    const left = podsOn(node);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((p) => controllerKind(p) === "DaemonSet")).toBe(true);
    const unschedulable = await kubectl(kc, [
      ctx,
      "get",
      "node",
      node,
      "-o",
      "jsonpath={.spec.unschedulable}",
    ]);
    expect(unschedulable.stdout).toBe("true");
    await kubectl(kc, [ctx, "uncordon", node]);
  });

  it("does not evict past a budget: the drain times out and the pods stay", async () => {
    const node = nodes()[1]!;
    const pinned = await deploy("pinned", 2, node);
    cluster.store.create(PDB, {
      metadata: { name: "pinned", namespace: "evict" },
      spec: { minAvailable: 2, selector: { matchLabels: { app: "pinned" } } },
    });
    await eventually(() => pdbStatus("pinned").observedGeneration === 1);
    expect(pdbStatus("pinned")).toMatchObject({
      disruptionsAllowed: 0,
      conditions: [{ type: "DisruptionAllowed", status: "False", reason: "InsufficientPods" }],
    });
    const r = await kubectl(
      kc,
      [ctx, "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=3s"],
      30_000,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(r.stderr).toContain(
      `error when evicting pods/"${pinned[0]!.metadata.name}" -n "evict": global timeout reached: 3s`,
    );
    for (const pod of pinned) expect(cluster.store.get(POD, "evict", pod.metadata.name!)).toBeDefined();
    await kubectl(kc, [ctx, "uncordon", node]);
  });
});
