/** The metrics scenario's pieces that need no process: counting, the peer's PromQL, answers, targets, report. */
import { describe, expect, it } from "vitest";
import { perRequest, queryRequestsIn } from "../../bench/measure/prometheus-window.js";
import { workloadQueries } from "../../bench/peers/metrics-per-object.js";
import type { WorkloadUsageRow } from "../../bench/queries.js";
import { renderReport } from "../../bench/report.js";
import type { BenchResult } from "../../bench/results.js";
import { clustersOf, compareUsage, orderedByCpu } from "../../bench/scenarios/metrics-answers.js";
import { checkTargets } from "../../bench/targets.js";

describe("queryRequestsIn", () => {
  it("counts the query API's requests of every status, and nothing else", () => {
    const exposition = [
      "# HELP prometheus_http_requests_total Counter of HTTP requests.",
      "# TYPE prometheus_http_requests_total counter",
      'prometheus_http_requests_total{code="200",handler="/api/v1/query"} 120',
      'prometheus_http_requests_total{code="400",handler="/api/v1/query"} 3',
      'prometheus_http_requests_total{code="200",handler="/api/v1/query_range"} 7',
      'prometheus_http_requests_total{code="200",handler="/api/v1/query_exemplars"} 50',
      'prometheus_http_requests_total{code="200",handler="/metrics"} 40',
      'prometheus_http_requests_total{code="200",handler="/-/ready"} 9',
      'prometheus_engine_query_duration_seconds_count{slice="inner_eval"} 999',
    ].join("\n");
    expect(queryRequestsIn(exposition)).toBe(130);
    expect(queryRequestsIn("")).toBe(0);
  });

  it("gives Prometheus's CPU per request net of what it spends idle", () => {
    // 2 s of window at 0.1 idle cores: 0.2 CPU-seconds are scraping, the other 0.8 the 100 requests'.
    expect(perRequest({ queries: 2000, cpu_seconds: 1, seconds: 2 }, 100, 0.1)).toEqual({
      promql_queries_per_request: 20,
      prometheus_cpu_ms_per_request: 8,
    });
  });
});

const row = (
  clusterName: string,
  name: string,
  cpuUsage: number | null,
  memoryWorkingSet: number | null,
): WorkloadUsageRow => ({
  kind: "DEPLOYMENT",
  clusterName,
  namespaceName: "checkout",
  name,
  usage: { cpuUsage, memoryWorkingSet },
});

describe("the per-object peer's queries", () => {
  it("pin the cluster, the namespace and the workload's pods by name prefix, quoted", () => {
    const q = workloadQueries(row("prod-eu", "checkout.api", null, null), "cluster");
    const selector = 'cluster="prod-eu",namespace="checkout",pod=~"checkout\\\\.api-.*",container!=""';
    expect(q.cpuUsage).toBe(`sum(rate(container_cpu_usage_seconds_total{${selector}}[5m]))`);
    expect(q.memoryWorkingSet).toBe(`sum(container_memory_working_set_bytes{${selector}})`);
  });
});

describe("compareUsage", () => {
  const gateway = [row("a", "web", 0.5, 1000), row("b", "web", null, null)];

  it("accepts the same page within the tolerance, and says how close it was", () => {
    const c = compareUsage(gateway, [row("a", "web", 0.51, 1000), row("b", "web", null, null)], 0.05);
    expect(c).toMatchObject({ matches: true, workloads: 2, compared_values: 2, differences: [] });
    expect(c.max_relative_difference).toBeCloseTo(0.01 / 0.51, 6);
  });

  it("refuses other workloads, another order, a number out of tolerance, or a null against a number", () => {
    expect(compareUsage(gateway, [gateway[1]!, gateway[0]!], 0.05).matches).toBe(false);
    expect(compareUsage(gateway, gateway.slice(0, 1), 0.05).differences[0]).toBe(
      "2 workloads from the gateway, 1 from the peer",
    );
    const far = compareUsage(gateway, [row("a", "web", 0.6, 1000), gateway[1]!], 0.05);
    expect(far.differences).toEqual(["a/checkout/DEPLOYMENT/web cpuUsage: 0.5 against 0.6"]);
    expect(compareUsage(gateway, [row("a", "web", 0.5, null), gateway[1]!], 0.05).matches).toBe(false);
  });

  it("checks a top-by-CPU page's order and counts a page's clusters", () => {
    expect(orderedByCpu([row("a", "x", 3, 1), row("b", "y", 2, 1), row("a", "z", 2, 1)])).toBe(true);
    expect(orderedByCpu([row("a", "x", 1, 1), row("b", "y", 2, 1)])).toBe(false);
    expect(orderedByCpu([row("a", "x", 1, 1), row("b", "y", null, 1)])).toBe(false);
    expect(clustersOf(gateway)).toBe(2);
  });
});

function metricsResult(clusters: number, own: number, peer: number): BenchResult {
  const latency = { p50_ms: 20, p95_ms: 40, p99_ms: 120, rps: 40, samples: 400 };
  return {
    scenario: "metrics",
    fleet: { clusters, pods: 500, pods_total: clusters * 500 },
    fleetgraph: {
      ...latency,
      promql_queries_per_request: own,
      prometheus_cpu_ms_per_request: 2,
      cpu_cores: 0.5,
      workloads_in_page: 50,
      clusters_in_page: clusters,
      top_by_cpu: {
        ...latency,
        promql_queries_per_request: 30,
        prometheus_cpu_ms_per_request: 5,
        ordered: true,
      },
    },
    peers: {
      passthrough: { skipped: "n/a" },
      "raw-fanout": { skipped: "n/a" },
      "graphql-constant": { skipped: "n/a" },
      "per-object": {
        ...latency,
        p50_ms: 80,
        promql_queries_per_request: peer,
        prometheus_cpu_ms_per_request: 10,
        cpu_cores: 0.2,
        answer_matches_gateway: true,
        answer_compared_values: 100,
        answer_max_relative_difference: 0.004,
      },
    },
    machine: { cpus: 2, cpu_model: "Test CPU", memory_bytes: 2 ** 34, node: "v24.0.0", kernel: "6.1" },
    started_at: "2026-12-06T10:00:00.000Z",
    wall_s: 60,
    method: {
      connections: 1,
      duration_s: 10,
      peer_concurrency: 6,
      answer_tolerance: 0.05,
      prometheus: { version: "2.42.0", series: 95000, scrape_interval_s: 5, idle_cpu_cores: 0.05 },
    },
  };
}

describe("the metrics targets and table", () => {
  it("judges p99 and the query ratio at 10 clusters, and not below", () => {
    const status = (r: BenchResult) =>
      Object.fromEntries(
        checkTargets(new Map([["metrics", r]]))
          .filter((c) => c.scenario === "metrics")
          .map((c) => [c.target, [c.status, c.value]]),
      );
    const full = status(metricsResult(10, 20, 100));
    expect(full["p99 ≤ 150 ms for a page of 50 workloads with CPU and memory over 10 clusters"]).toEqual([
      "met",
      "120.0 ms",
    ]);
    expect(full["≥ 10× fewer PromQL queries per page than per-object"]).toEqual([
      "missed",
      "5.0× (20 against 100)",
    ]);
    expect(status(metricsResult(10, 2, 100))["≥ 10× fewer PromQL queries per page than per-object"]![0]).toBe(
      "met",
    );
    const small = status(metricsResult(2, 4, 20));
    expect(small["≥ 10× fewer PromQL queries per page than per-object"]![0]).toBe("not measured");
  });

  it("shows each figure beside per-object's with the ratio, and the top-10 page apart", () => {
    const page = renderReport(new Map([["metrics", metricsResult(10, 20, 100)]]), "");
    expect(page).toContain("## metrics");
    expect(page).toContain("| p50 | 20 ms | 80 ms (4.0) |");
    expect(page).toContain("| PromQL queries per page | 20.0 | 100.0 (5.0) |");
    expect(page).toContain("| Prometheus CPU per page | 2.00 ms | 10 ms (5.0) |");
    expect(page).toContain("its page equals the gateway's within 5 % (largest difference 0.40 %");
    expect(page).toContain("30.0 PromQL queries and 5.00 ms of Prometheus CPU per page; ordered by CPU");
  });
});
