/**
 * A page's numbers cost a bounded number of PromQL queries: whatever the page size, at most one
 * query per cluster and series (a ratio's two series counted once each, shared ones once), for
 * `usage` and `metrics(range:)` of workloads and pods, and for a list ordered by a metric. Counted
 * by differencing the gateway's count of queries sent to Prometheus around one request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsFleet, type MetricsFleet } from "./metrics-fixture.js";
import type { GraphQLResponse } from "./server-fixture.js";

let fleet: MetricsFleet;

beforeAll(async () => {
  fleet = await startMetricsFleet({ seed: "metrics-batching", fleet: { clusters: 3 } });
}, 90_000);

afterAll(async () => {
  await fleet?.stop();
});

/** The answer and the PromQL queries it cost. */
async function counted<D>(
  document: string,
  variables?: Record<string, unknown>,
): Promise<{ answer: GraphQLResponse<D>; queries: number }> {
  const before = fleet.gateway.metrics.queries();
  const answer = await fleet.query<D>(document, variables);
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return { answer, queries: fleet.gateway.metrics.queries() - before };
}

interface Item {
  clusterName: string;
  /** Pods: their phase; workloads: their pods' phases. */
  phase?: string;
  pods?: { nodes: { phase: string }[] };
  usage: Record<string, number | null>;
}

const running = (item: Item) =>
  item.phase === "RUNNING" || (item.pods?.nodes.some((p) => p.phase === "RUNNING") ?? false);

/**
 * Checks a page: the queries stay within clusters × series, and every item with a running pod got
 * its numbers (few queries that answered nothing would prove nothing).
 */
function expectBatched(items: Item[], queries: number, series: number, fields: string[]): void {
  const clustersInPage = new Set(items.map((i) => i.clusterName)).size;
  expect(queries).toBeGreaterThan(0);
  expect(queries).toBeLessThanOrEqual(clustersInPage * series);
  const measured = items.filter(running);
  expect(measured.length).toBeGreaterThan(0);
  for (const item of measured) for (const f of fields) expect(item.usage[f], f).not.toBeNull();
}

describe("a page's numbers cost at most one PromQL query per cluster and series", () => {
  it.each([10, 50])("workloads, first: %i", async (first) => {
    const { answer, queries } = await counted<{ workloads: { nodes: Item[] } }>(
      `query Page($first: Int!) {
        workloads(first: $first) { nodes { clusterName pods { nodes { phase } } usage { cpuUsage memoryWorkingSet } } }
      }`,
      { first },
    );
    const items = answer.data!.workloads.nodes;
    expect(items.length).toBe(first);
    expectBatched(items, queries, 2, ["cpuUsage", "memoryWorkingSet"]);
    // The bound is the fleet's, not the page's: 50 workloads cost no more than 3 clusters' worth.
    expect(queries).toBeLessThanOrEqual(fleet.clusters.length * 2);
  });

  it.each([10, 50])("pods, first: %i", async (first) => {
    const { answer, queries } = await counted<{ pods: { nodes: Item[] } }>(
      `query Page($first: Int!) {
        pods(first: $first) { nodes { clusterName phase usage { cpuUsage memoryWorkingSet } } }
      }`,
      { first },
    );
    const items = answer.data!.pods.nodes;
    expect(items.length).toBe(first);
    expectBatched(items, queries, 2, ["cpuUsage", "memoryWorkingSet"]);
    expect(queries).toBeLessThanOrEqual(fleet.clusters.length * 2);
  });

  it("ratios share the series they divide: four numbers, four series", async () => {
    const { answer, queries } = await counted<{ workloads: { nodes: Item[] } }>(
      `{ workloads(first: 50) { nodes { clusterName pods { nodes { phase } }
          usage { cpuUsage cpuUtilisation memoryWorkingSet memoryUtilisation } } } }`,
    );
    // cpuUtilisation is cpuUsage over cpuRequests, memoryUtilisation memoryWorkingSet over memoryRequests.
    expectBatched(answer.data!.workloads.nodes, queries, 4, ["cpuUsage", "memoryWorkingSet"]);
  });

  it.each([10, 50])("series of workloads, first: %i", async (first) => {
    // A step no other request asked for, so the range cache cannot answer the window; ended 2 s
    // ago, after Prometheus had rates for a while, so the running workloads have points in it.
    await fleet.history(6);
    const step = first === 10 ? 1 : 2;
    const end = Math.floor((Date.now() / 1000 - 2) / step) * step;
    const range = {
      start: new Date((end - 4 * step) * 1000).toISOString(),
      end: new Date(end * 1000).toISOString(),
      step,
    };
    const { answer, queries } = await counted<{
      workloads: { nodes: (Item & { metrics: ({ values: (number | null)[] } | null)[] })[] };
    }>(
      `query Page($first: Int!, $range: MetricRange!) {
        workloads(first: $first) { nodes { clusterName pods { nodes { phase } }
          metrics(names: [CPU_USAGE, MEMORY_WORKING_SET], range: $range) { values } } }
      }`,
      { first, range },
    );
    const items = answer.data!.workloads.nodes;
    const clustersInPage = new Set(items.map((i) => i.clusterName)).size;
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(clustersInPage * 2);
    // No Prometheus failed: every series is there (of nulls for a workload without pods), and a
    // running workload's have points.
    for (const item of items) for (const s of item.metrics) expect(s?.values.length).toBe(5);
    const measured = items.filter(running);
    expect(measured.length).toBeGreaterThan(0);
    for (const item of measured)
      for (const s of item.metrics) expect(s!.values.some((v) => v !== null)).toBe(true);
    expect(items.some((i) => i.pods!.nodes.length === 0)).toBe(true);
  });

  it("a list ordered by a metric: one query per cluster for the order, one for the numbers shown", async () => {
    const { answer, queries } = await counted<{ workloads: { nodes: Item[] } }>(
      `{ workloads(first: 10, orderBy: { metric: CPU_USAGE, direction: DESC }) {
          nodes { clusterName pods { nodes { phase } } usage { cpuUsage } } } }`,
    );
    expect(answer.data!.workloads.nodes.length).toBe(10);
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(fleet.clusters.length * 2);
  });
});
