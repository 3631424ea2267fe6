import { describe, expect, it } from "vitest";
import { ANONYMOUS, type Subject } from "../../auth/subject.js";
import type { CacheEntry } from "../../src/cache/entry.js";
import { QueryInputError } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import {
  EVENT,
  NODE,
  POD,
  WORKLOADS,
  type PodData,
  type WorkloadData,
  type WorkloadListFilter,
} from "../../src/kinds/index.js";
import {
  ClusterOutcomes,
  ConsistencyUnavailableError,
  clusterId,
  decodeGlobalId,
  objectId,
  parseQuantity,
  QuantityError,
  type ListPage,
  type ListRequest,
  type StrongReader,
  type Within,
} from "../../src/query-service/index.js";
import { workloadKinds } from "../../resolvers/workload-kinds.js";
import { testGateway, type TestGateway } from "./read-service-fixtures.js";

const everything = Scope.everything();
const workloads = [...WORKLOADS];
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
    const request = { orderBy: { field: "NAME", direction: "ASC" as const } };
    const all = await gw.services.objects.list<WorkloadData>(
      workloads,
      { ...request, page: { first: 1000 } },
      everything,
      ANONYMOUS,
      new ClusterOutcomes(),
    );
    expect(all.totalCount).toBe(15); // 5 kinds x 3 clusters
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: ListPage<WorkloadData> = await gw.services.objects.list<WorkloadData>(
        workloads,
        { ...request, page: { first: 4, after } },
        everything,
        ANONYMOUS,
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
    const order = { field: "CREATED", direction: "DESC" as const };
    const all = await gw.services.objects.list<WorkloadData>(
      workloads,
      { orderBy: order, page: { first: 100 } },
      everything,
      ANONYMOUS,
      new ClusterOutcomes(),
    );
    const cursorOf10th = all.cursors.at(10)!;
    const page = await gw.services.objects.list<WorkloadData>(
      workloads,
      { orderBy: order, page: { last: 3, before: cursorOf10th } },
      everything,
      ANONYMOUS,
      new ClusterOutcomes(),
    );
    expect(page.items.map((e) => e.uid)).toEqual(all.items.slice(7, 10).map((e) => e.uid));
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it("names its cursors by the list: a workload cursor pages any workload kind and no other list", async () => {
    const gw = await testGateway();
    const cursor = (
      await gw.services.objects.list(
        workloads,
        { page: { first: 1 } },
        everything,
        ANONYMOUS,
        new ClusterOutcomes(),
      )
    ).pageInfo.endCursor;
    // Asked for one kind (a `kinds` filter), the list is still the Workload list.
    const filter: WorkloadListFilter = { kinds: ["Job"] };
    const jobs = await gw.services.objects.list(
      workloadKinds(filter),
      { filter, page: { first: 1, after: cursor } },
      everything,
      ANONYMOUS,
      new ClusterOutcomes(),
    );
    expect(jobs.items.map((e) => e.kind)).toEqual(["Job"]);
    await expect(
      gw.services.objects.list(
        [POD],
        { page: { first: 1, after: cursor } },
        everything,
        ANONYMOUS,
        new ClusterOutcomes(),
      ),
    ).rejects.toMatchObject({
      constructor: QueryInputError,
      code: "BAD_USER_INPUT",
      field: "after",
      message: expect.stringContaining(
        "it comes from a list of Workload objects, not of Pod objects",
      ) as string,
    });
  });

  it("orders by a kind's own order, and refuses an order the kind does not have", async () => {
    const gw = await testGateway();
    const byRestarts = await gw.services.objects.list<PodData>(
      [POD],
      {
        filter: { clusters: ["eu-1"] },
        orderBy: { field: "RESTARTS", direction: "DESC" },
        page: { first: 3 },
      },
      everything,
      ANONYMOUS,
      new ClusterOutcomes(),
    );
    expect(byRestarts.items.map((p) => [p.name, p.data.restarts])).toEqual([
      ["db-0", 7],
      ["web-7d9f-002", 2],
      ["web-7d9f-001", 1],
    ]);
    await expect(
      gw.services.objects.list(
        [NODE],
        { orderBy: { field: "RESTARTS", direction: "ASC" }, page: {} },
        everything,
        ANONYMOUS,
        new ClusterOutcomes(),
      ),
    ).rejects.toMatchObject({
      constructor: QueryInputError,
      field: "orderBy",
      message: "ClusterNode lists cannot be ordered by RESTARTS",
    });
  });

  it("refuses STRONG without a strong reader, and delegates to one when present", async () => {
    const without = await testGateway();
    await expect(
      without.services.objects.list(
        [POD],
        { page: {}, consistency: "STRONG" },
        everything,
        ANONYMOUS,
        new ClusterOutcomes(),
      ),
    ).rejects.toThrow(ConsistencyUnavailableError);

    const asked: unknown[] = [];
    const since = new Date("2026-02-01T10:00:00Z");
    const strongReader: StrongReader = {
      list<D>(
        kinds: readonly string[],
        filter: unknown,
        _scope: Scope,
        _subject: Subject,
        order: unknown,
        page: unknown,
        outcomes: ClusterOutcomes,
      ) {
        asked.push({ kinds, filter, order, page });
        outcomes.reportClusterError("us-1", "CLUSTER_TIMEOUT", "us-1 did not answer", true);
        return Promise.resolve({
          items: [] as CacheEntry<D>[],
          cursors: [],
          totalCount: null,
          pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
          clusters: [
            { cluster: "eu-1", synced: true, staleSince: null, resourceVersion: "501" },
            { cluster: "us-1", synced: false, staleSince: since, resourceVersion: "" },
          ],
        });
      },
    };
    const withReader = await testGateway({ strongReader });
    const filter: WorkloadListFilter & { namespaces: string[] } = {
      kinds: ["Job", "Deployment"],
      namespaces: ["shop"],
    };
    const page = await withReader.services.objects.list(
      workloadKinds(filter),
      { filter, page: { first: 5 }, consistency: "STRONG" },
      everything,
      ANONYMOUS,
      new ClusterOutcomes(),
    );
    expect(asked).toEqual([
      {
        kinds: ["Deployment", "Job"],
        // The kinds asked for are also a predicate: each kind's list is filtered the same way.
        filter: { namespaces: ["shop"], predicate: expect.any(Function) },
        order: { field: "CLUSTER", direction: "ASC" },
        page: { first: 5, list: "Workload" },
      },
    ]);
    // STRONG reads answer a null total when it cannot be known, and one API_SERVER outcome per cluster.
    expect(page.totalCount).toBeNull();
    expect(page.outcomes).toEqual([
      {
        cluster: "eu-1",
        synced: true,
        staleSince: null,
        resourceVersion: "501",
        source: "API_SERVER",
        error: null,
      },
      {
        cluster: "us-1",
        synced: false,
        staleSince: since,
        resourceVersion: "",
        source: "API_SERVER",
        error: { cluster: "us-1", code: "CLUSTER_TIMEOUT", message: "us-1 did not answer", retryable: true },
      },
    ]);
    expect(withReader.counter.total()).toBe(0);
  });

  it("answers a relation that selects nothing with an empty page, without a read, whatever the consistency", async () => {
    let strongReads = 0;
    const strongReader: StrongReader = {
      list() {
        strongReads++;
        return Promise.reject(new Error("a relation that selects nothing must not be read"));
      },
    };
    const gw = await testGateway({ strongReader });
    // A service without a selector selects no pods (ObjectGraph.selectedBy).
    const within: Within = { cluster: "eu-1", namespace: "shop", empty: true };
    for (const consistency of ["CACHED", "STRONG"] as const) {
      const page = await gw.services.objects.list(
        [POD],
        { page: { first: 10 }, consistency },
        everything,
        ANONYMOUS,
        new ClusterOutcomes(),
        within,
      );
      expect(page.items, consistency).toEqual([]);
      expect(page.totalCount, consistency).toBe(0);
    }
    expect(strongReads).toBe(0);
    expect(gw.counter.calls.get("query") ?? 0).toBe(0);
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
    const page = await gw.services.objects.list<PodData>(
      [POD],
      { filter: { clusterSelector: "env=prod" }, page: {} },
      everything,
      ANONYMOUS,
      outcomes,
    );
    const stale = {
      cluster: "us-1",
      code: "CLUSTER_UNAVAILABLE",
      message: expect.stringContaining("disconnected since 2026-02-01T10:00:00.000Z") as string,
      retryable: true,
    };
    expect(page.outcomes.map((c) => c.cluster)).toEqual(["eu-1", "us-1"]);
    expect(page.outcomes[0]).toEqual({
      cluster: "eu-1",
      synced: true,
      staleSince: null,
      resourceVersion: "1000",
      source: "CACHE",
      error: null,
    });
    expect(page.outcomes[1]).toEqual({
      cluster: "us-1",
      synced: true,
      staleSince: since,
      resourceVersion: "77",
      source: "CACHE",
      error: stale,
    });
    // The stale cluster's cached pods are still served.
    expect(page.items.filter((p) => p.cluster === "us-1")).toHaveLength(9);
    expect(outcomes.list()).toEqual([stale]);

    const all = new ClusterOutcomes();
    await gw.services.objects.list([EVENT], { page: {} }, everything, ANONYMOUS, all);
    expect(all.list().map((o) => [o.cluster, o.message.includes("initial sync")])).toEqual([
      ["dev-1", true],
      ["us-1", false],
    ]);
  });

  it("reports unreachable clusters with the health probe's error, and warns of unknown cluster names", async () => {
    const gw = await testGateway();
    gw.fleet.healthOf.set("eu-1", {
      status: "UNREACHABLE",
      lastProbeAt: null,
      latencyMs: null,
      kubernetesVersion: null,
      lastError: "connect ECONNREFUSED 10.0.0.1:6443",
    });
    const outcomes = new ClusterOutcomes();
    const page = await gw.services.objects.list(
      [NODE],
      { filter: { clusters: ["eu-1", "nowhere"] }, page: {} },
      everything,
      ANONYMOUS,
      outcomes,
    );
    expect(outcomes.list()).toHaveLength(1);
    expect(outcomes.list()[0]!.message).toContain("ECONNREFUSED");
    expect(page.outcomes.map((o) => [o.cluster, o.error?.code])).toEqual([["eu-1", "CLUSTER_UNAVAILABLE"]]);
    // An unknown name matches nothing, and the answer says so instead of staying silent.
    expect(page.items.map((n) => n.cluster)).toEqual(["eu-1", "eu-1"]);
    expect(outcomes.listWarnings()).toEqual([
      {
        code: "UNKNOWN_CLUSTER",
        message: expect.stringContaining('no cluster named "nowhere"') as string,
        clusters: ["nowhere"],
        knownClusters: ["dev-1", "eu-1", "us-1"],
      },
    ]);
    // Outside the caller's scope a cluster is as unknown as one that does not exist.
    const scoped = new ClusterOutcomes();
    await gw.services.objects.list(
      [POD],
      { filter: { clusters: ["us-1"] }, page: {} },
      Scope.of([{ cluster: "eu-1", namespaces: "*" }]),
      ANONYMOUS,
      scoped,
    );
    expect(scoped.listWarnings()).toMatchObject([
      { code: "UNKNOWN_CLUSTER", clusters: ["us-1"], knownClusters: ["eu-1"] },
    ]);
  });

  it("surfaces bad selectors as QueryInputError naming the argument", async () => {
    const gw = await testGateway();
    const read = (filter: object) =>
      gw.services.objects.list([POD], { filter, page: {} }, everything, ANONYMOUS, new ClusterOutcomes());
    await expect(read({ labelSelector: "app in (web" })).rejects.toMatchObject({
      constructor: QueryInputError,
      field: "labelSelector",
    });
    await expect(read({ clusterSelector: "region=" + "x".repeat(70) })).rejects.toMatchObject({
      field: "clusterSelector",
    });
  });
});

/** One page of the pods `within` a relation, read as the relation resolvers read it. */
function podsWithin(
  gw: TestGateway,
  within: Within,
  scope: Scope = everything,
  request?: Partial<ListRequest>,
) {
  return gw.services.objects.list<PodData>(
    [POD],
    { page: { first: 100 }, ...request },
    scope,
    ANONYMOUS,
    new ClusterOutcomes(),
    within,
  );
}

describe("Relations and summaries", () => {
  it("finds pods through ReplicaSets and Jobs in at most two engine calls per workload", async () => {
    for (const webReplicas of [3, 40]) {
      const gw = await testGateway({ webReplicas });
      const page = await gw.services.objects.list<WorkloadData>(
        workloads,
        { page: { first: 100 } },
        everything,
        ANONYMOUS,
        new ClusterOutcomes(),
      );
      const byName = new Map<string, string[]>();
      for (const w of page.items) {
        const before = gw.counter.total();
        const pods = await podsWithin(gw, gw.services.graph.podsOf(w, everything));
        // One pass for the intermediate owners (a Deployment's ReplicaSets, a CronJob's Jobs),
        // one for the page: bounded by the relation, not by how many pods there are.
        const intermediate = w.kind === "Deployment" || w.kind === "CronJob";
        expect(gw.counter.total() - before, `${w.kind} ${w.name}`).toBe(intermediate ? 2 : 1);
        expect(pods.totalCount).toBe(pods.items.length);
        byName.set(
          `${w.cluster}/${w.name}`,
          pods.items.map((p) => p.name),
        );
      }
      const web = Array.from({ length: webReplicas }, (_, i) => `web-7d9f-${String(i).padStart(3, "0")}`);
      expect(byName.get("eu-1/web")).toEqual(web);
      expect(byName.get("eu-1/report")).toEqual(["report-29000-x1"]);
      expect(byName.get("eu-1/report-29000")).toEqual(["report-29000-x1"]);
      expect(byName.get("us-1/agent")).toEqual(["agent-a", "agent-b"]);
      expect(byName.get("dev-1/db")).toEqual(["db-0", "db-1"]);
    }
  });

  it("follows owner chains to the controlling workload with O(1) lookups", async () => {
    const gw = await testGateway();
    const pod = (ns: string, name: string) => gw.services.graph.byName("eu-1", "Pod", ns, name, everything)!;
    const web = pod("shop", "web-7d9f-001");
    const before = gw.counter.total();
    const chain = gw.services.graph.ownerChain(web, everything);
    expect(chain.map((l) => [l.ref.kind, l.ref.name, l.entry?.name])).toEqual([
      ["ReplicaSet", "web-7d9f", "web-7d9f"],
      ["Deployment", "web", "web"],
    ]);
    expect(gw.counter.calls.get("get")).toBe(2);
    expect(gw.counter.total() - before).toBe(2);
    expect(gw.services.graph.controllingWorkload(web, everything)?.kind).toBe("Deployment");
    expect(gw.services.graph.controllingWorkload(pod("default", "report-29000-x1"), everything)?.kind).toBe(
      "CronJob",
    );
    expect(gw.services.graph.controllingWorkload(pod("default", "debug"), everything)).toBeUndefined();
    expect(gw.services.graph.namespaceOf(web, everything)?.name).toBe("shop");
    // Owners outside the scope are unknown links; the chain stops there.
    const noShop = Scope.of([{ cluster: "eu-1", namespaces: ["default"] }]);
    expect(gw.services.graph.ownerChain(web, noShop).map((l) => [l.ref.kind, l.entry])).toEqual([
      ["ReplicaSet", undefined],
    ]);
    expect(gw.services.graph.controllingWorkload(web, noShop)).toBeUndefined();
  });

  it("applies the Scope inside relations", async () => {
    const gw = await testGateway();
    const shopOnly = Scope.of([{ cluster: "eu-1", namespaces: ["shop"] }]);
    const node = gw.services.graph.byName("eu-1", "Node", "", "eu-1-node-a", everything)!;
    const nodePods = await podsWithin(gw, gw.services.graph.onNode(node), shopOnly);
    expect(nodePods.items.map((p) => p.namespace)).toEqual(["shop", "shop", "shop"]);
    expect(nodePods.totalCount).toBe(3);
    expect((await podsWithin(gw, gw.services.graph.onNode(node))).totalCount).toBe(5);
    expect(gw.services.graph.allocatedOn(node, shopOnly).pods).toBe(3);
    expect(gw.services.graph.byName("eu-1", "Node", "", "eu-1-node-a", shopOnly)).toBeUndefined();
  });
});
