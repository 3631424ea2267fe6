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
  nodeName: string | null;
  node: { name: string } | null;
  owner: { __typename: string; name: string } | null;
  owners: { kind: string; name: string }[];
};

describe("relations", () => {
  it("pod.node, pod.owner (through the ReplicaSet or Job), pod.owners and pod.containers", async () => {
    const data = dataOf<{ pods: { nodes: unknown[] } }>(
      await gw.run(`{ pods(filter: { clusters: ["eu-1"], namespaces: ["shop", "default"] }, orderBy: { field: NAME }) { nodes {
        name node { name ready } owner { __typename name kind }
        owners { kind name uid object { __typename id } } containers { name image ready restarts state stateReason } } } }`),
    );
    const byName = new Map(data.pods.nodes.map((p) => [(p as { name: string }).name, p]));
    expect(byName.get("web-7d9f-001")).toMatchObject({
      node: { name: "eu-1-node-b", ready: true },
      owner: { __typename: "Deployment", name: "web", kind: "DEPLOYMENT" },
      owners: [
        {
          kind: "ReplicaSet",
          name: "web-7d9f",
          uid: "eu-1-replicaset-shop-web-7d9f",
          object: { __typename: "ReplicaSet" },
        },
        {
          kind: "Deployment",
          name: "web",
          uid: "eu-1-deployment-shop-web",
          object: { __typename: "Deployment" },
        },
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
    // The controlling workload of a Job's pod is the CronJob above the Job, when there is one.
    expect(byName.get("report-29000-x1")).toMatchObject({
      owner: { __typename: "CronJob", name: "report" },
      owners: [
        { kind: "Job", name: "report-29000", object: { __typename: "Job" } },
        { kind: "CronJob", name: "report", object: { __typename: "CronJob" } },
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
        __typename name pods { totalCount nodes { name } } containers { name image } conditions { type status }
        owners { kind name object { id } } } } }`),
    );
    const w = new Map(data.workloads.nodes.map((n) => [n.name as string, n]));
    expect(w.get("web")).toMatchObject({
      pods: {
        totalCount: 3,
        nodes: [{ name: "web-7d9f-000" }, { name: "web-7d9f-001" }, { name: "web-7d9f-002" }],
      },
      containers: [{ name: "main", image: "registry.example/web:1.0" }],
      conditions: [{ type: "Available", status: "TRUE" }],
      owners: [],
    });
    expect(w.get("report")).toMatchObject({
      __typename: "CronJob",
      pods: { totalCount: 1, nodes: [{ name: "report-29000-x1" }] },
    });
    const jobOwners = w.get("report-29000")!.owners as { kind: string; object: { id: string } }[];
    expect(jobOwners.map((o) => o.kind)).toEqual(["CronJob"]);
    const owner = dataOf<{ node: unknown }>(
      await gw.run(
        `query($id: ID!) { node(id: $id) { __typename ... on CronJob { name clusterName cluster { name } } } }`,
        {
          id: jobOwners[0]!.object.id,
        },
      ),
    );
    expect(owner.node).toEqual({
      __typename: "CronJob",
      name: "report",
      clusterName: "us-1",
      cluster: { name: "us-1" },
    });
  });

  it("cluster.namespaces / nodes / workloads(kinds) / summary, with quantities parsed", async () => {
    const data = dataOf<{ cluster: Record<string, unknown> }>(
      await gw.run(`{ cluster(name: "dev-1") {
        namespaces { nodes { name workspaceName } } nodes { nodes { name pods { nodes { name } } } }
        workloads(filter: { kinds: [DAEMON_SET, STATEFUL_SET] }) { nodes { __typename name } }
        summary { nodes readyNodes namespaces workloads pods { total pending running succeeded failed unknown }
          capacity { cpuCores memoryBytes pods } allocatable { cpuCores memoryBytes pods } } } }`),
    );
    const nodes = <T>(items: T[]) => ({ nodes: items });
    expect(data.cluster).toEqual({
      namespaces: nodes([
        { name: "default", workspaceName: null },
        { name: "kube-system", workspaceName: null },
        { name: "shop", workspaceName: "retail" },
      ]),
      nodes: nodes([
        {
          name: "dev-1-node-a",
          pods: nodes([
            { name: "report-29000-x1" },
            { name: "agent-a" },
            { name: "db-0" },
            { name: "web-7d9f-000" },
            { name: "web-7d9f-002" },
          ]),
        },
        {
          name: "dev-1-node-b",
          pods: nodes([{ name: "agent-b" }, { name: "db-1" }, { name: "web-7d9f-001" }]),
        },
      ]),
      workloads: nodes([
        { __typename: "DaemonSet", name: "agent" },
        { __typename: "StatefulSet", name: "db" },
      ]),
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
        nodes { name pods { nodes { name } } workloads { nodes { __typename name } } } } }`),
    );
    expect(data.namespaces.nodes).toEqual([
      {
        name: "default",
        pods: { nodes: [{ name: "debug" }, { name: "report-29000-x1" }] },
        workloads: {
          nodes: [
            { __typename: "CronJob", name: "report" },
            { __typename: "Job", name: "report-29000" },
          ],
        },
      },
      {
        name: "kube-system",
        pods: { nodes: [{ name: "agent-a" }, { name: "agent-b" }] },
        workloads: { nodes: [{ __typename: "DaemonSet", name: "agent" }] },
      },
    ]);
  });

  it("a page of 100 pods with node, owner and owner chain costs one scan and O(1) lookups per link", async () => {
    const big = await testGateway({ webReplicas: 60 });
    const query = `query($first: Int!) { pods(first: $first, orderBy: { field: NAME }) { totalCount nodes {
      name nodeName node { name ready } owner { name replicas { ready } } owners { kind name } } } }`;
    const scans = () =>
      ["query", "forEach", "count"].reduce((sum, method) => sum + (big.counter.calls.get(method) ?? 0), 0);
    const lookups = () => (big.counter.calls.get("get") ?? 0) + (big.counter.calls.get("getByName") ?? 0);
    const costOf = async (first: number) => {
      const [scansBefore, lookupsBefore] = [scans(), lookups()];
      const result = await big.run(query, { first });
      const data = dataOf<{ pods: { totalCount: number; nodes: Pod[] } }>(result);
      return { scans: scans() - scansBefore, lookups: lookups() - lookupsBefore, pods: data.pods.nodes };
    };
    // Both pages hold pods of every owner kind (agent, db, debug, report, web sort before web-*'s end).
    const thirty = await costOf(30);
    const hundred = await costOf(100);
    expect(hundred.pods).toHaveLength(100);
    expect(hundred.pods.filter((p) => p.owner?.name === "web").length).toBeGreaterThan(50);
    expect(hundred.pods.every((p) => p.node !== null || p.name === "debug")).toBe(true);
    // One pass over the pods for the page, however large; every relation of a pod is a lookup by
    // name or uid in an index (O(1)): its node, and each owner link for owner and again for owners.
    // No relation scans a store.
    expect(thirty.scans).toBe(1);
    expect(hundred.scans).toBe(1);
    const expected = (pods: Pod[]) =>
      pods.reduce((sum, p) => sum + (p.nodeName === null ? 0 : 1) + 2 * p.owners.length, 0);
    expect(thirty.lookups).toBe(expected(thirty.pods));
    expect(hundred.lookups).toBe(expected(hundred.pods));
    expect(hundred.lookups).toBeLessThanOrEqual(5 * 100);
  });
});

describe("node(id:)", () => {
  it("round-trips every type's id", async () => {
    const ids = dataOf<Record<string, { nodes: { id: string; __typename: string }[] }>>(
      await gw.run(`{ clusters(first: 1) { nodes { id __typename } } namespaces(first: 1) { nodes { id __typename } }
        clusterNodes(first: 1) { nodes { id __typename } } workloads(first: 5) { nodes { id __typename } }
        pods(first: 1) { nodes { id __typename } } services(first: 1) { nodes { id __typename } } events(first: 1) { nodes { id __typename } }
        workspaces(first: 1) { nodes { id __typename } } }`),
    );
    const all = Object.values(ids).flatMap((c) => c.nodes);
    expect(new Set(all.map((n) => n.__typename)).size).toBeGreaterThanOrEqual(9);
    expect(all.map((n) => n.__typename)).toContain("Workspace");
    for (const { id, __typename } of all) {
      const found = dataOf<{ node: { id: string; __typename: string } }>(
        await gw.run(`query($id: ID!) { node(id: $id) { id __typename } }`, { id }),
      );
      expect(found.node).toEqual({ id, __typename });
    }
    // Relay's batch refetch: the same answers, in the order asked.
    const batch = dataOf<{ nodes: ({ id: string; __typename: string } | null)[] }>(
      await gw.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }`, {
        ids: all.map((n) => n.id),
      }),
    );
    expect(batch.nodes).toEqual(all);
  });

  it("nodes(ids:) answers null for a missing id and fails only the item of a malformed one", async () => {
    const cluster = Buffer.from("Cluster/eu-1").toString("base64url");
    const gone = Buffer.from("Pod/eu-1/no-such-uid").toString("base64url");
    const result = await gw.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: [cluster, gone, "not an id!", cluster],
    });
    expect(result.data).toEqual({ nodes: [{ id: cluster }, null, null, { id: cluster }] });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.path).toEqual(["nodes", 2]);
    expect(result.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("answers null for a deleted object and for one outside the scope, the same way", async () => {
    const pods = dataOf<{ pods: { nodes: { id: string; clusterName: string; namespaceName: string }[] } }>(
      await gw.run(
        `{ pods(filter: { clusters: ["us-1"], namespaces: ["kube-system"] }) { nodes { id clusterName namespaceName } } }`,
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
    const data = dataOf<Record<string, { totalCount: number; outcomes: { clusterName: string }[] }>>(
      await gw.run(
        `{ pods { totalCount outcomes { clusterName } } workloads { totalCount outcomes { clusterName } }
        clusterNodes { totalCount outcomes { clusterName } } namespaces { totalCount } events { totalCount } clusters { totalCount } }`,
        {},
        shopInEu,
      ),
    );
    expect(data.pods).toEqual({ totalCount: 5, outcomes: [{ clusterName: "eu-1" }] });
    expect(data.workloads!.totalCount).toBe(2);
    expect(data.clusterNodes).toEqual({ totalCount: 0, outcomes: [] });
    expect(data.namespaces!.totalCount).toBe(1);
    expect(data.events!.totalCount).toBe(2);
    expect(data.clusters!.totalCount).toBe(1);
  });

  it("apply to the cluster summary and relations: a pod's node is null without node access", async () => {
    const query = `{ cluster(name: "eu-1") { summary { nodes namespaces workloads pods { total pending } } nodes { nodes { name } }
      workloads { nodes { name pods { nodes { name node { name } } } } } } }`;
    type Data<N> = {
      cluster: {
        summary: unknown;
        nodes: { nodes: { name: string }[] };
        workloads: { nodes: { name: string; pods: { nodes: { name: string; node: N }[] } }[] };
      };
    };
    const data = dataOf<Data<unknown>>(await gw.run(query, {}, shopInEu));
    const podsOf = <N>(d: Data<N>) => d.cluster.workloads.nodes.flatMap((w) => w.pods.nodes);
    expect(data.cluster.summary).toEqual({
      nodes: 0,
      namespaces: 1,
      workloads: 2,
      pods: { total: 5, pending: 1 },
    });
    expect(data.cluster.nodes.nodes).toEqual([]);
    expect(data.cluster.workloads.nodes.map((w) => w.name)).toEqual(["db", "web"]);
    expect(podsOf(data)).toHaveLength(5);
    expect(podsOf(data).every((p) => p.node === null)).toBe(true);

    const withNodes = Scope.of([{ cluster: "eu-1", namespaces: ["shop"], clusterKinds: ["Node"] }]);
    const seen = dataOf<Data<{ name: string } | null>>(await gw.run(query, {}, withNodes));
    expect(seen.cluster.nodes.nodes.map((n) => n.name)).toEqual(["eu-1-node-a", "eu-1-node-b"]);
    expect(podsOf(seen)).toHaveLength(5);
    expect(podsOf(seen).every((p) => p.node !== null)).toBe(true);
    // Nodes are readable, but their pods outside "shop" are still not.
    const nodePods = dataOf<{ clusterNodes: { nodes: { pods: { nodes: { namespaceName: string }[] } }[] } }>(
      await gw.run(`{ clusterNodes { nodes { pods { nodes { namespaceName } } } } }`, {}, withNodes),
    );
    expect(nodePods.clusterNodes.nodes.flatMap((n) => n.pods.nodes.map((p) => p.namespaceName))).toEqual(
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
