/** The targets check and the report page, from hand-made results (no processes started). */
import { describe, expect, it } from "vitest";
import { formatFigure, renderReport } from "../../bench/report.js";
import type { BenchResult } from "../../bench/results.js";
import { sameAnswer } from "../../bench/scenarios/query-scenario.js";
import { percentile, summarize } from "../../bench/stats.js";
import { checkTargets } from "../../bench/targets.js";

const MACHINE = { cpus: 2, cpu_model: "Test CPU", memory_bytes: 2 ** 34, node: "v24.0.0", kernel: "6.1" };

function result(
  scenario: string,
  clusters: number,
  fleetgraph: Record<string, unknown>,
  peers = {},
): BenchResult {
  return {
    scenario,
    fleet: { clusters, pods: 2000, pods_total: clusters * 2000 },
    fleetgraph,
    peers: {
      passthrough: { skipped: "n/a" },
      "raw-fanout": { skipped: "n/a" },
      "graphql-constant": { skipped: "n/a" },
      ...peers,
    },
    machine: MACHINE,
    started_at: "2026-11-26T10:00:00.000Z",
    wall_s: 1,
    method: { connections: 1, duration_s: 10 },
  };
}

describe("checkTargets", () => {
  it("marks each target met, missed, or not measured below the stated fleet size", () => {
    const results = new Map([
      [
        "pods-query",
        result(
          "pods-query",
          50,
          { p50_ms: 2, p99_ms: 30 },
          { passthrough: { p50_ms: 100, answer_matches_gateway: true } },
        ),
      ],
      ["sync", result("sync", 5, { heap_bytes_per_pod: 1000, sync_ms: 500 })],
      ["throughput", result("throughput", 50, { rps: 600 }, { "graphql-constant": { rps: 1000 } })],
    ]);
    const checks = checkTargets(results);
    const status = Object.fromEntries(checks.map((c) => [c.target, c.status]));
    expect(status["p99 ≤ 25 ms at 50 × 2,000 pods"]).toBe("missed");
    expect(status["p50 ≥ 20× faster than passthrough"]).toBe("met");
    // Measured on 5 clusters only: the 100k-pod targets are not judged.
    expect(status["≤ 1.5 KB of heap per cached pod"]).toBe("not measured");
    expect(status["100k pods synced in ≤ 10 s"]).toBe("not measured");
    expect(status["≥ 50% of graphql-constant's requests per second"]).toBe("met");
    expect(status["≥ 5,000 watch events per second without falling behind"]).toBe("not measured");
    expect(checks.find((c) => c.target.startsWith("p50"))!.value).toBe("50×");
  });
});

describe("renderReport", () => {
  it("describes the machine, lists the targets and shows each figure with its peers and ratio", () => {
    const page = renderReport(
      new Map([
        [
          "pods-query",
          result(
            "pods-query",
            50,
            { p50_ms: 2, p99_ms: 4, rps: 500, samples: 5000 },
            {
              passthrough: { p50_ms: 200, p99_ms: 400, rps: 5, samples: 50, answer_matches_gateway: true },
              "graphql-constant": { p50_ms: 1, p99_ms: 2, rps: 1000, samples: 10000 },
            },
          ),
        ],
      ]),
      "## Notes\n\nhand-written",
    );
    expect(page).toContain("2 × Test CPU");
    expect(page).toContain("| pods-query | p99 ≤ 25 ms at 50 × 2,000 pods | 4.00 ms | met |");
    expect(page).toContain("| p50_ms | 2.00 ms | 200 ms (100) | — | 1.00 ms (0.50) |");
    expect(page).toContain("| rps | 500 | 5.0 (100) | — | 1000 (0.50) |");
    expect(page).toContain("passthrough's answer equals the gateway's");
    expect(page.trim().endsWith("hand-written")).toBe(true);
  });

  it("shows the sync scenario's heap per cached object by kind beside the gateway's overall heap", () => {
    const kinds = [
      {
        kind: "Pod",
        objects: 8000,
        fleet_objects: 100000,
        clusters: 4,
        heap_bytes_per_object: 535,
        heap_bytes_per_object_runs: [535, 536, 534],
        first_cluster_heap_bytes_per_object: 600,
      },
      {
        kind: "StorageClass",
        objects: 0,
        fleet_objects: 0,
        heap_bytes_per_object: null,
        first_cluster_heap_bytes_per_object: null,
      },
    ].map((k) => ({ ...k, fleet_heap_bytes_estimate: k.fleet_objects * (k.heap_bytes_per_object ?? 0) }));
    const page = renderReport(
      new Map([
        [
          "sync",
          result("sync", 50, {
            heap_bytes_per_pod: 1300,
            sync_ms: 9000,
            sizes: [],
            heap_by_kind: {
              further_clusters: 49,
              first_cluster: "a",
              pools_warm: true,
              objects: 8000,
              heap_bytes_per_object: 535,
              fleet_objects: 100000,
              fleet_entries_heap_bytes_estimate: 53_500_000,
              gateway_heap_bytes_grown: 107_000_000,
              gateway_cached_objects: 100000,
              gateway_heap_bytes_per_object: 1070,
              runs: 3,
              kinds,
            },
          }),
        ],
      ]),
      "",
    );
    expect(page).toContain("| Pod | 100000 | 8000 (4) | 535 B | 535 / 536 / 534 | 51.0 MiB | 100.0 % |");
    expect(page).toContain("| StorageClass | 0 | 0 (—) | — | — | 0.0 MiB | 0.0 % |");
    expect(page).toContain("a alone, with empty pools, took 600 B per pod");
    expect(page).toContain(
      "of the 102.0 MiB the gateway's heap grew by over its baseline (50.0 %; 535 B against 1070 B",
    );
    expect(page).toContain("| all kinds | 100000 | 8000 | 535 B |");
    expect(page).toContain("the median of 3 runs");
  });

  it("shows the logs scenario beside the store searched directly, with the gateway's overhead", () => {
    const logs = result(
      "logs",
      50,
      {
        p50_ms: 30,
        p95_ms: 40,
        p99_ms: 50,
        mean_ms: 32,
        rps: 30,
        store_requests_per_request: 1,
        total_count: 10000,
        documents: 110000,
      },
      { "direct-store": { p50_ms: 25, p95_ms: 33, p99_ms: 44, mean_ms: 27, rps: 36 } },
    );
    logs.method = { scope: "a reader of 5000 namespaces", data: "seeded", duration_s: 10 };
    const page = renderReport(new Map([["logs", logs]]), "");
    expect(page).toContain("## logs");
    expect(page).toContain("| p50 | 30 ms | 25 ms | 5.00 ms |");
    expect(page).toContain("| p99 | 50 ms | 44 ms | 6.00 ms |");
    expect(page).toContain("| requests/s | 30.0 | 36.0 | — |");
    expect(page).toContain("Store requests per search: 1.00");
    expect(page).toContain("10000 matches among 110000 documents");
  });

  it("shows the federation scenario: through the router, the gateway directly, the router's overhead", () => {
    const federation = result(
      "federation",
      10,
      {
        p50_ms: 6,
        p95_ms: 9,
        p99_ms: 12,
        mean_ms: 7,
        rps: 150,
        answer_matches_direct: true,
        crossing: { p50_ms: 14, p95_ms: 20, p99_ms: 25, mean_ms: 15, rps: 60 },
      },
      { "direct-gateway": { p50_ms: 2, p95_ms: 3, p99_ms: 5, mean_ms: 2.5, rps: 400 } },
    );
    federation.method = { duration_s: 10 };
    const page = renderReport(new Map([["federation", federation]]), "");
    expect(page).toContain("## federation");
    expect(page).toContain("| p50 | 6.00 ms | 2.00 ms | 4.00 ms | 14 ms |");
    expect(page).toContain("| requests/s | 150.0 | 400.0 | — | 60.0 |");
    expect(page).toContain("the answers are equal");
  });

  it("formats figures by their unit suffix", () => {
    expect(formatFigure("heap_bytes", 3 * 1024 ** 2)).toBe("3.0 MiB");
    expect(formatFigure("rss_bytes", 1.5 * 1024 ** 3)).toBe("1.50 GiB");
    expect(formatFigure("p99_ms", 123.4)).toBe("123 ms");
    expect(formatFigure("p99_ms", null)).toBe("—");
  });
});

describe("stats and answers", () => {
  it("takes nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(summarize([3, 1, 2])).toMatchObject({ samples: 3, p50_ms: 2, max_ms: 3, mean_ms: 2 });
  });

  it("compares answers with ids left out, and nothing else", () => {
    expect(sameAnswer({ pods: [{ id: "a", name: "x" }] }, { pods: [{ id: "b", name: "x" }] })).toBe(true);
    expect(sameAnswer({ pods: [{ id: "a", name: "x" }] }, { pods: [{ id: "a", name: "y" }] })).toBe(false);
  });
});

describe("the churn-query target", () => {
  const target = "pods-query p99 ≤ 50 ms at 10 × 1,000 pods, 200 changes/s, every event applied";
  const check = (figures: Record<string, unknown>, clusters = 10) =>
    checkTargets(new Map([["churn-query", result("churn-query", clusters, figures)]])).find(
      (c) => c.target === target,
    )!;

  it("is met only when the p99 is within 50 ms and every event was applied", () => {
    expect(check({ p99_ms: 40, every_event_applied: true }).status).toBe("met");
    expect(check({ p99_ms: 60, every_event_applied: true }).status).toBe("missed");
    const missedEvents = check({ p99_ms: 40, every_event_applied: false });
    expect(missedEvents.status).toBe("missed");
    expect(missedEvents.value).toBe("40.0 ms (events missed)");
  });

  it("is not judged below the stated fleet", () => {
    expect(check({ p99_ms: 40, every_event_applied: true }, 2).status).toBe("not measured");
  });

  it("has its own table in the report", () => {
    const page = renderReport(
      new Map([
        [
          "churn-query",
          result("churn-query", 10, {
            churn_per_s: 200,
            events_per_s: 10600,
            p50_ms: 4,
            p99_ms: 40,
            max_ms: 90,
            at_rest_p50_ms: 2,
            asked_rps: 150,
            rps: 149.5,
            answers_with_errors: 3,
            relists: 0,
            every_event_applied: true,
            cpu_cores: 0.8,
          }),
        ],
      ]),
      "",
    );
    expect(page).toContain("## churn-query");
    expect(page).toMatch(
      /\| 200 \| 10600 \| 4\.00 ms \| 40 ms \| 90 ms \| 2\.00 ms \| 150 \/ 150 \| 3 \| 0 \| yes \| 0\.80 \|/,
    );
  });
});
