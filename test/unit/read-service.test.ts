import { describe, expect, it } from "vitest";
import type { CacheEntry } from "../../src/cache/entry.js";
import type { WorkloadData } from "../../src/cache/projections.js";
import { QueryInputError } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import {
  ClusterOutcomes,
  ConsistencyUnavailableError,
  clusterId,
  decodeGlobalId,
  objectId,
  parseQuantity,
  QuantityError,
  type ListPage,
  type StrongReader,
} from "../../src/query-service/index.js";
import { testGateway } from "./read-service-fixtures.js";

const everything = Scope.everything();
const GI = 2 ** 30;

describe("parseQuantity", () => {
  it.each([
    ["3800m", 3.8],
    ["4", 4],
    ["16Gi", 16 * GI],
    ["15.5Gi", 15.5 * GI],
    ["1k", 1000],
    ["1M", 1e6],
    ["128974848", 128974848],
    ["129e6", 129e6],
    ["1E3", 1000],
    ["123Mi", 123 * 2 ** 20],
    ["0.5", 0.5],
    [".5", 0.5],
    ["250u", 0.00025],
    ["100n", 1e-7],
    ["1Ki", 1024],
    ["2Ti", 2 * 2 ** 40],
    ["1E", 1e18],
    ["-1", -1],
  ])("%s = %d", (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 9);
  });

  it.each(["", "abc", "1.5.5", "Gi", "1 Gi", "1gi", "1KiB", "1e", "--1"])("rejects %j", (text) => {
    expect(() => parseQuantity(text)).toThrow(QuantityError);
  });
});

describe("global ids", () => {
  it("round-trip objects, including the cache's ns/name fallback uid", () => {
    expect(decodeGlobalId(objectId("Pod", "eu-1", "0f6c-11"))).toEqual({
      kind: "Pod",
      cluster: "eu-1",
      uid: "0f6c-11",
    });
    expect(decodeGlobalId(objectId("Pod", "eu-1", "shop/web-1"))).toEqual({
      kind: "Pod",
      cluster: "eu-1",
      uid: "shop/web-1",
    });
    expect(decodeGlobalId(clusterId("us-1"))).toEqual({ kind: "Cluster", cluster: "us-1" });
  });

  it("are opaque (not readable as kind/cluster/uid) and refuse anything else", () => {
    expect(objectId("Pod", "eu-1", "u")).not.toContain("Pod");
    const bad = [
      "",
      "not base64!",
      Buffer.from("Widget/eu-1/u").toString("base64url"),
      Buffer.from("Pod/eu-1").toString("base64url"),
      Buffer.from("Pod/eu-1/").toString("base64url"),
      Buffer.from("Cluster/").toString("base64url"),
      "x".repeat(3000),
    ];
    for (const id of bad) {
      expect(() => decodeGlobalId(id), id).toThrow(QueryInputError);
    }
  });
});

describe("ClusterOutcomes", () => {
  it("keeps one outcome per cluster and code", () => {
    const outcomes = new ClusterOutcomes();
    outcomes.reportClusterError("eu-1", "CLUSTER_UNAVAILABLE", "down", true);
    outcomes.reportClusterError("eu-1", "CLUSTER_UNAVAILABLE", "down again", true);
    outcomes.reportClusterError("eu-1", "CLUSTER_FORBIDDEN", "no", false);
    outcomes.reportClusterError("us-1", "CLUSTER_UNAVAILABLE", "down", true);
    expect(outcomes.list()).toEqual([
      { cluster: "eu-1", code: "CLUSTER_UNAVAILABLE", message: "down", retryable: true },
      { cluster: "eu-1", code: "CLUSTER_FORBIDDEN", message: "no", retryable: false },
      { cluster: "us-1", code: "CLUSTER_UNAVAILABLE", message: "down", retryable: true },
    ]);
  });
});

describe("ObjectLists", () => {
  it("pages the workloads of five kinds through one merged order, each exactly once", async () => {
    const gw = await testGateway();
    const request = { orderBy: { field: "NAME" as const, direction: "ASC" as const } };
    const all = await gw.services.objects.workloads(
      { ...request, page: { first: 1000 } },
      everything,
      new ClusterOutcomes(),
    );
    expect(all.totalCount).toBe(15); // 5 kinds x 3 clusters
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: ListPage<WorkloadData> = await gw.services.objects.workloads(
        { ...request, page: { first: 4, after } },
        everything,
        new ClusterOutcomes(),
      );
      expect(page.totalCount).toBe(15);
      seen.push(...page.items.map((e) => `${e.kind}/${e.cluster}/${e.name}`));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.items.map((e) => `${e.kind}/${e.cluster}/${e.name}`));
    expect(new Set(seen).size).toBe(15);
    expect(all.items.map((e) => e.name)).toEqual([...all.items.map((e) => e.name)].sort());
  });

  it("pages backwards over several kinds with last/before", async () => {
    const gw = await testGateway();
    const order = { field: "CREATED" as const, direction: "DESC" as const };
    const all = await gw.services.objects.workloads(
      { orderBy: order, page: { first: 100 } },
      everything,
      new ClusterOutcomes(),
    );
    const cursorOf10th = all.cursors.at(10)!;
    const page = await gw.services.objects.workloads(
      { orderBy: order, page: { last: 3, before: cursorOf10th } },
      everything,
      new ClusterOutcomes(),
    );
    expect(page.items.map((e) => e.uid)).toEqual(all.items.slice(7, 10).map((e) => e.uid));
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it("refuses STRONG without a strong reader, and delegates to one when present", async () => {
    const without = await testGateway();
    await expect(
      without.services.objects.pods({ page: {}, consistency: "STRONG" }, everything, new ClusterOutcomes()),
    ).rejects.toThrow(ConsistencyUnavailableError);

    const asked: unknown[] = [];
    const strongReader: StrongReader = {
      list<D>(kinds: readonly string[], filter: unknown, _scope: Scope, order: unknown, page: unknown) {
        asked.push({ kinds, filter, order, page });
        return Promise.resolve({
          items: [] as CacheEntry<D>[],
          cursors: [],
          totalCount: 0,
          pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
          clusters: [],
        });
      },
    };
    const withReader = await testGateway({ strongReader });
    await withReader.services.objects.workloads(
      {
        filter: { kinds: ["Job", "Deployment"], namespaces: ["shop"] },
        page: { first: 5 },
        consistency: "STRONG",
      },
      everything,
      new ClusterOutcomes(),
    );
    expect(asked).toEqual([
      {
        kinds: ["Deployment", "Job"],
        filter: { namespaces: ["shop"] },
        order: { field: "CLUSTER", direction: "ASC" },
        page: { first: 5 },
      },
    ]);
    expect(withReader.counter.total()).toBe(0);
  });

  it("reports the freshness of every selected cluster and the problems of unsynced or stale ones", async () => {
    const gw = await testGateway();
    const since = new Date("2026-02-01T10:00:00Z");
    gw.fleet.freshnessOf.set("us-1", {
      cluster: "us-1",
      synced: true,
      staleSince: since,
      resourceVersion: "77",
    });
    gw.fleet.freshnessOf.set("dev-1", {
      cluster: "dev-1",
      synced: false,
      staleSince: null,
      resourceVersion: "",
    });
    const outcomes = new ClusterOutcomes();
    const page = await gw.services.objects.pods(
      { filter: { clusterSelector: "env=prod" }, page: {} },
      everything,
      outcomes,
    );
    expect(page.clusters.map((c) => c.cluster)).toEqual(["eu-1", "us-1"]);
    expect(page.clusters[1]).toEqual({
      cluster: "us-1",
      synced: true,
      staleSince: since,
      resourceVersion: "77",
    });
    // The stale cluster's cached pods are still served.
    expect(page.items.filter((p) => p.cluster === "us-1")).toHaveLength(9);
    expect(outcomes.list()).toEqual([
      {
        cluster: "us-1",
        code: "CLUSTER_UNAVAILABLE",
        message: expect.stringContaining("disconnected since 2026-02-01T10:00:00.000Z") as string,
        retryable: true,
      },
    ]);

    const all = new ClusterOutcomes();
    await gw.services.objects.events({ page: {} }, everything, all);
    expect(all.list().map((o) => [o.cluster, o.message.includes("initial sync")])).toEqual([
      ["dev-1", true],
      ["us-1", false],
    ]);
  });

  it("reports unreachable clusters with the health probe's error", async () => {
    const gw = await testGateway();
    gw.fleet.healthOf.set("eu-1", {
      status: "UNREACHABLE",
      lastProbeAt: null,
      latencyMs: null,
      kubernetesVersion: null,
      lastError: "connect ECONNREFUSED 10.0.0.1:6443",
    });
    const outcomes = new ClusterOutcomes();
    await gw.services.objects.nodes(
      { filter: { clusters: ["eu-1", "nowhere"] }, page: {} },
      everything,
      outcomes,
    );
    expect(outcomes.list()).toHaveLength(1);
    expect(outcomes.list()[0]!.message).toContain("ECONNREFUSED");
  });

  it("surfaces bad selectors as QueryInputError naming the argument", async () => {
    const gw = await testGateway();
    const read = (filter: object) =>
      gw.services.objects.pods({ filter, page: {} }, everything, new ClusterOutcomes());
    await expect(read({ labelSelector: "app in (web" })).rejects.toMatchObject({
      constructor: QueryInputError,
      field: "labelSelector",
    });
    await expect(read({ clusterSelector: "region=" + "x".repeat(70) })).rejects.toMatchObject({
      field: "clusterSelector",
    });
  });
});

describe("Relations and summaries", () => {
  it("finds pods through ReplicaSets and Jobs in a fixed number of engine calls", async () => {
    const gw = await testGateway();
    const workloads = await gw.services.objects.workloads(
      { page: { first: 100 } },
      everything,
      new ClusterOutcomes(),
    );
    const keys = workloads.items.map((w) => ({
      cluster: w.cluster,
      kind: w.kind,
      namespace: w.namespace,
      uid: w.uid,
    }));
    const before = gw.counter.total();
    const pods = gw.services.relations.podsOfWorkloads(keys, everything);
    expect(gw.counter.total() - before).toBe(3);
    const byName = new Map(
      workloads.items.map((w, i) => [`${w.cluster}/${w.name}`, pods[i]!.map((p) => p.name)]),
    );
    expect(byName.get("eu-1/web")).toEqual(["web-7d9f-000", "web-7d9f-001", "web-7d9f-002"]);
    expect(byName.get("eu-1/report")).toEqual(["report-29000-x1"]);
    expect(byName.get("eu-1/report-29000")).toEqual(["report-29000-x1"]);
    expect(byName.get("us-1/agent")).toEqual(["agent-a", "agent-b"]);
    expect(byName.get("dev-1/db")).toEqual(["db-0", "db-1"]);
  });

  it("applies the Scope inside relations", async () => {
    const gw = await testGateway();
    const shopOnly = Scope.of([{ cluster: "eu-1", namespaces: ["shop"] }]);
    const [nodePods] = gw.services.relations.podsOnNodes(
      [{ cluster: "eu-1", nodeName: "eu-1-node-a" }],
      shopOnly,
    );
    expect(nodePods!.map((p) => p.namespace)).toEqual(["shop", "shop", "shop"]);
    expect(gw.services.relations.nodes([{ cluster: "eu-1", nodeName: "eu-1-node-a" }], shopOnly)).toEqual([
      undefined,
    ]);
  });
});
