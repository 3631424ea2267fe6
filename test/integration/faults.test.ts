/**
 * Each simulator fault against the whole read path (registry, watch caches, query engine, STRONG
 * reader, schema): a cluster down, slow, a 410 storm, dropped watches, an error rate. Answers are
 * compared with the simulator's stores; typed errors must name the cluster.
 */
import type { GraphQLFormattedError } from "graphql";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CachedKind } from "../../src/cache/entry.js";
import type { SimCluster } from "../../sim/cluster.js";
import { eventually } from "../support/eventually.js";
import {
  divergence,
  simKind,
  simListed,
  startGatewayFixture,
  walkPages,
  type GatewayFixture,
  type Listed,
} from "./gateway-fixture.js";

let gw: GatewayFixture;
let victim: SimCluster;

const TIMEOUT_MS = 1000;

beforeAll(async () => {
  gw = await startGatewayFixture({
    fleet: { clusters: 3, nodes: 2, pods: 45, seed: "faults", bookmarkIntervalMs: 500 },
    requestTimeoutMs: TIMEOUT_MS,
  });
  victim = gw.sim.clusters[1]!;
});

afterEach(async () => {
  for (const c of gw.sim.clusters) {
    c.faults.reset();
    await c.comeBack();
  }
  // Every cache back in step and every breaker closed before the next fault.
  await eventually(
    () =>
      divergence(gw).length === 0 &&
      gw.sim.clusters.every((c) => gw.cache.status(c.name)!.staleSince === null) &&
      gw.registry.get(victim.name)!.breaker.state === "closed",
    10_000,
  );
});

afterAll(async () => {
  await gw?.stop();
});

const PODS = `query ($first: Int, $after: String, $consistency: Consistency!) {
  pods(first: $first, after: $after, consistency: $consistency) {
    edges { cursor node { cluster: clusterName namespace: namespaceName name uid } }
    pageInfo { hasNextPage endCursor }
    outcomes { clusterName source synced staleSince error { code retryable } }
  }
}`;

interface PodsPage {
  edges: { node: Listed }[];
  outcomes: {
    clusterName: string;
    source: "CACHE" | "API_SERVER";
    synced: boolean;
    staleSince: string | null;
    error: { code: string; retryable: boolean } | null;
  }[];
}

const ids = (items: Listed[]) => items.map((i) => `${i.cluster}/${i.namespace}/${i.name}/${i.uid}`);

async function pods(consistency: "CACHED" | "STRONG") {
  const result = await gw.run(PODS, { first: 1000, consistency });
  return { page: result.data!.pods as PodsPage, errors: result.errors };
}

function expectOnlyAbout(errors: GraphQLFormattedError[], cluster: string, code: string): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(e.extensions).toMatchObject({ code, cluster, retryable: true });
    expect(e.message).toContain(cluster);
  }
}

function writeServices(cluster: SimCluster, prefix: string, count: number): void {
  for (let i = 0; i < count; i++) {
    cluster.store.create(simKind("Service"), {
      metadata: { name: `${prefix}-${i}`, namespace: "default" },
      spec: { ports: [{ port: 80 }] },
    });
  }
}

const relists = (cluster: string, kind: CachedKind) => gw.cache.status(cluster)!.kinds[kind]!.relists;
const resumes = (cluster: string, kind: CachedKind) => gw.cache.status(cluster)!.kinds[kind]!.watchResumes;

describe("a cluster that is down", () => {
  it("is served from its stale cache (CACHED) and left out (STRONG), with CLUSTER_UNAVAILABLE naming it", async () => {
    const everything = ids(simListed(gw.sim, "Pod", "CLUSTER", "ASC"));
    await victim.goDown();
    await eventually(() => gw.cache.status(victim.name)!.staleSince !== null);

    const cached = await pods("CACHED");
    expect(ids(cached.page.edges.map((e) => e.node))).toEqual(everything);
    expectOnlyAbout(cached.errors, victim.name, "CLUSTER_UNAVAILABLE");
    const cachedVictim = cached.page.outcomes.find((c) => c.clusterName === victim.name)!;
    expect(cachedVictim).toMatchObject({
      source: "CACHE",
      error: { code: "CLUSTER_UNAVAILABLE", retryable: true },
    });
    expect(cachedVictim.staleSince).not.toBeNull();
    expect(
      cached.page.outcomes.filter((c) => c.clusterName !== victim.name).every((c) => c.error === null),
    ).toBe(true);

    const strong = await pods("STRONG");
    expect(ids(strong.page.edges.map((e) => e.node))).toEqual(
      everything.filter((id) => !id.startsWith(`${victim.name}/`)),
    );
    expectOnlyAbout(strong.errors, victim.name, "CLUSTER_UNAVAILABLE");
    expect(strong.page.outcomes.find((c) => c.clusterName === victim.name)).toMatchObject({
      source: "API_SERVER",
      synced: false,
      error: { code: "CLUSTER_UNAVAILABLE", retryable: true },
    });

    // Written while it was down: seen once it is back.
    writeServices(victim, "while-down", 3);
    await victim.comeBack();
    await eventually(
      async () => (await pods("STRONG")).errors.length === 0 && divergence(gw).length === 0,
      10_000,
    );
  });
});

describe("a slow cluster", () => {
  it("times out STRONG reads (CLUSTER_TIMEOUT) while cached reads still answer at once", async () => {
    const everything = ids(simListed(gw.sim, "Pod", "CLUSTER", "ASC"));
    victim.faults.set({ latencyMs: TIMEOUT_MS * 3 });

    const started = Date.now();
    const cached = await pods("CACHED");
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS / 2);
    expect(ids(cached.page.edges.map((e) => e.node))).toEqual(everything);

    const strong = await pods("STRONG");
    expect(ids(strong.page.edges.map((e) => e.node))).toEqual(
      everything.filter((id) => !id.startsWith(`${victim.name}/`)),
    );
    expectOnlyAbout(strong.errors, victim.name, "CLUSTER_TIMEOUT");
  });
});

describe("a 410 storm", () => {
  it("makes the caches relist and stay correct, and STRONG paging restart expired streams exactly", async () => {
    const before = gw.sim.clusters.map((c) => relists(c.name, "Service"));
    const storm = setInterval(() => {
      for (const c of gw.sim.clusters) {
        writeServices(c, `storm-${Date.now()}`, 1);
        c.expireHistory();
        // Live watches outlive a compaction (as on a real server); reconnecting ones get 410.
        c.dropWatches();
      }
    }, 100);
    try {
      // Every page's continue tokens are compacted away before the next page is read.
      const expected = simListed(gw.sim, "Pod", "CLUSTER", "ASC");
      const walk = await walkPages<Listed>(gw, PODS, "pods", { first: 7, consistency: "STRONG" }, () => {
        for (const c of gw.sim.clusters) c.expireHistory();
      });
      expect(walk.errors).toEqual([]);
      expect(ids(walk.items)).toEqual(ids(expected));
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      clearInterval(storm);
    }
    await eventually(() => divergence(gw).length === 0, 5000);
    gw.sim.clusters.forEach((c, i) => expect(relists(c.name, "Service")).toBeGreaterThan(before[i]!));
    const cached = await pods("CACHED");
    expect(ids(cached.page.edges.map((e) => e.node))).toEqual(
      ids(simListed(gw.sim, "Pod", "CLUSTER", "ASC")),
    );
  });
});

describe("dropped watches", () => {
  it("resume from their resourceVersion without a relist and lose nothing", async () => {
    // Move every cache past any earlier compaction, so a resume is possible at all.
    for (const c of gw.sim.clusters) writeServices(c, "settle", 1);
    await eventually(() => divergence(gw).length === 0, 5000);
    const relistsBefore = gw.sim.clusters.map((c) => relists(c.name, "Service"));
    const resumesBefore = gw.sim.clusters.map((c) => resumes(c.name, "Service"));
    for (let round = 0; round < 5; round++) {
      for (const c of gw.sim.clusters) {
        c.dropWatches();
        writeServices(c, `dropped-${round}`, 2);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await eventually(() => divergence(gw).length === 0, 5000);
    gw.sim.clusters.forEach((c, i) => {
      expect(resumes(c.name, "Service")).toBeGreaterThan(resumesBefore[i]!);
      expect(relists(c.name, "Service")).toBe(relistsBefore[i]);
    });
  });
});

describe("an error rate", () => {
  it("fails STRONG reads of that cluster (CLUSTER_UNAVAILABLE) and leaves synced caches correct", async () => {
    const everything = ids(simListed(gw.sim, "Pod", "CLUSTER", "ASC"));
    victim.faults.set({ errorRate: 1, errorCode: 503 });
    const strong = await pods("STRONG");
    expect(ids(strong.page.edges.map((e) => e.node))).toEqual(
      everything.filter((id) => !id.startsWith(`${victim.name}/`)),
    );
    expectOnlyAbout(strong.errors, victim.name, "CLUSTER_UNAVAILABLE");

    const cached = await pods("CACHED");
    expect(ids(cached.page.edges.map((e) => e.node))).toEqual(everything);
    // The health probe may call it unhealthy; anything said is about that cluster only.
    for (const e of cached.errors)
      expect({ ...e.extensions, message: e.message }).toMatchObject({ cluster: victim.name });
  });
});
