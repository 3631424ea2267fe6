/**
 * Two clusters, each with its OWN log store (`clusters[].logStore`, no cluster field): a page is
 * one search per store, merged. When one store fails (down, 503, 400) the other cluster's lines
 * still come back, the failing cluster's outcome says why (LOG_STORE_UNAVAILABLE or
 * LOG_STORE_BAD_QUERY, also as a GraphQL error), and the count is unknown; once the store is
 * back (after the breaker's cool-down) its lines return. Paging across the two stores with ties
 * at one millisecond in both clusters gives each entry once, in order: the per-cluster
 * `search_after` sentinels of src/logs/store-search.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogStoreServer } from "../../sim/logstore/server.js";
import type { GatewayConfig } from "../../src/config/index.js";
import { logStoreSettings, startLogStore } from "../support/log-store.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import {
  DocBook,
  entryOf,
  fleetPods,
  inOrder,
  LOGS,
  LOGS_FLEET,
  normalised,
  pageAll,
  rangeOf,
  type EntryPage,
  type WrittenDoc,
} from "./logs-fixture.js";
import { fleetConfig, type GraphQLResponse } from "./server-fixture.js";

let fixture: AuthGateway;
/** Each cluster's own store. */
const stores = new Map<string, LogStoreServer>();
const book = new DocBook();
let clusterA: string;
let clusterB: string;

beforeAll(async () => {
  fixture = await startAuthGateway({
    seed: "logs-faults",
    fleet: LOGS_FLEET,
    users: ["admin"],
    configFor: async (sim) => {
      const clusters: GatewayConfig["clusters"] = [];
      for (const c of fleetConfig(sim).clusters) {
        const store = await startLogStore();
        stores.set(c.name, store);
        const own = logStoreSettings(store.url);
        delete own.clusterField;
        clusters.push({ ...c, logStore: own });
      }
      return { clusters };
    },
  });
  [clusterA, clusterB] = fixture.sim.clusters.map((c) => c.name) as [string, string];
  const T0 = Date.now() - 20 * 60_000;
  const pods = fleetPods(fixture.sim);
  pods.forEach((pod, i) => book.line(pod, T0 + (i % 20) * 1000, `line ${i} of ${pod.name}`));
  // Ties at one millisecond: four lines in A, four in B, written interleaved; and three more in B
  // at the next millisecond.
  const inA = pods.filter((p) => p.cluster === clusterA);
  const inB = pods.filter((p) => p.cluster === clusterB);
  const TIE = T0 + 30_000;
  for (let i = 0; i < 4; i++) {
    book.line(inB[i]!, TIE, `tie ${i} in B`);
    book.line(inA[i]!, TIE, `tie ${i} in A`);
  }
  for (let i = 0; i < 3; i++) book.line(inB[i]!, TIE + 1, `next tie ${i} in B`);
  await book.write((d) => stores.get(d.cluster)!.url);
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
  await Promise.all([...stores.values()].map((s) => s.close()));
});

const filter = () => ({ range: rangeOf(book.docs) });
const docsOf = (cluster: string): WrittenDoc[] => book.docs.filter((d) => d.cluster === cluster);

async function search(): Promise<GraphQLResponse<{ logs: EntryPage }>> {
  return fixture.query<{ logs: EntryPage }>("admin", LOGS, { filter: filter(), first: 500 });
}

/** The answer holds B's lines only, A's outcome says `code`, and the GraphQL error too. */
function expectOnlyB(answer: GraphQLResponse<{ logs: EntryPage }>, code: string, retryable: boolean) {
  const page = answer.data!.logs;
  expect(page.edges.map((e) => normalised(e.node))).toEqual(
    inOrder(docsOf(clusterB), "NEWEST_FIRST").map(entryOf),
  );
  expect(page.totalCount).toBeNull();
  const byCluster = new Map(page.outcomes.map((o) => [o.clusterName, o]));
  expect(byCluster.get(clusterB)).toEqual({ clusterName: clusterB, source: "LOG_STORE", error: null });
  const failed = byCluster.get(clusterA)!;
  expect(failed.source).toBe("LOG_STORE");
  expect(failed.error?.code).toBe(code);
  expect(failed.error?.retryable).toBe(retryable);
  expect(failed.error?.message).toContain(stores.get(clusterA)!.url);
  const errors = (answer.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.cluster]);
  expect(errors).toEqual([[code, clusterA]]);
}

describe("one cluster's store failing", () => {
  it("both stores up: every line of both, counted", async () => {
    const answer = await search();
    expect(answer.errors).toBeUndefined();
    const page = answer.data!.logs;
    expect(page.totalCount).toBe(book.docs.length);
    expect(page.outcomes.map((o) => [o.clusterName, o.source, o.error]).sort()).toEqual(
      [
        [clusterA, "LOG_STORE", null],
        [clusterB, "LOG_STORE", null],
      ].sort(),
    );
  });

  it("a 503 from A's store: B's lines, A LOG_STORE_UNAVAILABLE and retryable", async () => {
    stores.get(clusterA)!.failNext(503);
    expectOnlyB(await search(), "LOG_STORE_UNAVAILABLE", true);
    // The next search is whole again.
    expect((await search()).errors).toBeUndefined();
  });

  it("a 400 from A's store: B's lines, A LOG_STORE_BAD_QUERY, not retryable", async () => {
    stores.get(clusterA)!.failNext(400);
    expectOnlyB(await search(), "LOG_STORE_BAD_QUERY", false);
    expect((await search()).errors).toBeUndefined();
  });

  it("A's store down, then back: B's lines meanwhile, A's again once the breaker lets it", async () => {
    const a = stores.get(clusterA)!;
    await a.goDown();
    try {
      // Enough searches to open the breaker (5 failures in a row); each still answers with B.
      for (let i = 0; i < 6; i++) expectOnlyB(await search(), "LOG_STORE_UNAVAILABLE", true);
    } finally {
      await a.comeBack();
    }
    const started = Date.now();
    let answer = await search();
    while (answer.errors !== undefined && Date.now() - started < 12_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await search();
    }
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.logs.totalCount).toBe(book.docs.length);
    expect(answer.data!.logs.edges).toHaveLength(book.docs.length);
  }, 30_000);
});

describe("paging across two per-cluster stores", () => {
  it.each([
    ["NEWEST_FIRST", 1],
    ["NEWEST_FIRST", 3],
    ["OLDEST_FIRST", 1],
    ["OLDEST_FIRST", 4],
  ] as const)("%s, %i per page: every entry once, in order, through the ties", async (direction, first) => {
    const all = await pageAll(fixture, "admin", filter(), first, direction);
    expect(all.entries).toEqual(inOrder(book.docs, direction).map(entryOf));
    for (const total of all.totalCounts) expect(total).toBe(book.docs.length);
  });
});
