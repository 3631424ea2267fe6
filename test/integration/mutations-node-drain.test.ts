/**
 * clusterNodeDrain against a simulated fleet of two clusters with authentication on: what the
 * gateway answers per node and per pod, and what kubectl then sees on the cluster (the node
 * cordoned, its pods gone but the DaemonSets', replacements running elsewhere, a budget's pods
 * kept).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";

interface FoundNode {
  id: string;
  name: string;
  clusterName: string;
}
interface DrainedPod {
  namespace: string;
  name: string;
  result: string;
  reason: string;
}
interface Outcome {
  cluster: string;
  status: string;
  replayed: boolean;
  target: { name: string };
  object: { name: string } | null;
  error: { code: string; message: string } | null;
  pods: DrainedPod[];
}
interface Payload {
  outcomes: Outcome[];
  userErrors: { field: string[]; message: string; code: string }[];
}

const DRAIN = `mutation ($input: ClusterNodeDrainInput!) { clusterNodeDrain(input: $input) {
  outcomes { cluster status replayed target { name } object { name } error { code message }
             pods { namespace name result reason } }
  userErrors { field message code } } }`;

let fx: AuthGateway;
let nodes: FoundNode[];

beforeAll(async () => {
  fx = await startAuthGateway({
    seed: "mutations-node-drain",
    fleet: { clusters: 2, nodes: 3, pods: 60 },
    users: ["admin", "bob", "carol"],
  });
  const r = await fx.query<{ clusterNodes: { nodes: FoundNode[] } }>(
    "admin",
    `{ clusterNodes(first: 50) { nodes { id name clusterName } } }`,
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  nodes = r.data.clusterNodes.nodes;
}, 120_000);

afterAll(async () => {
  await fx?.stop();
});

async function drain(user: string, input: object): Promise<Payload> {
  const r = await fx.query<{ clusterNodeDrain: Payload }>(user, DRAIN, { input });
  expect(r.errors).toBeUndefined();
  return r.data!.clusterNodeDrain;
}

async function run(node: FoundNode, args: string[]): Promise<string> {
  const r = await kubectl(fx.sim.kubeconfigPath, [`--context=${node.clusterName}`, ...args]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** "namespace/name controllerKind" of each pod kubectl lists on the node. */
async function podsOn(node: FoundNode): Promise<string[]> {
  const out = await run(node, [
    "get",
    "pods",
    "-A",
    "--field-selector",
    `spec.nodeName=${node.name}`,
    "-o",
    'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.metadata.ownerReferences[0].kind}{"\\n"}{end}',
  ]);
  return out.split("\n").filter(Boolean);
}

const unschedulable = (node: FoundNode): Promise<string> =>
  run(node, ["get", "node", node.name, "-o", "jsonpath={.spec.unschedulable}"]);

const namesOf = (lines: string[]): string[] => lines.map((l) => l.split(" ")[0]!).sort();

describe("clusterNodeDrain", () => {
  it("dryRun: the evictions are validated, nothing is cordoned or evicted", async () => {
    const node = nodes[0]!;
    const before = await podsOn(node);
    const result = await drain("admin", { ids: [node.id], dryRun: true });
    expect(result.userErrors).toEqual([]);
    const [outcome] = result.outcomes;
    expect(outcome?.status).toBe("DRY_RUN");
    expect(outcome?.pods.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual(namesOf(before));
    const daemonSetPods = before.filter((l) => l.endsWith(" DaemonSet"));
    expect(daemonSetPods.length).toBeGreaterThan(0);
    for (const pod of outcome!.pods) {
      const isDaemon = daemonSetPods.some((l) => l.startsWith(`${pod.namespace}/${pod.name} `));
      expect(pod.result, `${pod.namespace}/${pod.name}`).toBe(isDaemon ? "SKIPPED" : "EVICTED");
    }
    expect(await unschedulable(node)).toBe("");
    expect(namesOf(await podsOn(node))).toEqual(namesOf(before));
  });

  it("an idempotency key replays the first outcome with its pods (stored as JSON)", async () => {
    const node = nodes[2]!;
    const input = { ids: [node.id], dryRun: true, idempotencyKey: "drain-replay-1" };
    const first = (await drain("admin", input)).outcomes[0]!;
    const again = (await drain("admin", input)).outcomes[0]!;
    expect([first.status, first.replayed, again.replayed]).toEqual(["DRY_RUN", false, true]);
    expect(again.pods.length).toBeGreaterThan(0);
    expect(again.pods).toEqual(first.pods);
  });

  it("refuses a namespace viewer (the node is not in his Scope) and a cluster viewer (no patch)", async () => {
    const node = nodes[1]!;
    const before = namesOf(await podsOn(node));
    const bob = await drain("bob", { ids: [node.id] });
    expect(bob.outcomes.map((o) => o.status)).toEqual(["NOT_FOUND"]);

    // carol (group auditors) is a cluster-viewer at the gateway; the cluster's "view" ClusterRole
    // shows her no nodes, so a node is NOT_FOUND for her too until the cluster lets her read them.
    const carolSees = async (): Promise<boolean> => {
      const r = await fx.query<{ clusterNodes: { nodes: { id: string }[] } }>(
        "carol",
        `{ clusterNodes(first: 50) { nodes { id } } }`,
      );
      return r.data?.clusterNodes.nodes.some((n) => n.id === node.id) ?? false;
    };
    expect(await carolSees()).toBe(false);
    await run(node, [
      "create",
      "clusterrole",
      "drain-test-node-reader",
      "--verb=get,list,watch",
      "--resource=nodes",
    ]);
    await run(node, [
      "create",
      "clusterrolebinding",
      "drain-test-auditors-nodes",
      "--clusterrole=drain-test-node-reader",
      "--group=auditors",
    ]);
    await eventually(carolSees);
    const carol = await drain("carol", { ids: [node.id] });
    expect(carol.outcomes.map((o) => o.status)).toEqual(["FORBIDDEN"]);
    expect(carol.outcomes[0]?.error?.message).toMatch(/^gateway:/);
    expect(await unschedulable(node)).toBe("");
    expect(namesOf(await podsOn(node))).toEqual(before);
  });

  it("drains a node: cordoned, only DaemonSet pods left, the ReplicaSets' pods replaced elsewhere", async () => {
    const node = nodes[0]!;
    const before = await podsOn(node);
    const replicated = before.filter((l) => l.endsWith(" ReplicaSet")).map((l) => l.split(" ")[0]!);
    expect(replicated.length).toBeGreaterThan(0);
    const result = await drain("admin", { ids: [node.id], gracePeriodSeconds: 0 });
    const [outcome] = result.outcomes;
    expect(outcome?.error).toBeNull();
    expect([outcome?.status, outcome?.object?.name]).toEqual(["APPLIED", node.name]);
    expect(outcome?.pods.filter((p) => p.result !== "EVICTED" && p.result !== "SKIPPED")).toEqual([]);

    expect(await unschedulable(node)).toBe("true");
    const after = await podsOn(node);
    expect(after.length).toBeGreaterThan(0);
    expect(
      after.every((l) => l.endsWith(" DaemonSet")),
      after.join(", "),
    ).toBe(true);
    // Each evicted ReplicaSet pod's replacement (same namespace, same ReplicaSet prefix) runs on another node.
    for (const evicted of replicated) {
      const [namespace, name] = evicted.split("/") as [string, string];
      const prefix = name.slice(0, name.lastIndexOf("-") + 1);
      await eventually(async () => {
        const out = await run(node, [
          "-n",
          namespace,
          "get",
          "pods",
          "-o",
          'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.phase}{"\\n"}{end}',
        ]);
        return out
          .split("\n")
          .some(
            (l) =>
              l.startsWith(prefix) &&
              !l.startsWith(`${name} `) &&
              l.endsWith(" Running") &&
              !l.includes(` ${node.name} `),
          );
      });
    }
  });

  it("keeps the pods a budget protects (BLOCKED, naming it), evicts the others, and says the drain is incomplete", async () => {
    const node = nodes.find((n) => n.clusterName !== nodes[0]!.clusterName)!;
    const dir = mkdtempSync(join(tmpdir(), "drain-"));
    const manifest = join(dir, "guarded.yaml");
    writeFileSync(
      manifest,
      `apiVersion: v1
kind: Namespace
metadata: { name: drain-guarded }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: guarded, namespace: drain-guarded }
spec:
  replicas: 2
  selector: { matchLabels: { app: guarded } }
  template:
    metadata: { labels: { app: guarded } }
    spec:
      nodeSelector: { kubernetes.io/hostname: ${node.name} }
      containers: [{ name: web, image: nginx:1.27 }]
`,
    );
    await run(node, ["apply", "-f", manifest]);
    await run(node, [
      "-n",
      "drain-guarded",
      "create",
      "pdb",
      "guarded",
      "--selector=app=guarded",
      "--max-unavailable=0",
    ]);
    const guarded = async (): Promise<string[]> =>
      (await podsOn(node)).filter((l) => l.startsWith("drain-guarded/")).map((l) => l.split(" ")[0]!);
    await eventually(async () => (await guarded()).length === 2);
    // The disruption controller has counted them: the budget allows no disruption.
    await eventually(
      async () =>
        (await run(node, [
          "-n",
          "drain-guarded",
          "get",
          "pdb",
          "guarded",
          "-o",
          "jsonpath={.status.currentHealthy}/{.status.disruptionsAllowed}",
        ])) === "2/0",
    );
    const kept = await guarded();

    const started = Date.now();
    const result = await drain("admin", { ids: [node.id], gracePeriodSeconds: 0, timeoutSeconds: 3 });
    expect(Date.now() - started).toBeLessThan(15_000);
    const [outcome] = result.outcomes;
    expect(outcome?.status).toBe("FAILED");
    expect(outcome?.error?.code).toBe("DRAIN_INCOMPLETE");
    expect(outcome?.error?.message).toMatch(/2 of \d+ pods stayed/);
    expect(outcome?.error?.message).toContain(
      "The disruption budget guarded needs 2 healthy pods and has 2 currently",
    );
    const blocked = outcome!.pods.filter((p) => p.result === "BLOCKED");
    expect(blocked.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual([...kept].sort());
    for (const p of blocked) expect(p.reason).toMatch(/disruption budget guarded/);
    expect(outcome!.pods.filter((p) => p.result === "EVICTED").length).toBeGreaterThan(0);
    expect(outcome!.pods.filter((p) => p.result === "FAILED")).toEqual([]);

    expect(await unschedulable(node)).toBe("true");
    const after = await podsOn(node);
    expect(
      after
        .filter((l) => !l.endsWith(" DaemonSet"))
        .map((l) => l.split(" ")[0]!)
        .sort(),
    ).toEqual([...kept].sort());
  });

  it("rejects a timeout or grace period out of range as user errors, doing nothing", async () => {
    const node = nodes[2]!;
    const result = await drain("admin", { ids: [node.id], timeoutSeconds: 601, gracePeriodSeconds: -1 });
    expect(result.outcomes).toEqual([]);
    expect(result.userErrors.map((e) => e.field.join("."))).toEqual([
      "input.gracePeriodSeconds",
      "input.timeoutSeconds",
    ]);
    expect(await unschedulable(node)).toBe("");
  });

  it("ignoreDaemonSets: false refuses a node running DaemonSet pods (INVALID, naming them), evicting nothing", async () => {
    const node = nodes[2]!;
    const before = await podsOn(node);
    const daemons = before.filter((l) => l.endsWith(" DaemonSet")).map((l) => l.split(" ")[0]!);
    const [outcome] = (await drain("admin", { ids: [node.id], ignoreDaemonSets: false })).outcomes;
    expect(outcome?.status).toBe("INVALID");
    expect(outcome?.error?.message).toMatch(
      /^cannot delete DaemonSet-managed Pods \(use ignoreDaemonSets\): /,
    );
    for (const name of daemons) expect(outcome?.error?.message).toContain(name);
    expect(outcome?.pods.filter((p) => p.result === "BLOCKED").length).toBe(daemons.length);
    expect(outcome?.pods.filter((p) => p.result === "EVICTED")).toEqual([]);
    // As kubectl leaves it: cordoned, every pod still there.
    expect(await unschedulable(node)).toBe("true");
    expect(namesOf(await podsOn(node))).toEqual(namesOf(before));
  });
});
