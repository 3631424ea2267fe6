/**
 * Paging through every pod, 7 at a time, while the fleet churns (rollouts replace pods, scaling
 * adds and removes them, containers restart): with either consistency, every pod that existed
 * throughout the walk comes back exactly once, in order, and nothing comes back that never
 * existed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  compareListed,
  simKind,
  simUids,
  startGatewayFixture,
  trackUids,
  walkPages,
  type GatewayFixture,
  type Listed,
} from "./gateway-fixture.js";

let gw: GatewayFixture;

beforeAll(async () => {
  gw = await startGatewayFixture({
    fleet: { clusters: 3, nodes: 2, pods: 50, seed: "strong-churn", churn: 40, podStartDelayMs: 20 },
  });
});

afterAll(async () => {
  await gw?.stop();
});

const PODS = `query ($first: Int, $after: String, $consistency: Consistency!, $order: PodOrder) {
  pods(first: $first, after: $after, consistency: $consistency, orderBy: $order) {
    edges { cursor node { cluster: clusterName namespace: namespaceName name uid } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cachedUids(): Set<string> {
  const uids = new Set<string>();
  for (const c of gw.sim.clusters) for (const e of gw.index.find(c.name, "Pod")?.all() ?? []) uids.add(e.uid);
  return uids;
}

function deleteSomePod(seed: number): void {
  const cluster = gw.sim.clusters[seed % gw.sim.clusters.length]!;
  const pods = cluster.store.all(simKind("Pod")).filter((p) => p.metadata.ownerReferences?.length);
  const pod = pods[(seed * 7) % pods.length];
  if (pod) cluster.store.delete(simKind("Pod"), pod.metadata.namespace, pod.metadata.name!);
}

for (const consistency of ["CACHED", "STRONG"] as const) {
  for (const [field, direction] of [
    ["CLUSTER", "ASC"],
    ["NAME", "ASC"],
  ] as const) {
    describe(`${consistency} paging by ${field} ${direction} while the fleet churns`, () => {
      it("returns every pod that existed throughout exactly once and in order", async () => {
        const changesBefore = gw.sim.churn.changes;
        const tracked = trackUids(gw.sim, "Pod");
        const cached = cachedUids();
        // Existing at the start: in the simulator and (for CACHED) already in the cache.
        const atStart = [...simUids(gw.sim, "Pod")].filter(
          (uid) => consistency === "STRONG" || cached.has(uid),
        );
        let walk;
        try {
          walk = await walkPages<Listed>(
            gw,
            PODS,
            "pods",
            { first: 7, consistency, order: { field, direction } },
            async (page) => {
              // Besides the churn, delete a pod now and then; its controller replaces it.
              if (page % 3 === 0) deleteSomePod(page);
              await sleep(40);
            },
          );
        } finally {
          tracked.stop();
        }
        const atEnd = simUids(gw.sim, "Pod");
        const throughout = atStart.filter((uid) => atEnd.has(uid));

        expect(walk.errors).toEqual([]);
        expect(gw.sim.churn.changes - changesBefore).toBeGreaterThan(10);
        const uids = walk.items.map((p) => p.uid);
        expect(new Set(uids).size).toBe(uids.length);
        const compare = compareListed(field, direction);
        for (let i = 1; i < walk.items.length; i++) {
          expect(compare(walk.items[i - 1]!, walk.items[i]!), `order at ${i}`).toBeLessThan(0);
        }
        const returned = new Set(uids);
        expect(throughout.filter((uid) => !returned.has(uid))).toEqual([]);
        // What existed: every pod the simulator had while tracked and, for CACHED, what the cache
        // held at the start (a pod deleted just before tracking began, whose DELETED event the
        // cache had not applied yet, existed all the same).
        const existed = new Set([...tracked.seen, ...(consistency === "CACHED" ? cached : [])]);
        expect(uids.filter((uid) => !existed.has(uid))).toEqual([]);
        expect(throughout.length).toBeGreaterThan(100);
        // The walk did see pods come and go.
        expect(tracked.seen.size).toBeGreaterThan(atStart.length);
        expect(throughout.length).toBeLessThan(atStart.length);
      });
    });
  }
}
