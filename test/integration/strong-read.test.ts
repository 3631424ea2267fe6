/**
 * consistency: STRONG over a real simulated fleet (3 clusters): lists come from the API servers
 * with limit/continue, merged into one order and cursor. Every answer is compared with the
 * simulator's stores.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Scope } from "../../src/cache/scope.js";
import { eventually } from "../support/eventually.js";
import {
  compareListed,
  simKind,
  simListed,
  startGatewayFixture,
  walkPages,
  type GatewayFixture,
  type Listed,
} from "./gateway-fixture.js";

let gw: GatewayFixture;

beforeAll(async () => {
  gw = await startGatewayFixture({ fleet: { clusters: 3, nodes: 2, pods: 45, seed: "strong-read" } });
  // Namespaces where one name prefixes the other: the API server's all-namespaces order
  // ("app-x/..." before "app/...") differs from (namespace, name) order here.
  const sim = gw.sim.clusters[1]!;
  for (const ns of ["app", "app-x"]) {
    sim.store.create(simKind("Namespace"), { metadata: { name: ns } });
    for (const name of ["a", "b", "c"]) {
      sim.store.create(simKind("Service"), {
        metadata: { name: `svc-${name}`, namespace: ns, labels: { tier: name === "b" ? "back" : "front" } },
        spec: { ports: [{ port: 80 }] },
      });
    }
  }
});

afterAll(async () => {
  await gw?.stop();
});

/** A listed object's names, aliased to the shape of `Listed`. */
const LISTED = "cluster: clusterName namespace: namespaceName name uid";

const PODS = `query ($first: Int, $after: String, $order: PodOrder, $filter: PodFilter) {
  pods(first: $first, after: $after, orderBy: $order, filter: $filter, consistency: STRONG) {
    edges { cursor node { ${LISTED} } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
    totalCount
    outcomes { clusterName source synced resourceVersion error { code } }
  }
}`;

const SERVICES = `query ($first: Int, $after: String, $order: ServiceOrder, $filter: ServiceFilter) {
  services(first: $first, after: $after, orderBy: $order, filter: $filter, consistency: STRONG) {
    edges { cursor node { ${LISTED} } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

const ids = (items: Listed[]) => items.map((i) => `${i.cluster}/${i.namespace}/${i.name}`);

describe("STRONG lists page through the whole fleet in order", () => {
  for (const [field, direction] of [
    ["CLUSTER", "ASC"],
    ["CLUSTER", "DESC"],
    ["NAMESPACE", "ASC"],
    ["NAMESPACE", "DESC"],
    ["NAME", "ASC"],
  ] as const) {
    it(`pods by ${field} ${direction}, 7 per page, equal the simulator's pods`, async () => {
      const expected = simListed(gw.sim, "Pod", field, direction);
      const walk = await walkPages<Listed>(gw, PODS, "pods", { first: 7, order: { field, direction } });
      expect(walk.errors).toEqual([]);
      expect(ids(walk.items)).toEqual(ids(expected));
      expect(walk.pages).toBe(Math.max(1, Math.ceil(expected.length / 7)));
    });
  }

  it("orders namespaces whose names prefix each other by (namespace, name), not by storage key", async () => {
    const walk = await walkPages<Listed>(gw, SERVICES, "services", {
      first: 2,
      filter: { clusters: [gw.sim.clusters[1]!.name], namespaces: ["app", "app-x"] },
    });
    expect(ids(walk.items)).toEqual(
      ["app", "app-x"].flatMap((ns) =>
        ["a", "b", "c"].map((n) => `${gw.sim.clusters[1]!.name}/${ns}/svc-${n}`),
      ),
    );
  });

  it("resumes from any edge's cursor, not only the end cursor", async () => {
    const first = await gw.run(PODS, { first: 10 });
    const edges = (first.data!.pods as { edges: { cursor: string; node: Listed }[] }).edges;
    const expected = simListed(gw.sim, "Pod", "CLUSTER", "ASC");
    for (const at of [0, 4, 9]) {
      const next = await gw.run(PODS, { first: 5, after: edges[at]!.cursor });
      const nodes = (next.data!.pods as { edges: { node: Listed }[] }).edges.map((e) => e.node);
      expect(ids(nodes)).toEqual(ids(expected.slice(at + 1, at + 6)));
    }
  });

  it("merges the five workload kinds into one order", async () => {
    const query = `query ($first: Int, $after: String) {
      workloads(first: $first, after: $after, orderBy: { field: NAMESPACE, direction: ASC }, consistency: STRONG) {
        edges { cursor node { ${LISTED} } } pageInfo { hasNextPage endCursor }
      }
    }`;
    const walk = await walkPages<Listed>(gw, query, "workloads", { first: 6 });
    const kinds = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"] as const;
    const expected = kinds.flatMap((k) => simListed(gw.sim, k, "NAMESPACE", "ASC"));
    expect(ids(walk.items)).toEqual(ids(expected.sort(compareListed("NAMESPACE", "ASC"))));
  });

  it("lists cluster-scoped kinds (nodes by name) in one stream per cluster", async () => {
    const query = `query ($first: Int, $after: String) {
      clusterNodes(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }, consistency: STRONG) {
        edges { cursor node { cluster: clusterName name uid } } pageInfo { hasNextPage endCursor } totalCount
      }
    }`;
    const walk = await walkPages<Listed>(gw, query, "clusterNodes", { first: 4 });
    const expected = simListed(gw.sim, "Node", "NAME", "ASC").map((n) => `${n.cluster}/${n.name}`);
    expect(walk.items.map((n) => `${n.cluster}/${n.name}`)).toEqual(expected);
    const once = await gw.run(query, { first: 100 });
    // Every stream was read on this first page and the servers counted them: exact.
    expect((once.data!.clusterNodes as { totalCount: number }).totalCount).toBe(expected.length);
  });
});

describe("STRONG filters", () => {
  it("sends the label selector to the API servers and filters the rest locally", async () => {
    const cluster = gw.sim.clusters[1]!.name;
    const result = await gw.run(SERVICES, {
      first: 50,
      filter: { clusters: [cluster], labelSelector: "tier in (front)", nameContains: "SVC-" },
    });
    const page = result.data!.services as { edges: { node: Listed }[]; totalCount: number | null };
    expect(result.errors).toEqual([]);
    expect(ids(page.edges.map((e) => e.node))).toEqual([
      `${cluster}/app/svc-a`,
      `${cluster}/app/svc-c`,
      `${cluster}/app-x/svc-a`,
      `${cluster}/app-x/svc-c`,
    ]);
    // A selector hides the servers' remaining counts: the count is unknown, and says so (null).
    expect(page.totalCount).toBeNull();
  });

  it("applies pod predicates (phase) like the cached path does", async () => {
    const filter = { phases: ["RUNNING"] };
    const strong = await walkPages<Listed>(gw, PODS, "pods", { first: 20, filter });
    const cached = await gw.run(
      `query ($filter: PodFilter) { pods(first: 1000, filter: $filter) { edges { node { ${LISTED} } } } }`,
      { filter },
    );
    const running = (cached.data!.pods as { edges: { node: Listed }[] }).edges.map((e) => e.node);
    expect(running.length).toBeGreaterThan(0);
    expect(ids(strong.items)).toEqual(ids(running));
  });

  it("counts exactly when one namespace of one cluster is read without selectors", async () => {
    const cluster = gw.sim.clusters[0]!;
    const pod = cluster.store.all(simKind("Pod"))[0]!;
    const ns = pod.metadata.namespace!;
    const result = await gw.run(PODS, { first: 2, filter: { clusters: [cluster.name], namespaces: [ns] } });
    const page = result.data!.pods as {
      totalCount: number | null;
      outcomes: { clusterName: string; source: string; synced: boolean; error: unknown }[];
    };
    expect(page.totalCount).toBe(cluster.store.all(simKind("Pod"), ns).length);
    expect(page.outcomes).toEqual([
      expect.objectContaining({ clusterName: cluster.name, source: "API_SERVER", synced: true, error: null }),
    ]);
  });
});

describe("STRONG relations", () => {
  type Named = { name: string };
  type Pods = { totalCount: number | null; nodes: Named[] };
  const names = (pods: Pods) => pods.nodes.map((p) => p.name).sort();

  it("reads a workload's pods (by owner, through its ReplicaSets) as the cache does", async () => {
    const cluster = gw.sim.clusters[0]!;
    const deployment = cluster.store
      .all(simKind("Deployment"))
      .find((d) => ((d.spec as { replicas?: number }).replicas ?? 1) > 0)!;
    const result = await gw.run(
      `query ($c: String!, $ns: String!, $name: String!) {
        workload(cluster: $c, namespace: $ns, kind: DEPLOYMENT, name: $name) {
          strong: pods(first: 1000, consistency: STRONG) { totalCount nodes { name } }
          cached: pods(first: 1000) { totalCount nodes { name } }
        }
        namespace(cluster: $c, name: $ns) { pods(first: 1000) { totalCount } }
      }`,
      { c: cluster.name, ns: deployment.metadata.namespace, name: deployment.metadata.name },
    );
    expect(result.errors).toEqual([]);
    const data = result.data as { workload: { strong: Pods; cached: Pods }; namespace: { pods: Pods } };
    expect(data.workload.cached.nodes.length).toBeGreaterThan(0);
    // Meaningful only if the namespace holds pods of other owners too.
    expect(data.namespace.pods.totalCount).toBeGreaterThan(data.workload.cached.totalCount!);
    expect(names(data.workload.strong)).toEqual(names(data.workload.cached));
  });

  it("reads a node's pods (by node) as the cache does", async () => {
    const cluster = gw.sim.clusters[0]!;
    const node = cluster.store.all(simKind("Node"))[0]!;
    const result = await gw.run(
      `query ($c: String!, $name: String!) {
        clusterNode(cluster: $c, name: $name) {
          strong: pods(first: 1000, consistency: STRONG) { totalCount nodes { name } }
          cached: pods(first: 1000) { totalCount nodes { name } }
        }
        cluster(name: $c) { pods(first: 1) { totalCount } }
      }`,
      { c: cluster.name, name: node.metadata.name },
    );
    expect(result.errors).toEqual([]);
    const data = result.data as { clusterNode: { strong: Pods; cached: Pods }; cluster: { pods: Pods } };
    expect(data.clusterNode.cached.nodes.length).toBeGreaterThan(0);
    expect(data.cluster.pods.totalCount).toBeGreaterThan(data.clusterNode.cached.totalCount!);
    expect(names(data.clusterNode.strong)).toEqual(names(data.clusterNode.cached));
  });
});

describe("STRONG relations that select nothing", () => {
  it("answers a service without a selector with no pods, as the cache does", async () => {
    const cluster = gw.sim.clusters[0]!;
    const namespace = cluster.store.all(simKind("Pod"))[0]!.metadata.namespace!;
    cluster.store.create(simKind("Service"), {
      metadata: { name: "no-selector", namespace },
      spec: { ports: [{ port: 80 }] },
    });
    const query = `query ($c: String!, $ns: String!) {
      service(cluster: $c, namespace: $ns, name: "no-selector") {
        selector { text }
        strong: pods(first: 1000, consistency: STRONG) { totalCount nodes { name } }
        cached: pods(first: 1000) { totalCount nodes { name } }
      }
    }`;
    const service = await eventually(async () => {
      const result = await gw.run(query, { c: cluster.name, ns: namespace });
      return (result.data?.service as Record<string, unknown> | null) ?? false;
    });
    expect(service.selector).toBeNull();
    expect(service.cached).toEqual({ totalCount: 0, nodes: [] });
    expect(service.strong).toEqual({ totalCount: 0, nodes: [] });
  });
});

describe("STRONG and the Scope", () => {
  it("never contacts a cluster outside the Scope and reads only the namespaces inside it", async () => {
    const [c0, c1, c2] = gw.sim.clusters as [
      (typeof gw.sim.clusters)[0],
      (typeof gw.sim.clusters)[0],
      (typeof gw.sim.clusters)[0],
    ];
    const ns = c0.store.all(simKind("Pod"))[0]!.metadata.namespace!;
    // Any request to c1 or c2 would fail and show up as an error.
    c1.faults.set({ errorRate: 1 });
    c2.faults.set({ errorRate: 1 });
    try {
      const scope = Scope.of([{ cluster: c0.name, namespaces: [ns] }]);
      const walk = await gw.run(PODS, { first: 1000 }, scope);
      expect(walk.errors).toEqual([]);
      const nodes = (walk.data!.pods as { edges: { node: Listed }[] }).edges.map((e) => e.node);
      expect(ids(nodes)).toEqual(
        ids(
          simListed(gw.sim, "Pod", "CLUSTER", "ASC").filter(
            (p) => p.cluster === c0.name && p.namespace === ns,
          ),
        ),
      );
    } finally {
      c1.faults.reset();
      c2.faults.reset();
    }
  });
});

describe("STRONG input errors", () => {
  const codeOf = async (variables: Record<string, unknown>, source = PODS) => {
    const result = await gw.run(source, variables);
    expect(result.data?.pods ?? null).toBeNull();
    return result.errors[0]?.extensions;
  };

  it("refuses orders the API servers cannot produce, naming consistency CACHED", async () => {
    for (const order of [
      { field: "CREATED", direction: "ASC" },
      { field: "RESTARTS", direction: "DESC" },
      { field: "NAME", direction: "DESC" },
    ]) {
      const result = await gw.run(PODS, { first: 5, order });
      expect(result.errors[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "orderBy" });
      expect(result.errors[0]?.message).toMatch(/consistency CACHED/);
    }
  });

  it("refuses backward paging, CACHED cursors, bad selectors and bad namespace names", async () => {
    const last = `query { pods(last: 3, consistency: STRONG) { totalCount } }`;
    expect(await codeOf({}, last)).toMatchObject({ code: "BAD_USER_INPUT", argument: "last" });
    const cached = await gw.run(`query { pods(first: 1) { pageInfo { endCursor } } }`);
    const cursor = (cached.data!.pods as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
    expect(await codeOf({ first: 1, after: cursor })).toMatchObject({
      code: "BAD_USER_INPUT",
      argument: "after",
    });
    expect(await codeOf({ first: 1, filter: { labelSelector: "a in (" } })).toMatchObject({
      code: "BAD_USER_INPUT",
      argument: "labelSelector",
    });
    expect(await codeOf({ first: 1, filter: { namespaces: ["../secrets"] } })).toMatchObject({
      code: "BAD_USER_INPUT",
      argument: "namespaces",
    });
  });

  it("refuses a cursor from a list in another order", async () => {
    const page = await gw.run(PODS, { first: 2, order: { field: "NAME", direction: "ASC" } });
    const cursor = (page.data!.pods as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
    const result = await gw.run(PODS, { first: 2, after: cursor });
    expect(result.errors[0]?.message).toMatch(/ordered by NAME ASC, not CLUSTER ASC/);
  });

  it("refuses a cursor whose continue token no API server handed out, naming after (found by fuzzing)", async () => {
    // Pages of one pod in a namespace of several: past its first chunk a cursor carries a token.
    const counts = new Map<string, number>();
    for (const pod of gw.sim.clusters[0]!.store.all(simKind("Pod")))
      counts.set(pod.metadata.namespace!, (counts.get(pod.metadata.namespace!) ?? 0) + 1);
    const [namespace] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const filter = { clusters: [gw.sim.clusters[0]!.name], namespaces: [namespace] };
    let after: string | undefined;
    let forged: string | undefined;
    for (let page = 0; page < 6 && !forged; page++) {
      const answer = await gw.run(PODS, { first: 1, filter, ...(after ? { after } : {}) });
      after =
        (answer.data!.pods as { pageInfo: { endCursor: string | null } }).pageInfo.endCursor ?? undefined;
      if (!after) break;
      const body = JSON.parse(Buffer.from(after, "base64url").toString("utf8")) as {
        s: [string, string, string, string | null][];
      };
      if (body.s.some((stream) => stream[3])) {
        for (const stream of body.s) if (stream[3]) stream[3] = `x${stream[3].slice(1)}`;
        forged = Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
      }
    }
    expect(forged, "a cursor with a continue token").toBeDefined();
    const result = await gw.run(PODS, { first: 1, filter, after: forged });
    expect(result.errors.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: "BAD_USER_INPUT", argument: "after" }),
    ]);
    expect(result.errors[0]?.message).toMatch(/refused its continue token/);
  });
});
