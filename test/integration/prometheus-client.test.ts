/**
 * PrometheusClient against a real Prometheus (Debian's binary) scraping a simulated fleet of two
 * clusters: its instant and range answers equal what Prometheus's own HTTP API answers to a plain
 * GET for the same PromQL at the same time, a selector with a 20 KB label regex works (POSTed),
 * and Prometheus's refusals arrive typed, with its own words.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { findResource } from "../../sim/kinds.js";
import {
  PrometheusClient,
  type InstantSample,
  type RangeSeries,
} from "../../src/backends/prometheus/client.js";
import { prometheusFailure, startPrometheus, type RunningPrometheus } from "../support/prometheus.js";

const POD = findResource("", "pods")!;
let fleet: SimFleet;
let prometheus: RunningPrometheus;
let client: PrometheusClient;
/** A moment every cluster had been scraped several times by: answers at it no longer change. */
let settled: number;
/** From here to `settled`, rate() over 5 s has an answer for every cluster. */
let rated: number;

interface ApiAnswer {
  status: string;
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
}

/** Prometheus's own HTTP API, asked with a plain GET: what the client's answers must equal. */
async function api(path: string, params: Record<string, string>): Promise<ApiAnswer> {
  const res = await fetch(`${prometheus.url}${path}?${new URLSearchParams(params).toString()}`);
  return (await res.json()) as ApiAnswer;
}

// Written out here rather than taken from the client: Prometheus's number format, from its docs.
const number = (text: string): number =>
  text === "+Inf" ? Infinity : text === "-Inf" ? -Infinity : text === "NaN" ? NaN : Number(text);
const byLabels = <T extends { labels: Record<string, string> }>(list: T[]): T[] =>
  [...list].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));

async function expectedInstant(query: string, time: number): Promise<InstantSample[]> {
  const answer = await api("/api/v1/query", { query, time: String(time) });
  expect(answer.status).toBe("success");
  const result = answer.data!.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
  return result.map((s) => ({ labels: s.metric, value: number(s.value[1]) }));
}

async function expectedRange(
  query: string,
  start: number,
  end: number,
  step: number,
): Promise<RangeSeries[]> {
  const answer = await api("/api/v1/query_range", {
    query,
    start: String(start),
    end: String(end),
    step: String(step),
  });
  expect(answer.status).toBe("success");
  const result = answer.data!.result as Array<{
    metric: Record<string, string>;
    values: Array<[number, string]>;
  }>;
  return result.map((s) => ({ labels: s.metric, points: s.values.map(([t, v]) => [t, number(v)]) }));
}

beforeAll(async () => {
  fleet = await startFleet({ clusters: 2, nodes: 2, pods: 30, seed: "prom-client", http: true });
  const config = await fetch(`${fleet.adminUrl}/prometheus.yml?interval=1s`);
  if (!config.ok) throw new Error(`GET /prometheus.yml: ${config.status} ${await config.text()}`);
  prometheus = await startPrometheus({ configYaml: await config.text() });
  // rate() over 5 s needs two scrapes of every cluster: then the window before now is complete.
  await prometheus.until("two scrapes of both clusters", async () => {
    const rates = await prometheus.query("count(rate(container_cpu_usage_seconds_total[5s])) by (cluster)");
    return rates.length === 2 ? true : undefined;
  });
  rated = Math.ceil(Date.now() / 1000);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  settled = Math.floor(Date.now() / 1000) - 1;
  client = new PrometheusClient({
    url: prometheus.url,
    tls: { insecureSkipVerify: false },
    auth: {},
    timeoutMs: 5000,
    maxConcurrentRequests: 4,
  });
}, 45_000);

afterAll(async () => {
  client?.close();
  await prometheus?.stop();
  await fleet?.stop();
});

describe("PrometheusClient against a real Prometheus", () => {
  it.each([
    "up",
    "kube_pod_info",
    "count(kube_pod_info) by (cluster)",
    'rate(container_cpu_usage_seconds_total{container!=""}[5s])',
  ])("instant %s equals Prometheus's own answer", async (query) => {
    const [got, expected] = await Promise.all([
      client.instant(query, settled),
      expectedInstant(query, settled),
    ]);
    expect(expected.length).toBeGreaterThan(0);
    expect(byLabels(got)).toEqual(byLabels(expected));
  });

  it("gives scalars, infinities and NaN as Prometheus writes them", async () => {
    expect(await client.instant("1/0", settled)).toEqual([{ labels: {}, value: Infinity }]);
    expect(await client.instant("-1/0", settled)).toEqual([{ labels: {}, value: -Infinity }]);
    expect(await client.instant("0/0", settled)).toEqual([{ labels: {}, value: NaN }]);
    const own = await api("/api/v1/query", { query: "-1/0", time: String(settled) });
    expect(own.data).toEqual({ resultType: "scalar", result: [settled, "-Inf"] });
  });

  it.each([
    ["up", 1],
    ["sum by (cluster) (rate(container_cpu_usage_seconds_total[5s]))", 1],
    ["count(kube_pod_info) by (cluster, namespace)", 2],
  ])("range %s (step %i s) equals Prometheus's own answer", async (query, step) => {
    const window = { start: rated, end: settled, step };
    const [got, expected] = await Promise.all([
      client.range(query, window),
      expectedRange(query, window.start, window.end, step),
    ]);
    expect(expected.length).toBeGreaterThan(0);
    expect(byLabels(got)).toEqual(byLabels(expected));
    expect(got[0]!.points.length).toBeGreaterThan(1);
  });

  it("POSTs a selector with a 20 KB label regex, which counts every pod", async () => {
    const names = fleet.clusters.flatMap((c) => c.store.all(POD).map((p) => p.metadata.name!));
    const alternatives = names.map((name) => name.replace(/\./g, "\\\\."));
    for (let i = 0; alternatives.join("|").length < 20_000; i++) alternatives.push(`absent-pod-${i}`);
    const query = `count(kube_pod_info{pod=~"${alternatives.join("|")}"}) by (cluster)`;
    expect(query.length).toBeGreaterThan(20_000);
    const counts = await client.instant(query, settled);
    expect(Object.fromEntries(counts.map((s) => [s.labels.cluster, s.value]))).toEqual(
      Object.fromEntries(fleet.clusters.map((c) => [c.name, c.store.count(POD)])),
    );
  });

  it("a query Prometheus cannot parse -> PROMETHEUS_BAD_QUERY with Prometheus's own message", async () => {
    const query = "sum(rate(up[5m])";
    const own = await api("/api/v1/query", { query });
    expect(own).toMatchObject({ status: "error", errorType: "bad_data" });
    const error = await prometheusFailure(client.instant(query));
    expect(error).toMatchObject({ code: "PROMETHEUS_BAD_QUERY", retryable: false, status: 400 });
    expect(error.backend).toBe(prometheus.url);
    expect(error.message).toBe(`Prometheus at ${prometheus.url} refused the query: ${own.error}`);
  });

  it("a query that fails to execute (many-to-many matching) -> PROMETHEUS_BAD_QUERY from HTTP 422", async () => {
    const query = "kube_pod_info * on (cluster) kube_pod_info";
    const error = await prometheusFailure(client.instant(query, settled));
    expect(error).toMatchObject({ code: "PROMETHEUS_BAD_QUERY", status: 422 });
    expect(error.message).toContain("many-to-many matching not allowed");
  });

  it("an instant query for a range vector -> PROMETHEUS_BAD_QUERY saying what to change", async () => {
    const error = await prometheusFailure(client.instant("up[1m]", settled));
    expect(error.code).toBe("PROMETHEUS_BAD_QUERY");
    expect(error.message).toContain("the query gives a range vector");
  });

  it("counts every query sent, refused ones included, and bad queries leave the breaker closed", async () => {
    const c = new PrometheusClient(
      {
        url: prometheus.url,
        tls: { insecureSkipVerify: false },
        auth: {},
        timeoutMs: 5000,
        maxConcurrentRequests: 2,
      },
      { breaker: { failureThreshold: 2 } },
    );
    try {
      await c.instant("up", settled);
      await c.range("up", { start: settled - 2, end: settled, step: 1 });
      for (let i = 0; i < 3; i++) await prometheusFailure(c.instant("sum("));
      expect(c.queries).toBe(5);
      expect(c.breakerState).toBe("closed");
    } finally {
      c.close();
    }
  });
});
