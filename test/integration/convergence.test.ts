/**
 * Convergence: seeded random faults on every cluster (down, slow, erroring, dropped watches,
 * compacted history) for a few seconds while the fleet churns; once the faults stop, every watch
 * cache must equal the simulator's state (uids and resourceVersions of every kind in every
 * cluster) within 5 s, and the API must answer from them without errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimCluster } from "../../sim/cluster.js";
import { eventually } from "../support/eventually.js";
import {
  divergence,
  simListed,
  startGatewayFixture,
  type GatewayFixture,
  type Listed,
} from "./gateway-fixture.js";

let gw: GatewayFixture;

beforeAll(async () => {
  gw = await startGatewayFixture({
    fleet: { clusters: 3, nodes: 2, pods: 50, seed: "convergence", churn: 20, bookmarkIntervalMs: 500 },
    requestTimeoutMs: 1000,
  });
});

afterAll(async () => {
  await gw?.stop();
});

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Fault = (cluster: SimCluster, random: () => number) => unknown;

const FAULTS: Record<string, Fault> = {
  down: (c) => c.goDown(),
  up: (c) => c.comeBack(),
  slow: (c, r) => c.faults.set({ latencyMs: Math.floor(r() * 1500) }),
  erroring: (c, r) => c.faults.set({ errorRate: 0.2 + r() * 0.8, errorCode: r() < 0.5 ? 500 : 503 }),
  slowBody: (c, r) => c.faults.set({ slowBodyMs: Math.floor(r() * 50) }),
  heal: (c) => c.faults.reset(),
  dropWatches: (c) => c.dropWatches(),
  expireHistory: (c) => {
    c.expireHistory();
    c.dropWatches();
  },
};

describe("after random faults stop", () => {
  it("every cache equals the simulator's state within 5 s", async () => {
    const random = seeded(20261126);
    const names = Object.keys(FAULTS);
    const applied: string[] = [];
    const until = Date.now() + 4000;
    while (Date.now() < until) {
      const cluster = gw.sim.clusters[Math.floor(random() * gw.sim.clusters.length)]!;
      const name = names[Math.floor(random() * names.length)]!;
      await FAULTS[name]!(cluster, random);
      applied.push(`${cluster.name}:${name}`);
      await new Promise((resolve) => setTimeout(resolve, 50 + random() * 150));
    }
    expect(new Set(applied.map((a) => a.split(":")[1])).size).toBe(names.length);

    gw.sim.churn.setRate(0);
    for (const c of gw.sim.clusters) {
      c.faults.reset();
      await c.comeBack();
    }
    const stoppedAt = Date.now();
    await eventually(() => divergence(gw).length === 0, 5000, 25).catch(() => {
      throw new Error(
        `caches still differ after 5 s: ${divergence(gw).join("; ")}\nfaults: ${applied.join(" ")}`,
      );
    });
    expect(Date.now() - stoppedAt).toBeLessThan(5000);

    // And the API answers from them, complete and without errors, once the watches are back.
    await eventually(() => gw.sim.clusters.every((c) => gw.cache.status(c.name)!.staleSince === null), 5000);
    const result = await gw.run(
      `{ pods(first: 1000) { edges { node { cluster: clusterName namespace: namespaceName name uid } } } }`,
    );
    const pods = (result.data!.pods as { edges: { node: Listed }[] }).edges.map((e) => e.node.uid);
    expect(pods).toEqual(simListed(gw.sim, "Pod", "CLUSTER", "ASC").map((p) => p.uid));
  });
});
