/**
 * fleetWorkloads end to end: the same Deployment applied with kubectl to three simulated clusters
 * (one on an older image, one scaled down), read through the gateway over HTTP with the demo
 * users' tokens: the group's aggregate status and drift, a user whose clusters' RBAC lets them
 * read two of the three, a cluster that goes down, and workloadScale given the group (by an admin,
 * and by that user, who may write on one cluster only).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";

const NAME = "checkout-fed";
const SOLO = "checkout-solo";
const IMAGE = "registry.example/checkout:2.1";
const OLD_IMAGE = "registry.example/checkout:2.0";

interface Group {
  id: string;
  name: string;
  namespaceName: string;
  kind: string;
  instances: {
    clusterName: string;
    replicas: { desired: number; ready: number };
    containers: { image: string; requests: { cpu: string }; limits: { memory: string } }[];
  }[];
  status: {
    desiredReplicas: number;
    readyReplicas: number;
    clusterCount: number;
    clusterNames: string[];
    missingClusters: string[];
    degradedClusters: string[];
    driftedClusters: string[];
    clustersAffected: number;
    drift: { clusterName: string; container: string; field: string; value: string; majorityValue: string }[];
  };
}

interface Connection {
  nodes: Group[];
  totalCount: number;
  outcomes: { clusterName: string; error: { code: string } | null }[];
}

const GROUP = `id name namespaceName kind
  instances { clusterName replicas { desired ready } containers { image requests { cpu } limits { memory } } }
  status { desiredReplicas readyReplicas clusterCount clusterNames missingClusters degradedClusters
    driftedClusters clustersAffected drift { clusterName container field value majorityValue } }`;
const QUERY = `query ($filter: FleetWorkloadFilter) {
  fleetWorkloads(first: 10, filter: $filter) { totalCount nodes { ${GROUP} } outcomes { clusterName error { code } } }
}`;

let fx: AuthGateway;
let base: string;
let older: string;
let scaled: string;
let dir: string;

function manifest(name: string, image: string, replicas: number): string {
  const file = join(dir, `${name}-${image.split(":")[1]}-${replicas}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace: "default", labels: { app: name } },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name: "app",
                image,
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
              },
            ],
          },
        },
      },
    }),
  );
  return file;
}

async function onCluster(cluster: string, args: string[]): Promise<string> {
  const r = await kubectl(fx.sim.kubeconfigPath, [`--context=${cluster}`, ...args]);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} on ${cluster}: ${r.stderr}`);
  return r.stdout.trim();
}

async function groups(user: string, filter: Record<string, unknown> = { nameContains: "checkout-" }) {
  const r = await fx.query<{ fleetWorkloads: Connection }>(user, QUERY, { filter });
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  return { connection: r.data.fleetWorkloads, errors: r.errors ?? [], status: r.status };
}

const named = (c: Connection, name: string) => c.nodes.find((g) => g.name === name);

beforeAll(async () => {
  fx = await startAuthGateway({
    seed: "fleet-workloads",
    fleet: { clusters: 3, nodes: 2, pods: 30 },
    users: ["admin", "carol"],
    // The gateway lets carol operate `default`; each cluster's RBAC decides where she may write.
    extraRoleBindings: [{ role: "operator", namespace: "default", users: ["carol"], groups: [] }],
  });
  [base, older, scaled] = fx.sim.clusters.map((c) => c.name).sort() as [string, string, string];
  dir = mkdtempSync(join(tmpdir(), "fleet-workloads-"));
  await onCluster(base, ["apply", "-f", manifest(NAME, IMAGE, 3)]);
  await onCluster(older, ["apply", "-f", manifest(NAME, OLD_IMAGE, 3)]);
  await onCluster(scaled, ["apply", "-f", manifest(NAME, IMAGE, 1)]);
  await onCluster(base, ["apply", "-f", manifest(SOLO, IMAGE, 1)]);
  // The simulator's controllers bring the replicas up; the gateway's caches follow.
  await eventually(async () => {
    const { connection } = await groups("admin");
    const group = named(connection, NAME);
    return group?.status.readyReplicas === 7 && named(connection, SOLO)?.status.readyReplicas === 1;
  }, 30_000);
}, 120_000);

afterAll(async () => {
  await fx?.stop();
});

describe("fleetWorkloads", () => {
  it("groups the instances and reports replicas, drift from the majority's image and missing clusters", async () => {
    const { connection, errors } = await groups("admin");
    expect(errors).toEqual([]);
    const group = named(connection, NAME)!;
    expect(group).toMatchObject({ namespaceName: "default", kind: "DEPLOYMENT" });
    const template = (image: string) => [{ image, requests: { cpu: "100m" }, limits: { memory: "256Mi" } }];
    expect(group.instances).toEqual([
      { clusterName: base, replicas: { desired: 3, ready: 3 }, containers: template(IMAGE) },
      { clusterName: older, replicas: { desired: 3, ready: 3 }, containers: template(OLD_IMAGE) },
      { clusterName: scaled, replicas: { desired: 1, ready: 1 }, containers: template(IMAGE) },
    ]);
    expect(group.status).toMatchObject({
      desiredReplicas: 7,
      readyReplicas: 7,
      clusterCount: 3,
      clusterNames: [base, older, scaled],
      missingClusters: [],
      degradedClusters: [],
      driftedClusters: [older],
      clustersAffected: 1,
    });
    expect(group.status.drift).toEqual([
      { clusterName: older, container: "app", field: "image", value: OLD_IMAGE, majorityValue: IMAGE },
    ]);
    expect(named(connection, SOLO)!.status.missingClusters).toEqual([older, scaled]);

    const drifted = await groups("admin", { nameContains: "checkout-", drifted: true });
    expect(drifted.connection.nodes.map((g) => g.name)).toEqual([NAME]);

    const node = await fx.query<{ node: Group }>(
      "admin",
      `query ($id: ID!) { node(id: $id) { ... on FleetWorkload { ${GROUP} } } }`,
      { id: group.id },
    );
    expect(node.data?.node).toEqual(group);
  });

  it("shows a user whose RBAC reads two clusters only those instances, aggregated over them", async () => {
    const before = named((await groups("carol")).connection, NAME)!;
    expect(before.status.clusterNames).toEqual([base, older, scaled]);
    // carol views every namespace through a ClusterRoleBinding on each cluster: drop it on one.
    await onCluster(scaled, ["delete", "clusterrolebinding", "carol-view"]);
    const { connection, errors } = await eventually(async () => {
      const answer = await groups("carol");
      return named(answer.connection, NAME)!.instances.length === 2 && answer;
    }, 15_000);
    expect(errors).toEqual([]);
    const group = named(connection, NAME)!;
    expect(group.instances.map((i) => i.clusterName)).toEqual([base, older]);
    expect(group.status).toMatchObject({
      desiredReplicas: 6,
      readyReplicas: 6,
      clusterNames: [base, older],
      missingClusters: [],
      // Two instances that differ: the tie goes to the image that sorts first (2.0), so the
      // other one drifts; the third cluster, where 2.1 is the majority, is not counted.
      driftedClusters: [base],
    });
    expect(group.status.drift).toEqual([
      { clusterName: base, container: "app", field: "image", value: IMAGE, majorityValue: OLD_IMAGE },
    ]);
    expect(named(connection, SOLO)!.status.missingClusters).toEqual([older]);
    expect(connection.outcomes.map((o) => o.clusterName)).toEqual([base, older]);
    const admin = named((await groups("admin")).connection, NAME)!;
    expect(admin.status.clusterNames).toEqual([base, older, scaled]);
  });

  it("leaves a cluster that is down out of the groups and says so, without failing the answer", async () => {
    const victim = fx.sim.cluster(scaled);
    await victim.goDown();
    try {
      const { connection, errors, status } = await eventually(async () => {
        const answer = await groups("admin");
        return named(answer.connection, NAME)!.instances.length === 2 && answer;
      }, 20_000);
      expect(status).toBe(200);
      const group = named(connection, NAME)!;
      expect(group.status.clusterNames).toEqual([base, older]);
      expect(group.status.missingClusters).toEqual([]);
      expect(named(connection, SOLO)!.status.missingClusters).toEqual([older]);
      expect(connection.outcomes.find((o) => o.clusterName === scaled)?.error?.code).toBe(
        "CLUSTER_UNAVAILABLE",
      );
      expect(errors.map((e) => [e.extensions?.code, e.extensions?.cluster])).toEqual([
        ["CLUSTER_UNAVAILABLE", scaled],
      ]);
    } finally {
      await victim.comeBack();
    }
    await eventually(async () => {
      const answer = await groups("admin");
      return answer.errors.length === 0 && named(answer.connection, NAME)!.instances.length === 3;
    }, 30_000);
  });
});

describe("a fleet workload as a mutation's target", () => {
  const SCALE = `mutation ($input: WorkloadScaleInput!) { workloadScale(input: $input) {
    outcomes { cluster status target { name } error { code message } }
    userErrors { field message code } } }`;

  interface Payload {
    outcomes: { cluster: string; status: string; target: { name: string } }[];
    userErrors: { field: string[]; message: string; code: string }[];
  }

  const scale = async (input: Record<string, unknown>, user = "admin") => {
    const r = await fx.query<{ workloadScale: Payload }>(user, SCALE, { input });
    expect(r.errors).toBeUndefined();
    return r.data!.workloadScale;
  };

  it("scales every instance the caller may read, one outcome per cluster", async () => {
    const group = named((await groups("admin")).connection, NAME)!;
    const result = await scale({ groups: [group.id], replicas: 2 });
    expect(result.userErrors).toEqual([]);
    expect(result.outcomes.map((o) => [o.cluster, o.status, o.target.name]).sort()).toEqual(
      [base, older, scaled].map((c) => [c, "APPLIED", NAME]),
    );
    for (const cluster of [base, older, scaled]) {
      expect(
        await onCluster(cluster, [
          "-n",
          "default",
          "get",
          "deployment",
          NAME,
          "-o",
          "jsonpath={.spec.replicas}",
        ]),
      ).toBe("2");
    }
  });

  it("refuses an id that is not a group's, and groups given with ids, before anything is sent", async () => {
    const group = named((await groups("admin")).connection, NAME)!;
    const workload = await fx.query<{ workloads: { nodes: { id: string }[] } }>(
      "admin",
      `{ workloads(first: 1, filter: { nameContains: "${NAME}" }) { nodes { id } } }`,
    );
    const workloadId = workload.data!.workloads.nodes[0]!.id;
    const wrong = await scale({ groups: [workloadId], replicas: 4 });
    expect(wrong.outcomes).toEqual([]);
    expect(wrong.userErrors).toMatchObject([{ field: ["input", "groups", "0"], code: "BAD_USER_INPUT" }]);
    const both = await scale({ groups: [group.id], ids: [workloadId], replicas: 4 });
    expect(both.userErrors).toMatchObject([{ field: ["input"], code: "BAD_USER_INPUT" }]);
    expect(
      await onCluster(base, ["-n", "default", "get", "deployment", NAME, "-o", "jsonpath={.spec.replicas}"]),
    ).toBe("2");
  });

  it("acts for a restricted user only on the instances they read, and writes only where they may", async () => {
    const replicasOn = (cluster: string) =>
      onCluster(cluster, ["-n", "default", "get", "deployment", NAME, "-o", "jsonpath={.spec.replicas}"]);
    // carol reads two clusters (not `scaled`); their RBAC lets her edit `default` on `base` only.
    await onCluster(scaled, ["delete", "clusterrolebinding", "carol-view", "--ignore-not-found"]);
    await onCluster(base, [
      "-n",
      "default",
      "create",
      "rolebinding",
      "carol-edit",
      "--clusterrole=edit",
      "--user=carol",
    ]);
    const group = await eventually(async () => {
      const g = named((await groups("carol")).connection, NAME);
      return g?.instances.length === 2 && g;
    }, 15_000);
    const before = { older: await replicasOn(older), scaled: await replicasOn(scaled) };
    expect(before.older).not.toBe("5");
    try {
      const result = await scale({ groups: [group.id], replicas: 5 }, "carol");
      expect(result.userErrors).toEqual([]);
      // No outcome names `scaled`: an instance carol cannot read is never a target.
      expect(result.outcomes.map((o) => [o.cluster, o.status]).sort()).toEqual([
        [base, "APPLIED"],
        [older, "FORBIDDEN"],
      ]);
      expect(await replicasOn(base)).toBe("5");
      expect(await replicasOn(older)).toBe(before.older);
      expect(await replicasOn(scaled)).toBe(before.scaled);
    } finally {
      await onCluster(base, ["-n", "default", "delete", "rolebinding", "carol-edit"]);
    }
  });
});
