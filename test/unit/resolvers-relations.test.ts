import { beforeAll, describe, expect, it } from "vitest";
import { Scope } from "../../src/cache/scope.js";
import { dataOf, testGateway, type TestGateway } from "./read-service-fixtures.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await testGateway();
});

const GI = 2 ** 30;
type Pod = {
  name: string;
  cluster: string;
  node: { name: string } | null;
  owner: { __typename: string; name: string } | null;
};

describe("relations", () => {
  it("pod.node, pod.owner (through the ReplicaSet), pod.owners and pod.containers", async () => {
    const data = dataOf<{ pods: { nodes: unknown[] } }>(
      await gw.run(`{ pods(filter: { clusters: ["eu-1"], namespaces: ["shop", "default"] }, orderBy: { field: NAME }) { nodes {
        name node { name ready } owner { __typename name kind }
        owners { kind name id } containers { name image ready restarts state stateReason } } } }`),
    );
    const byName = new Map(data.pods.nodes.map((p) => [(p as { name: string }).name, p]));
    expect(byName.get("web-7d9f-001")).toMatchObject({
      node: { name: "eu-1-node-b", ready: true },
      owner: { __typename: "Deployment", name: "web", kind: "DEPLOYMENT" },
      owners: [
        { kind: "ReplicaSet", name: "web-7d9f" },
        { kind: "Deployment", name: "web" },
      ],
      containers: [
        {
          name: "main",
          image: "registry.example/web:1.0",
          ready: true,
          restarts: 1,
          state: "RUNNING",
          stateReason: null,
        },
      ],
    });
    expect(byName.get("report-29000-x1")).toMatchObject({
      owner: { __typename: "Job", name: "report-29000" },
      owners: [
        { kind: "Job", name: "report-29000" },
        { kind: "CronJob", name: "report" },
      ],
    });
    expect(byName.get("db-1")).toMatchObject({
      owner: { __typename: "StatefulSet", name: "db" },
      containers: [{ ready: false, state: "WAITING", stateReason: "CrashLoopBackOff" }],
    });
    expect(byName.get("debug")).toMatchObject({ node: null, owner: null, owners: [] });
  });

  it("workload.pods / containers / conditions / owners, and the owner chain's ids resolve", async () => {
    const data = dataOf<{ workloads: { nodes: Record<string, unknown>[] } }>(
      await gw.run(`{ workloads(filter: { clusters: ["us-1"] }, orderBy: { field: NAME }) { nodes {
        __typename name pods { name } containers { name image } conditions { type status } owners { kind name id } } } }`),
    );
    const w = new Map(data.workloads.nodes.map((n) => [n.name as string, n]));
    expect(w.get("web")).toMatchObject({
      pods: [{ name: "web-7d9f-000" }, { name: "web-7d9f-001" }, { name: "web-7d9f-002" }],
      containers: [{ name: "main", image: "registry.example/web:1.0" }],
      conditions: [{ type: "Available", status: "True" }],
      owners: [],
    });
    expect(w.get("report")).toMatchObject({ __typename: "CronJob", pods: [{ name: "report-29000-x1" }] });
    const jobOwners = w.get("report-29000")!.owners as { kind: string; id: string }[];
    expect(jobOwners.map((o) => o.kind)).toEqual(["CronJob"]);
    const owner = dataOf<{ node: unknown }>(
      await gw.run(`query($id: ID!) { node(id: $id) { __typename ... on CronJob { name cluster } } }`, {
        id: jobOwners[0]!.id,
      }),
    );
    expect(owner.node).toEqual({ __typename: "CronJob", name: "report", cluster: "us-1" });
  });

  it("cluster.namespaces / nodes / workloads(kinds) / summary, with quantities parsed", async () => {
    const data = dataOf<{ cluster: Record<string, unknown> }>(
      await gw.run(`{ cluster(name: "dev-1") {
        namespaces { name workspace } nodes { name pods { name } } workloads(kinds: [DAEMON_SET, STATEFUL_SET]) { __typename name }
        summary { nodes readyNodes namespaces workloads pods { total pending running succeeded failed unknown }
          capacity { cpuCores memoryBytes pods } allocatable { cpuCores memoryBytes pods } } } }`),
    );
    expect(data.cluster).toEqual({
      namespaces: [
        { name: "default", workspace: null },
        { name: "kube-system", workspace: null },
        { name: "shop", workspace: "retail" },
      ],
      nodes: [
        {
          name: "dev-1-node-a",
          pods: [
            { name: "report-29000-x1" },
            { name: "agent-a" },
            { name: "db-0" },
            { name: "web-7d9f-000" },
            { name: "web-7d9f-002" },
          ],
        },
        { name: "dev-1-node-b", pods: [{ name: "agent-b" }, { name: "db-1" }, { name: "web-7d9f-001" }] },
      ],
      workloads: [
        { __typename: "DaemonSet", name: "agent" },
        { __typename: "StatefulSet", name: "db" },
      ],
      summary: {
        nodes: 2,
        readyNodes: 1,
        namespaces: 3,
        workloads: 5,
        pods: { total: 9, pending: 2, running: 6, succeeded: 1, failed: 0, unknown: 0 },
        capacity: { cpuCores: 8, memoryBytes: 32 * GI, pods: 220 },
        allocatable: { cpuCores: 7.6, memoryBytes: 31 * GI, pods: 220 },
      },
    });
  });

  it("namespace.pods and namespace.workloads", async () => {
    const data = dataOf<{ namespaces: { nodes: unknown[] } }>(
      await gw.run(`{ namespaces(filter: { clusters: ["eu-1"], namespaces: ["kube-system", "default"] }, orderBy: { field: NAME }) {
        nodes { name pods { name } workloads { __typename name } } } }`),
    );
    expect(data.namespaces.nodes).toEqual([
      {
        name: "default",
        pods: [{ name: "debug" }, { name: "report-29000-x1" }],
        workloads: [
          { __typename: "CronJob", name: "report" },
          { __typename: "Job", name: "report-29000" },
        ],
      },
      {
        name: "kube-system",
        pods: [{ name: "agent-a" }, { name: "agent-b" }],
        workloads: [{ __typename: "DaemonSet", name: "agent" }],
      },
    ]);
  });

  it("a page of 100 pods with node, owner and owner chain costs a constant number of engine calls", async () => {
    const big = await testGateway({ webReplicas: 60 });
    const query = `query($first: Int!) { pods(first: $first, orderBy: { field: NAME }) { totalCount nodes {
      name node { name ready } owner { name ... on Deployment { readyReplicas } } owners { kind name } } } }`;
    const costOf = async (first: number) => {
      const before = big.counter.total();
      const result = await big.run(query, { first });
      const data = dataOf<{ pods: { totalCount: number; nodes: Pod[] } }>(result);
      return { calls: big.counter.total() - before, pods: data.pods.nodes };
    };
    // Both pages hold pods of every owner kind (agent, db, debug, report, web sort before web-*'s end).
    const thirty = await costOf(30);
    const hundred = await costOf(100);
    expect(hundred.pods).toHaveLength(100);
    expect(hundred.pods.filter((p) => p.owner?.name === "web").length).toBeGreaterThan(50);
    expect(hundred.pods.every((p) => p.node !== null || p.name === "debug")).toBe(true);
    // 1 list + 1 node batch + one call per owner kind, level by level: ReplicaSet, StatefulSet,
    // DaemonSet, Job; then Deployment, CronJob. Bounded by the kinds, not by the page size.
    expect(thirty.calls).toBe(8);
    expect(hundred.calls).toBe(thirty.calls);
  });
});

describe("node(id:)", () => {
  it("round-trips every type's id", async () => {
    const ids = dataOf<Record<string, { nodes: { id: string; __typename: string }[] }>>(
      await gw.run(`{ clusters(first: 1) { nodes { id __typename } } namespaces(first: 1) { nodes { id __typename } }
        nodes(first: 1) { nodes { id __typename } } workloads(first: 5) { nodes { id __typename } }
        pods(first: 1) { nodes { id __typename } } services(first: 1) { nodes { id __typename } } events(first: 1) { nodes { id __typename } } }`),
    );
    const all = Object.values(ids).flatMap((c) => c.nodes);
    expect(new Set(all.map((n) => n.__typename)).size).toBeGreaterThanOrEqual(8);
    for (const { id, __typename } of all) {
      const found = dataOf<{ node: { id: string; __typename: string } }>(
        await gw.run(`query($id: ID!) { node(id: $id) { id __typename } }`, { id }),
      );
      expect(found.node).toEqual({ id, __typename });
    }
  });

  it("answers null for a deleted object and for one outside the scope, the same way", async () => {
    const pods = dataOf<{ pods: { nodes: { id: string; cluster: string; namespace: string }[] } }>(
      await gw.run(
        `{ pods(filter: { clusters: ["us-1"], namespaces: ["kube-system"] }) { nodes { id cluster namespace } } }`,
      ),
    );
    const id = pods.pods.nodes[0]!.id;
    const onlyShop = Scope.of([{ cluster: "us-1", namespaces: ["shop"] }]);
    const outOfScope = await gw.run(`query($id: ID!) { node(id: $id) { id } }`, { id }, onlyShop);
    expect(outOfScope.errors).toBeUndefined();
    expect(outOfScope.data).toEqual({ node: null });
    const gone = Buffer.from("Pod/us-1/no-such-uid").toString("base64url");
    expect((await gw.run(`query($id: ID!) { node(id: $id) { id } }`, { id: gone })).data).toEqual({
      node: null,
    });
    const cluster = Buffer.from("Cluster/us-1").toString("base64url");
    expect(
      (await gw.run(`query($id: ID!) { node(id: $id) { id } }`, { id: cluster }, onlyShop)).data,
    ).toEqual({ node: { id: cluster } });
    expect(
      (
        await gw.run(
          `query($id: ID!) { node(id: $id) { id } }`,
          { id: cluster },
          Scope.of([{ cluster: "eu-1", namespaces: "*" }]),
        )
      ).data,
    ).toEqual({
      node: null,
    });
  });
});

describe("narrower scopes", () => {
  const shopInEu = Scope.of([{ cluster: "eu-1", namespaces: ["shop"] }]);

  it("apply to lists, counts and freshness", async () => {
    const data = dataOf<Record<string, { totalCount: number; clusters: { cluster: string }[] }>>(
      await gw.run(
        `{ pods { totalCount clusters { cluster } } workloads { totalCount clusters { cluster } }
        nodes { totalCount clusters { cluster } } namespaces { totalCount } events { totalCount } clusters { totalCount } }`,
        {},
        shopInEu,
      ),
    );
    expect(data.pods).toEqual({ totalCount: 5, clusters: [{ cluster: "eu-1" }] });
    expect(data.workloads!.totalCount).toBe(2);
    expect(data.nodes).toEqual({ totalCount: 0, clusters: [] });
    expect(data.namespaces!.totalCount).toBe(1);
    expect(data.events!.totalCount).toBe(2);
    expect(data.clusters!.totalCount).toBe(1);
  });

  it("apply to the cluster summary and relations: a pod's node is null without node access", async () => {
    const query = `{ cluster(name: "eu-1") { summary { nodes namespaces workloads pods { total pending } } nodes { name }
      workloads { name pods { name node { name } } } } }`;
    const data = dataOf<{
      cluster: {
        summary: unknown;
        nodes: unknown[];
        workloads: { name: string; pods: { name: string; node: unknown }[] }[];
      };
    }>(await gw.run(query, {}, shopInEu));
    expect(data.cluster.summary).toEqual({
      nodes: 0,
      namespaces: 1,
      workloads: 2,
      pods: { total: 5, pending: 1 },
    });
    expect(data.cluster.nodes).toEqual([]);
    expect(data.cluster.workloads.map((w) => w.name)).toEqual(["db", "web"]);
    expect(data.cluster.workloads.flatMap((w) => w.pods).every((p) => p.node === null)).toBe(true);

    const withNodes = Scope.of([{ cluster: "eu-1", namespaces: ["shop"], clusterKinds: ["Node"] }]);
    const seen = dataOf<{
      cluster: { nodes: { name: string }[]; workloads: { pods: { node: { name: string } | null }[] }[] };
    }>(await gw.run(query, {}, withNodes));
    expect(seen.cluster.nodes.map((n) => n.name)).toEqual(["eu-1-node-a", "eu-1-node-b"]);
    expect(seen.cluster.workloads.flatMap((w) => w.pods).every((p) => p.node !== null)).toBe(true);
    // Nodes are readable, but their pods outside "shop" are still not.
    const nodePods = dataOf<{ nodes: { nodes: { pods: { namespace: string }[] }[] } }>(
      await gw.run(`{ nodes { nodes { pods { namespace } } } }`, {}, withNodes),
    );
    expect(nodePods.nodes.nodes.flatMap((n) => n.pods.map((p) => p.namespace))).toEqual(
      Array(5).fill("shop"),
    );
  });

  it("resolves owners inside the scope (owners share their pods' namespace)", async () => {
    const data = dataOf<{ pods: { nodes: { owner: { name: string } | null }[] } }>(
      await gw.run(`{ pods(filter: { nameContains: "web" }) { nodes { owner { name } } } }`, {}, shopInEu),
    );
    expect(data.pods.nodes.map((p) => p.owner?.name)).toEqual(["web", "web", "web"]);
  });
});
