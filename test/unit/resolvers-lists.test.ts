import { beforeAll, describe, expect, it } from "vitest";
import { dataOf, listOf, testGateway, type Connection, type TestGateway } from "./read-service-fixtures.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await testGateway();
});

type Named = { name: string; clusterName: string };
const list = <T = Named>(
  field: string,
  args: string,
  selection = "name clusterName",
): Promise<Connection<T>> => listOf<T>(gw, field, args, selection);

const names = (c: Connection) => c.nodes.map((n) => `${n.clusterName}/${n.name}`);

describe("Query.pods", () => {
  it("lists every pod of the fleet, in cluster order by default, with freshness per cluster", async () => {
    const pods = await list("pods", "first: 100");
    expect(pods.totalCount).toBe(27);
    expect(pods.nodes.map((n) => n.clusterName)).toEqual([
      ...Array(9).fill("dev-1"),
      ...Array(9).fill("eu-1"),
      ...Array(9).fill("us-1"),
    ]);
    expect(pods.outcomes).toEqual(
      ["dev-1", "eu-1", "us-1"].map((clusterName) => ({
        clusterName,
        source: "CACHE",
        synced: true,
        staleSince: null,
        resourceVersion: "1000",
        error: null,
      })),
    );
    expect(pods.edges.map((e) => e.node)).toEqual(pods.nodes);
  });

  it("filters by the shared fields and the pod fields", async () => {
    expect(names(await list("pods", `filter: { clusters: ["eu-1"], phases: [PENDING] }`))).toEqual([
      "eu-1/debug",
      "eu-1/db-1",
    ]);
    expect(
      names(
        await list("pods", `filter: { clusters: ["us-1"], nodeName: "us-1-node-b", namespaces: ["shop"] }`),
      ),
    ).toEqual(["us-1/db-1", "us-1/web-7d9f-001"]);
    const notReady = await list("pods", `filter: { ready: false, clusterSelector: "region=us" }`);
    expect(names(notReady)).toEqual(["us-1/debug", "us-1/report-29000-x1", "us-1/db-1"]);
    const web = await list(
      "pods",
      `filter: { labelSelector: "app in (web,db),app!=db", nameContains: "WEB-7D9F-00" }`,
    );
    expect(web.totalCount).toBe(9);
    expect(web.outcomes.map((c) => c.clusterName)).toEqual(["dev-1", "eu-1", "us-1"]);
  });

  it("warns of a cluster name it does not know instead of answering silently with nothing", async () => {
    const result = await gw.run(
      `{ pods(filter: { clusters: ["eu-1", "mars"] }) { totalCount outcomes { clusterName } } }`,
    );
    expect(dataOf(result)).toEqual({ pods: { totalCount: 9, outcomes: [{ clusterName: "eu-1" }] } });
    expect(result.context.outcomes.listWarnings()).toEqual([
      expect.objectContaining({ code: "UNKNOWN_CLUSTER", clusters: ["mars"] }),
    ]);
    expect(result.context.outcomes.list()).toEqual([]);
  });

  it("orders by restarts either way, with ties broken by cluster, namespace, name", async () => {
    const desc = await list<Named & { restarts: number }>(
      "pods",
      `first: 4, orderBy: { field: RESTARTS, direction: DESC }`,
      "name clusterName restarts",
    );
    expect(desc.nodes.map((n) => [n.clusterName, n.name, n.restarts])).toEqual([
      ["dev-1", "db-0", 7],
      ["eu-1", "db-0", 7],
      ["us-1", "db-0", 7],
      ["dev-1", "web-7d9f-002", 2],
    ]);
    const asc = await list<Named & { restarts: number }>(
      "pods",
      `first: 100, orderBy: { field: RESTARTS }`,
      "name clusterName restarts",
    );
    const restarts = asc.nodes.map((n) => n.restarts);
    expect(restarts).toEqual([...restarts].sort((a, b) => a - b));
  });

  it("orders by name, namespace and creation time", async () => {
    const byName = await list("pods", `first: 100, orderBy: { field: NAME, direction: DESC }`);
    expect(byName.nodes.map((n) => n.name)).toEqual(
      byName.nodes
        .map((n) => n.name)
        .sort()
        .reverse(),
    );
    const byNs = await list<Named & { namespaceName: string }>(
      "pods",
      `first: 100, orderBy: { field: NAMESPACE }`,
      "name clusterName namespaceName",
    );
    expect(byNs.nodes.map((n) => n.namespaceName)).toEqual(byNs.nodes.map((n) => n.namespaceName).sort());
    const byAge = await list<Named & { createdAt: string }>(
      "pods",
      `first: 100, orderBy: { field: CREATED, direction: DESC }`,
      "name clusterName createdAt",
    );
    const times = byAge.nodes.map((n) => Date.parse(n.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("pages forward and backward, returning every pod exactly once and in order", async () => {
    const all = names(await list("pods", `first: 100, orderBy: { field: NAME }`));
    const forward: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: Connection = await list(
        "pods",
        `first: 5, orderBy: { field: NAME }${after ? `, after: "${after}"` : ""}`,
      );
      forward.push(...names(page));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(forward).toEqual(all);

    const backward: string[] = [];
    let before: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: Connection = await list(
        "pods",
        `last: 4, orderBy: { field: NAME }${before ? `, before: "${before}"` : ""}`,
      );
      backward.unshift(...names(page));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward).toEqual(all);
  });
});

describe("Query.clusterNodes, workloads, namespaces, services, events", () => {
  it("clusterNodes: ready filter, name order, parsed resources", async () => {
    type N = Named & {
      ready: boolean;
      roles: string[];
      allocatable: { cpu: string; cpuCores: number; memoryBytes: number };
    };
    const notReady = await list<N>(
      "clusterNodes",
      `filter: { ready: false }`,
      "name clusterName ready roles allocatable { cpu cpuCores memoryBytes }",
    );
    expect(notReady.nodes).toEqual([
      {
        name: "dev-1-node-b",
        clusterName: "dev-1",
        ready: false,
        roles: ["worker"],
        allocatable: { cpu: "3800m", cpuCores: 3.8, memoryBytes: 15.5 * 2 ** 30 },
      },
    ]);
    const desc = await list(
      "clusterNodes",
      `orderBy: { field: NAME, direction: DESC }, filter: { nameContains: "-a" }`,
    );
    expect(names(desc)).toEqual(["us-1/us-1-node-a", "eu-1/eu-1-node-a", "dev-1/dev-1-node-a"]);
  });

  it("workloads: every kind by default, kinds and readiness filters, kind-specific fields", async () => {
    const all = await list<Named & { __typename: string }>(
      "workloads",
      "first: 100",
      "__typename name clusterName",
    );
    expect(all.totalCount).toBe(15);
    expect(new Set(all.nodes.map((n) => n.__typename))).toEqual(
      new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]),
    );
    const unready = await list("workloads", `filter: { ready: false }`);
    expect(names(unready)).toEqual(["dev-1/db", "eu-1/db", "us-1/db"]);
    type W = Named & {
      kind: string;
      schedule?: string;
      succeeded?: number;
      completionTime?: string;
      ready: boolean;
    };
    const batch = await list<W>(
      "workloads",
      `filter: { kinds: [JOB, CRON_JOB], clusters: ["eu-1"] }, orderBy: { field: NAME }`,
      "name clusterName kind ready ... on CronJob { schedule } ... on Job { succeeded completionTime }",
    );
    expect(batch.nodes).toEqual([
      { name: "report", clusterName: "eu-1", kind: "CRON_JOB", ready: true, schedule: "0 * * * *" },
      {
        name: "report-29000",
        clusterName: "eu-1",
        kind: "JOB",
        ready: true,
        succeeded: 1,
        completionTime: "2026-01-04T00:01:00.000Z",
      },
    ]);
    expect((await list("workloads", `filter: { kinds: [] }`)).totalCount).toBe(0);
  });

  it("workloads: replicas (null for a CronJob), status and its filter, suspended", async () => {
    type W = Named & {
      __typename: string;
      replicas: { desired: number; ready: number; available: number; updated: number } | null;
      status: string;
      suspended?: boolean;
    };
    const eu = await list<W>(
      "workloads",
      `filter: { clusters: ["eu-1"] }, orderBy: { field: NAME }`,
      "__typename name clusterName replicas { desired ready available updated } status ... on Job { suspended } ... on CronJob { suspended }",
    );
    const byName = new Map(eu.nodes.map((w) => [w.name, w]));
    expect(byName.get("web")).toMatchObject({
      replicas: { desired: 3, ready: 3, available: 3, updated: 3 },
      status: "RUNNING",
    });
    expect(byName.get("db")).toMatchObject({
      replicas: { desired: 2, ready: 1, available: 1, updated: 2 },
      status: "UPDATING",
    });
    expect(byName.get("agent")).toMatchObject({ replicas: { desired: 2, ready: 2 }, status: "RUNNING" });
    expect(byName.get("report")).toMatchObject({
      __typename: "CronJob",
      replicas: null,
      status: "RUNNING",
      suspended: false,
    });
    expect(byName.get("report-29000")).toMatchObject({
      __typename: "Job",
      replicas: { desired: 1 },
      suspended: false,
    });
    const updating = await list("workloads", `filter: { statuses: [UPDATING] }`);
    expect(names(updating)).toEqual(["dev-1/db", "eu-1/db", "us-1/db"]);
  });

  it("namespaces: by name, by workspace, with the workspace label read", async () => {
    const retail = await list<Named & { workspaceName: string | null; workspace: { name: string } | null }>(
      "namespaces",
      `filter: { workspaces: ["retail"] }`,
      "name clusterName workspaceName workspace { name }",
    );
    expect(retail.nodes).toEqual(
      ["dev-1", "eu-1", "us-1"].map((clusterName) => ({
        name: "shop",
        clusterName,
        workspaceName: "retail",
        workspace: { name: "retail" },
      })),
    );
    const none = await list<Named & { workspaceName: string | null; workspace: { name: string } | null }>(
      "namespaces",
      `filter: { namespaces: ["default"], clusters: ["eu-1"] }`,
      "name clusterName workspaceName workspace { name }",
    );
    expect(none.nodes).toEqual([
      { name: "default", clusterName: "eu-1", workspaceName: null, workspace: null },
    ]);
    const named = await list(
      "namespaces",
      `filter: { namespaces: ["kube-system", "missing"], clusters: ["us-1"] }`,
    );
    expect(names(named)).toEqual(["us-1/kube-system"]);
  });

  it("services: type filter and ports", async () => {
    type S = Named & {
      type: string;
      ports: { name: string; port: number; targetPort: string }[];
      selector: unknown;
    };
    const services = await list<S>(
      "services",
      `filter: { types: [CLUSTER_IP], clusters: ["eu-1"] }`,
      "name clusterName type ports { name port targetPort } selector { text matchLabels { key value } matchExpressions { key operator values } }",
    );
    expect(services.nodes).toEqual([
      {
        name: "web",
        clusterName: "eu-1",
        type: "CLUSTER_IP",
        ports: [{ name: "http", port: 80, targetPort: "8080" }],
        selector: { text: "app=web", matchLabels: [{ key: "app", value: "web" }], matchExpressions: [] },
      },
    ]);
    expect((await list("services", `filter: { types: [LOAD_BALANCER] }`)).totalCount).toBe(0);
  });

  it("events: types, reasons and the involved object", async () => {
    type E = Named & { type: string; reason: string; involvedObject: { kind: string; name: string } };
    const warnings = await list<E>(
      "events",
      `filter: { types: [WARNING], involvedKind: "Pod" }`,
      "name clusterName type reason involvedObject { kind name }",
    );
    expect(warnings.totalCount).toBe(3);
    expect(warnings.nodes[0]).toEqual({
      name: "db-1.backoff",
      clusterName: "dev-1",
      type: "WARNING",
      reason: "BackOff",
      involvedObject: { kind: "Pod", name: "db-1" },
    });
    expect(
      (await list("events", `filter: { reasons: ["ScalingReplicaSet"], involvedName: "web" }`)).totalCount,
    ).toBe(3);
    expect(
      (await list("events", `filter: { reasons: ["ScalingReplicaSet"], involvedName: "db" }`)).totalCount,
    ).toBe(0);
  });
});
