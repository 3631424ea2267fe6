/**
 * workloadScale and workloadRestart against the simulated fleet, with authentication on: the
 * outcomes the gateway answers, and what kubectl then sees on the clusters.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import { kubectl } from "../support/kubectl.js";

interface Found {
  id: string;
  name: string;
  namespace: string;
  clusterName: string;
}

interface Outcome {
  cluster: string;
  status: string;
  target: { id: string; name: string };
  object: { name: string; replicas: { desired: number } | null } | null;
  error: { code: string; message: string } | null;
}

interface Payload {
  outcomes: Outcome[];
  userErrors: { field: string[]; message: string; code: string }[];
}

const PAYLOAD = `outcomes { cluster status target { id name } object { name replicas { desired } } error { code message } }
  userErrors { field message code }`;
const SCALE = `mutation ($input: WorkloadScaleInput!) { workloadScale(input: $input) { ${PAYLOAD} } }`;
const RESTART = `mutation ($input: WorkloadRestartInput!) { workloadRestart(input: $input) { ${PAYLOAD} } }`;

let fx: AuthGateway;
let deployments: Found[];
/** One Deployment on each of two clusters, a different pair per test (tests change them). */
let pairs: [Found, Found][];

beforeAll(async () => {
  fx = await startAuthGateway({
    seed: "mutations-workloads",
    fleet: { clusters: 2, nodes: 3, pods: 60 },
    users: ["admin", "bob"],
  });
  const r = await fx.query<{ workloads: { nodes: Found[] } }>(
    "admin",
    `{ workloads(first: 500, filter: { kinds: [DEPLOYMENT] }) { nodes { id name namespace: namespaceName clusterName } } }`,
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  deployments = r.data.workloads.nodes;
  const [a, b] = fx.sim.clusters.map((c) => c.name);
  const onA = deployments.filter((d) => d.clusterName === a);
  const onB = deployments.filter((d) => d.clusterName === b);
  pairs = onA.slice(0, Math.min(onA.length, onB.length)).map((d, i) => [d, onB[i]!]);
  expect(pairs.length).toBeGreaterThanOrEqual(7);
}, 120_000);

afterAll(async () => {
  await fx?.stop();
});

function pair(i: number): [Found, Found] {
  return pairs[i]!;
}

async function kubectlGet(d: Found, jsonpath: string): Promise<string> {
  const r = await kubectl(fx.sim.kubeconfigPath, [
    `--context=${d.clusterName}`,
    "-n",
    d.namespace,
    "get",
    "deployment",
    d.name,
    "-o",
    `jsonpath={${jsonpath}}`,
  ]);
  if (r.code !== 0) throw new Error(`kubectl get: ${r.stderr}`);
  return r.stdout.trim();
}

const replicasOf = async (d: Found): Promise<number> => Number(await kubectlGet(d, ".spec.replicas"));

async function scale(user: string, input: Record<string, unknown>): Promise<Payload> {
  const r = await fx.query<{ workloadScale: Payload }>(user, SCALE, { input });
  expect(r.errors).toBeUndefined();
  return r.data!.workloadScale;
}

describe("workloadScale", () => {
  it("scales Deployments on two clusters in one mutation; kubectl and a query right after see it", async () => {
    const [a, b] = pair(0);
    const target = (await replicasOf(a)) + 2;
    const result = await scale("admin", { ids: [a.id, b.id], replicas: target });
    expect(result.userErrors).toEqual([]);
    expect(result.outcomes.map((o) => [o.cluster, o.status])).toEqual([
      [a.clusterName, "APPLIED"],
      [b.clusterName, "APPLIED"],
    ]);
    expect(result.outcomes.map((o) => o.object?.replicas?.desired)).toEqual([target, target]);
    expect(await replicasOf(a)).toBe(target);
    expect(await replicasOf(b)).toBe(target);
    // Read-your-writes: the cache already has it.
    const read = await fx.query<{ nodes: { replicas: { desired: number } }[] }>(
      "admin",
      `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Workload { replicas { desired } } } }`,
      { ids: [a.id, b.id] },
    );
    expect(read.data!.nodes.map((n) => n.replicas.desired)).toEqual([target, target]);
  });

  it("dryRun answers DRY_RUN with the would-be object and changes nothing", async () => {
    const [a] = pair(1);
    const before = await replicasOf(a);
    const result = await scale("admin", { ids: [a.id], replicas: before + 3, dryRun: true });
    expect(result.outcomes.map((o) => o.status)).toEqual(["DRY_RUN"]);
    expect(result.outcomes[0]!.object?.replicas?.desired).toBe(before + 3);
    expect(await replicasOf(a)).toBe(before);
  });

  it("a stale expectedResourceVersion is a CONFLICT naming the current version; the current one applies", async () => {
    const [a] = pair(2);
    const before = await replicasOf(a);
    const version = await kubectlGet(a, ".metadata.resourceVersion");
    const stale = await scale("admin", {
      ids: [a.id],
      replicas: before + 1,
      expectedResourceVersion: String(Number(version) - 1),
    });
    expect(stale.outcomes[0]!.status).toBe("CONFLICT");
    expect(stale.outcomes[0]!.error?.message).toMatch(/it is now at \d+/);
    expect(await replicasOf(a)).toBe(before);
    const current = await kubectlGet(a, ".metadata.resourceVersion");
    const fresh = await scale("admin", {
      ids: [a.id],
      replicas: before + 1,
      expectedResourceVersion: current,
    });
    expect(fresh.outcomes[0]!.status).toBe("APPLIED");
    expect(await replicasOf(a)).toBe(before + 1);
  });

  it("a caller who may only view gets FORBIDDEN, and nothing changes", async () => {
    // bob views his namespaces: he sees their Deployments, and may change none.
    const seen = await fx.query<{ workloads: { nodes: Found[] } }>(
      "bob",
      `{ workloads(first: 5, filter: { kinds: [DEPLOYMENT] }) { nodes { id name namespace: namespaceName clusterName } } }`,
    );
    const d = seen.data!.workloads.nodes[0]!;
    expect(d).toBeDefined();
    const before = await replicasOf(d);
    const result = await scale("bob", { ids: [d.id], replicas: before + 4 });
    expect(result.outcomes.map((o) => [o.target.name, o.status])).toEqual([[d.name, "FORBIDDEN"]]);
    expect(await replicasOf(d)).toBe(before);
  });

  it("a cluster that is down is CLUSTER_UNAVAILABLE; the other still applies", async () => {
    const [a, b] = pair(4);
    const target = (await replicasOf(a)) + 1;
    const down = fx.sim.cluster(b.clusterName);
    await down.goDown();
    try {
      const result = await scale("admin", { ids: [a.id, b.id], replicas: target });
      const byCluster = Object.fromEntries(result.outcomes.map((o) => [o.cluster, o.status]));
      expect(byCluster).toEqual({ [a.clusterName]: "APPLIED", [b.clusterName]: "CLUSTER_UNAVAILABLE" });
      expect(await replicasOf(a)).toBe(target);
    } finally {
      await down.comeBack();
    }
    // Later tests use this cluster: wait until the gateway has noticed it is back (a dry run answers).
    await expect
      .poll(
        async () =>
          (
            await fx.query<{ workloadRestart: Payload }>("admin", RESTART, {
              input: { ids: [b.id], dryRun: true },
            })
          ).data?.workloadRestart.outcomes[0]?.status,
        { timeout: 30_000, interval: 250 },
      )
      .toBe("DRY_RUN");
  }, 60_000);

  it("puts bad input in userErrors with its field path, and does nothing", async () => {
    const [a] = pair(5);
    const before = await replicasOf(a);
    const cluster = await fx.query<{ clusters: { nodes: { id: string }[] } }>(
      "admin",
      `{ clusters { nodes { id } } }`,
    );
    const clusterId = cluster.data!.clusters.nodes[0]!.id;
    const result = await scale("admin", { ids: [a.id, clusterId], replicas: before + 1 });
    expect(result.outcomes).toEqual([]);
    expect(result.userErrors).toEqual([
      expect.objectContaining({ field: ["input", "ids", "1"], code: "BAD_USER_INPUT" }),
    ]);
    const negative = await scale("admin", { ids: [a.id], replicas: -1 });
    expect(negative.userErrors.map((e) => e.field)).toEqual([["input", "replicas"]]);
    const tooMany = await scale("admin", { ids: Array.from({ length: 101 }, () => a.id), replicas: 1 });
    expect(tooMany.userErrors.map((e) => e.code)).toEqual(["LIMIT_EXCEEDED"]);
    expect(await replicasOf(a)).toBe(before);
  });
});

describe("workloadRestart", () => {
  it("sets the restartedAt annotation, and the Deployment's pods are replaced", async () => {
    const [a] = pair(6);
    const podsBefore = await podNamesOf(a);
    const r = await fx.query<{ workloadRestart: Payload }>("admin", RESTART, { input: { ids: [a.id] } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.workloadRestart.outcomes.map((o) => o.status)).toEqual(["APPLIED"]);
    const annotation = await kubectlGet(
      a,
      ".spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt",
    );
    expect(annotation).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.now() - Date.parse(annotation)).toBeLessThan(60_000);
    if (podsBefore.length > 0) {
      await expect
        .poll(async () => (await podNamesOf(a)).some((p) => podsBefore.includes(p)), {
          timeout: 20_000,
          interval: 250,
        })
        .toBe(false);
    }
  }, 30_000);

  it("dryRun sets nothing", async () => {
    const [, b] = pair(0);
    const r = await fx.query<{ workloadRestart: Payload }>("admin", RESTART, {
      input: { ids: [b.id], dryRun: true },
    });
    expect(r.data!.workloadRestart.outcomes.map((o) => o.status)).toEqual(["DRY_RUN"]);
    expect(
      await kubectlGet(b, ".spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt"),
    ).toBe("");
  });
});

/** The pods a Deployment's selector matches, by kubectl. */
async function podNamesOf(d: Found): Promise<string[]> {
  const selector = await kubectl(fx.sim.kubeconfigPath, [
    `--context=${d.clusterName}`,
    "-n",
    d.namespace,
    "get",
    "deployment",
    d.name,
    "-o",
    "go-template={{range $k, $v := .spec.selector.matchLabels}}{{$k}}={{$v}},{{end}}",
  ]);
  const labels = selector.stdout.trim().replace(/,$/, "");
  const r = await kubectl(fx.sim.kubeconfigPath, [
    `--context=${d.clusterName}`,
    "-n",
    d.namespace,
    "get",
    "pods",
    "-l",
    labels,
    "-o",
    "jsonpath={.items[*].metadata.name}",
  ]);
  return r.stdout.trim().split(/\s+/).filter(Boolean);
}
