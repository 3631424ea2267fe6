/**
 * The per-request batch: asks made in one turn become one query per (cluster, series, level,
 * window), restricted to the union of what was asked, and every asker gets the shared answer.
 */
import { describe, expect, it } from "vitest";
import { labelKey, QueryBatch, type SeriesAsk } from "../../src/metrics/query-batch.js";
import type { InstantSample, MetricsSource, RangeSeries, RangeWindow } from "../../src/metrics/sources.js";

function recordingSource(
  cluster: string,
  answer: InstantSample[] = [],
): MetricsSource & { queries: string[] } {
  const queries: string[] = [];
  return {
    cluster,
    queries,
    clusterLabel: { name: "cluster", value: cluster },
    client: {
      instant: (query: string) => {
        queries.push(query);
        return Promise.resolve(answer);
      },
      range: (query: string, _window: RangeWindow): Promise<RangeSeries[]> => {
        queries.push(query);
        return Promise.resolve([]);
      },
    },
  };
}

const pods = (source: MetricsSource, namespace: string, ...names: string[]): SeriesAsk => ({
  source,
  series: "cpu_usage",
  level: "pod",
  namespaces: [namespace],
  names: { label: "pod", patterns: names.map((exact) => ({ exact })) },
});

describe("QueryBatch", () => {
  it("sends one query per cluster for the asks of one turn, over the union of their objects", async () => {
    const east = recordingSource("east", [
      { labels: { cluster: "east", namespace: "a", pod: "p1" }, value: 1 },
      { labels: { cluster: "east", namespace: "b", pod: "p2" }, value: 2 },
    ]);
    const west = recordingSource("west");
    const batch = new QueryBatch(1_000);
    const answers = await Promise.all([
      batch.load(pods(east, "a", "p1")),
      batch.load(pods(east, "b", "p2")),
      batch.load(pods(west, "a", "p1")),
    ]);
    expect(east.queries).toEqual([
      'sum by (cluster, namespace, pod) (rate(container_cpu_usage_seconds_total{container!="",cluster="east",namespace=~"a|b",pod=~"p1|p2"}[5m]))',
    ]);
    expect(west.queries).toHaveLength(1);
    expect(batch.queries).toBe(2);
    expect(answers[0]).toBe(answers[1]);
    expect(answers[0].get(labelKey(["b", "p2"]))).toBe(2);
  });

  it("drops a restriction when any asker wants every object, and asks again in a later turn", async () => {
    const east = recordingSource("east");
    const batch = new QueryBatch(1_000);
    await Promise.all([
      batch.load(pods(east, "a", "p1")),
      batch.load({ ...pods(east, "a"), names: "all", namespaces: "all" }),
    ]);
    expect(east.queries).toEqual([
      'sum by (cluster, namespace, pod) (rate(container_cpu_usage_seconds_total{container!="",cluster="east"}[5m]))',
    ]);
    await batch.load(pods(east, "a", "p1"));
    expect(east.queries).toHaveLength(2);
  });

  it("asks a shared Prometheus once for every cluster whose pods the caller reads in full, and splits by cluster", async () => {
    const queries: string[] = [];
    const client = {
      instant: (query: string) => {
        queries.push(query);
        return Promise.resolve([
          { labels: { cluster: "east", namespace: "a", pod: "p1" }, value: 1 },
          { labels: { cluster: "west", namespace: "a", pod: "p1" }, value: 5 },
        ]);
      },
      range: () => Promise.resolve([]),
    };
    const on = (cluster: string): MetricsSource => ({
      cluster,
      client,
      clusterLabel: { name: "cluster", value: cluster },
    });
    const batch = new QueryBatch(1_000);
    const [east, west] = await Promise.all([
      batch.load({ ...pods(on("east"), "a", "p1"), wholeCluster: true }),
      batch.load({ ...pods(on("west"), "a", "p1"), wholeCluster: true }),
    ]);
    expect(queries).toEqual([
      'sum by (cluster, namespace, pod) (rate(container_cpu_usage_seconds_total{container!="",cluster=~"east|west",namespace="a",pod="p1"}[5m]))',
    ]);
    expect(east.get(labelKey(["a", "p1"]))).toBe(1);
    expect(west.get(labelKey(["a", "p1"]))).toBe(5);
    // A caller who reads only some namespaces of a cluster gets a query of that cluster's own.
    queries.length = 0;
    await Promise.all([
      batch.load({ ...pods(on("east"), "a", "p1"), wholeCluster: true }),
      batch.load({ ...pods(on("west"), "b", "p2"), wholeCluster: false }),
    ]);
    expect(queries).toHaveLength(2);
    expect(queries.find((q) => q.includes('cluster="west"'))).toContain('namespace="b"');
    expect(queries.find((q) => q.includes('cluster="west"'))).not.toContain('namespace=~"a|b"');
  });

  it("sends nothing when the Scope leaves no namespace to read", async () => {
    const east = recordingSource("east");
    const batch = new QueryBatch(1_000);
    const answer = await batch.load({ ...pods(east, "a", "p1"), namespaces: [] });
    expect(answer.size).toBe(0);
    expect(east.queries).toEqual([]);
  });

  it("keeps instant and range asks, and different windows, apart", async () => {
    const east = recordingSource("east");
    const batch = new QueryBatch(1_000);
    const window = { start: 0, end: 60, step: 15 };
    await Promise.all([
      batch.load(pods(east, "a", "p1")),
      batch.load({ ...pods(east, "a", "p1"), window }),
      batch.load({ ...pods(east, "a", "p1"), window: { ...window, step: 30 } }),
    ]);
    expect(east.queries).toHaveLength(3);
  });

  it("rejects every asker of a group whose query failed", async () => {
    const failing: MetricsSource = {
      cluster: "east",
      client: {
        instant: () => Promise.reject(new Error("down")),
        range: () => Promise.reject(new Error("down")),
      },
    };
    const batch = new QueryBatch(1_000);
    const results = await Promise.allSettled([
      batch.load(pods(failing, "a", "p1")),
      batch.load(pods(failing, "a", "p2")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});
