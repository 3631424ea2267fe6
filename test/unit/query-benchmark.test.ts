/**
 * The hot path at the target size: 50 clusters x 2,000 pods. Asserts that filtered, sorted
 * first-50 pages (and the page after) equal a naive filter + full sort, and prints how long the
 * engine took. Timing is printed, never asserted: machines differ, correctness does not.
 */
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import type { CacheEntry } from "../../src/cache/entry.js";
import type { ObjectFilter, OrderBy, PageArgs } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import { oracle, pick, pod, prng, testFleet, uids, type PodData, type TestFleet } from "./query-fixtures.js";

const CLUSTERS = 50;
const PODS_PER_CLUSTER = 2000;
const PHASES = ["Running", "Running", "Running", "Pending", "Succeeded", "Failed"];

function bigFleet(): TestFleet {
  const random = prng(42);
  const labels: Record<string, Record<string, string>> = {};
  for (let c = 0; c < CLUSTERS; c++) {
    labels[`cluster-${c}`] = { region: pick(random, ["eu", "us", "ap"]), env: c % 5 === 0 ? "dev" : "prod" };
  }
  const fleet = testFleet(labels);
  for (let c = 0; c < CLUSTERS; c++) {
    const cluster = `cluster-${c}`;
    for (let i = 0; i < PODS_PER_CLUSTER; i++) {
      const app = `app-${i % 40}`;
      fleet.add(
        pod(
          {
            cluster,
            namespace: `ns-${i % 20}`,
            uid: `${cluster}-${i}`,
            name: `${app}-${Math.floor(random() * 1e9).toString(36)}-${i}`,
            created: 1_700_000_000_000 + Math.floor(random() * 1e9),
            labels: { app, tier: i % 3 ? "backend" : "frontend", "pod-template-hash": `h${i % 97}` },
            owner: { kind: "ReplicaSet", name: `${app}-rs`, uid: `${cluster}-rs-${i % 40}` },
          },
          {
            phase: pick(random, PHASES),
            nodeName: `${cluster}-node-${i % 25}`,
            restarts: Math.floor(random() * 8),
          },
        ),
      );
    }
  }
  return fleet;
}

const running = (e: CacheEntry) => (e.data as PodData).phase === "Running";

const scenarios: { name: string; filter: ObjectFilter; order: OrderBy; scope: Scope }[] = [
  {
    name: "label selector + phase, newest first",
    filter: { labelSelector: "tier=backend,app in (app-1,app-2,app-3,app-4,app-5)", predicate: running },
    order: { field: "CREATED", direction: "DESC" },
    scope: Scope.everything(),
  },
  {
    name: "no filter, by name (full scan)",
    filter: {},
    order: { field: "NAME", direction: "ASC" },
    scope: Scope.everything(),
  },
  {
    name: "cluster selector + name contains + phase, most restarts first",
    filter: { clusterSelector: "env=prod", nameContains: "a", predicate: running },
    order: { field: "RESTARTS", direction: "DESC", key: (e: CacheEntry) => (e.data as PodData).restarts },
    scope: Scope.everything(),
  },
  {
    name: "namespaces + label inequality, by namespace, namespace-restricted scope",
    filter: { namespaces: ["ns-1", "ns-2", "ns-3", "ns-4"], labelSelector: "tier!=frontend" },
    order: { field: "NAMESPACE", direction: "ASC" },
    scope: Scope.of([{ cluster: "*", namespaces: ["ns-2", "ns-3", "ns-9"] }]),
  },
];

function timed(fleet: TestFleet, s: (typeof scenarios)[number], page: PageArgs, runs: number) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fleet.engine.query("Pod", s.filter, s.scope, s.order, page);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms over ${runs} runs`;
}

describe(`query engine at ${CLUSTERS} clusters x ${PODS_PER_CLUSTER} pods`, () => {
  const fleet = bigFleet();

  it("holds 100k pods", () => {
    expect(fleet.engine.count("Pod", {}, Scope.everything())).toBe(CLUSTERS * PODS_PER_CLUSTER);
  });

  it.each(scenarios)("$name: first 50 and the next 50 equal a naive full sort", (s) => {
    const expected = oracle(fleet, "Pod", s.filter, s.scope, s.order);
    expect(expected.length).toBeGreaterThan(100);

    const first = fleet.engine.query("Pod", s.filter, s.scope, s.order, { first: 50 });
    expect(uids(first.items)).toEqual(uids(expected.slice(0, 50)));
    expect(first.totalCount).toBe(expected.length);
    expect(first.pageInfo.hasNextPage).toBe(true);

    const second = fleet.engine.query("Pod", s.filter, s.scope, s.order, {
      first: 50,
      after: first.pageInfo.endCursor,
    });
    expect(uids(second.items)).toEqual(uids(expected.slice(50, 100)));

    const last = fleet.engine.query("Pod", s.filter, s.scope, s.order, { last: 50 });
    expect(uids(last.items)).toEqual(uids(expected.slice(-50)));

    timed(fleet, s, { first: 50 }, 5); // warm-up
    console.log(
      `[query benchmark] ${s.name}: ${expected.length} matches; first 50: ${timed(fleet, s, { first: 50 }, 40)}; ` +
        `count(): ${(() => {
          const t0 = performance.now();
          fleet.engine.count("Pod", s.filter, s.scope);
          return (performance.now() - t0).toFixed(2);
        })()} ms`,
    );
  });
});
