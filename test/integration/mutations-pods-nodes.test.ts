/**
 * podDelete, clusterNodeCordon and clusterNodeUncordon against the simulated fleet, with
 * authentication on: the outcomes the gateway answers, and what kubectl then sees.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import { kubectl } from "../support/kubectl.js";
import { eventually } from "../support/eventually.js";

interface Found {
  id: string;
  name: string;
  clusterName: string;
}
interface FoundPod extends Found {
  namespace: string;
}
interface Payload {
  outcomes: { cluster: string; status: string; target: { name: string }; object: { name: string } | null }[];
  userErrors: { field: string[]; message: string; code: string }[];
}

const PAYLOAD = `outcomes { cluster status target { name } object { name } error { code message } } userErrors { field message code }`;
const DELETE = `mutation ($input: PodDeleteInput!) { podDelete(input: $input) { ${PAYLOAD} } }`;
const CORDON = `mutation ($input: ClusterNodeCordonInput!) { clusterNodeCordon(input: $input) { ${PAYLOAD} } }`;
const UNCORDON = `mutation ($input: ClusterNodeCordonInput!) { clusterNodeUncordon(input: $input) { ${PAYLOAD} } }`;

let fx: AuthGateway;
let nodes: Found[];

beforeAll(async () => {
  fx = await startAuthGateway({
    seed: "mutations-pods-nodes",
    fleet: { clusters: 2, nodes: 3, pods: 60 },
    users: ["admin", "bob"],
  });
  const r = await fx.query<{ clusterNodes: { nodes: Found[] } }>(
    "admin",
    `{ clusterNodes(first: 50) { nodes { id name clusterName } } }`,
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  nodes = r.data.clusterNodes.nodes;
}, 120_000);

afterAll(async () => {
  await fx?.stop();
});

async function mutate(user: string, query: string, field: string, input: object): Promise<Payload> {
  const r = await fx.query<Record<string, Payload>>(user, query, { input });
  expect(r.errors).toBeUndefined();
  return r.data![field]!;
}

async function replicaSetPods(user: string): Promise<FoundPod[]> {
  const r = await fx.query<{ pods: { nodes: (FoundPod & { owner: string | null })[] } }>(
    user,
    `{ pods(first: 200) { nodes { id name namespace: namespaceName clusterName } } }`,
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  return r.data.pods.nodes.filter((p) => /-[a-z0-9]{8,10}-[a-z0-9]{5}$/.test(p.name));
}

async function podExists(p: FoundPod): Promise<boolean> {
  const r = await kubectl(fx.sim.kubeconfigPath, [
    `--context=${p.clusterName}`,
    "-n",
    p.namespace,
    "get",
    "pod",
    p.name,
    "-o",
    "name",
  ]);
  return r.code === 0;
}

async function unschedulable(n: Found): Promise<string> {
  const r = await kubectl(fx.sim.kubeconfigPath, [
    `--context=${n.clusterName}`,
    "get",
    "node",
    n.name,
    "-o",
    "jsonpath={.spec.unschedulable}",
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

const countLike = async (p: FoundPod): Promise<number> => {
  const prefix = p.name.slice(0, p.name.lastIndexOf("-"));
  const r = await kubectl(fx.sim.kubeconfigPath, [
    `--context=${p.clusterName}`,
    "-n",
    p.namespace,
    "get",
    "pods",
    "-o",
    "name",
  ]);
  return r.stdout.split("\n").filter((line) => line.startsWith(`pod/${prefix}-`)).length;
};

describe("podDelete", () => {
  it("deletes pods; kubectl shows them gone, and their ReplicaSet replaces them", async () => {
    const [pod] = await replicaSetPods("admin");
    expect(pod).toBeDefined();
    const before = await countLike(pod!);
    const result = await mutate("admin", DELETE, "podDelete", { ids: [pod!.id], gracePeriodSeconds: 0 });
    expect(result.userErrors).toEqual([]);
    expect(result.outcomes.map((o) => [o.target.name, o.status])).toEqual([[pod!.name, "APPLIED"]]);
    expect(await podExists(pod!)).toBe(false);
    await eventually(async () => (await countLike(pod!)) === before);
  });

  it("dryRun answers DRY_RUN and deletes nothing", async () => {
    const [, pod] = await replicaSetPods("admin");
    const result = await mutate("admin", DELETE, "podDelete", { ids: [pod!.id], dryRun: true });
    expect(result.outcomes.map((o) => [o.status, o.object?.name])).toEqual([["DRY_RUN", pod!.name]]);
    expect(await podExists(pod!)).toBe(true);
  });

  it("a viewer gets FORBIDDEN and the pod stays; a bad grace period is a user error", async () => {
    const [pod] = await replicaSetPods("bob");
    expect(pod).toBeDefined();
    const result = await mutate("bob", DELETE, "podDelete", { ids: [pod!.id] });
    expect(result.outcomes.map((o) => o.status)).toEqual(["FORBIDDEN"]);
    expect(await podExists(pod!)).toBe(true);
    const bad = await mutate("admin", DELETE, "podDelete", { ids: [pod!.id], gracePeriodSeconds: -1 });
    expect(bad.outcomes).toEqual([]);
    expect(bad.userErrors).toEqual([
      expect.objectContaining({ field: ["input", "gracePeriodSeconds"], code: "BAD_USER_INPUT" }),
    ]);
  });
});

describe("clusterNodeCordon and clusterNodeUncordon", () => {
  it("cordons and uncordons as kubectl does; again is UNCHANGED; dryRun changes nothing", async () => {
    const node = nodes[0]!;
    const dry = await mutate("admin", CORDON, "clusterNodeCordon", { ids: [node.id], dryRun: true });
    expect(dry.outcomes.map((o) => o.status)).toEqual(["DRY_RUN"]);
    expect(await unschedulable(node)).toBe("");

    const cordoned = await mutate("admin", CORDON, "clusterNodeCordon", { ids: [node.id] });
    expect(cordoned.outcomes.map((o) => [o.target.name, o.status, o.object?.name])).toEqual([
      [node.name, "APPLIED", node.name],
    ]);
    expect(await unschedulable(node)).toBe("true");
    const again = await mutate("admin", CORDON, "clusterNodeCordon", { ids: [node.id] });
    expect(again.outcomes.map((o) => o.status)).toEqual(["UNCHANGED"]);

    const uncordoned = await mutate("admin", UNCORDON, "clusterNodeUncordon", { ids: [node.id] });
    expect(uncordoned.outcomes.map((o) => o.status)).toEqual(["APPLIED"]);
    expect(["", "false"]).toContain(await unschedulable(node));
  });

  it("a caller without a cluster role cannot cordon: nodes are outside a namespace viewer's Scope", async () => {
    const node = nodes[1]!;
    const result = await mutate("bob", CORDON, "clusterNodeCordon", { ids: [node.id] });
    expect(result.outcomes.map((o) => o.status)).toEqual(["NOT_FOUND"]);
    expect(await unschedulable(node)).toBe("");
  });
});
