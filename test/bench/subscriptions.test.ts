/** The subscriptions scenario's pieces that need no process: the workload, the latency join, targets, report. */
import { describe, expect, it } from "vitest";
import type { ReceivedSamples } from "../../bench/load/subscribers-spec.js";
import type { ClusterRevision, SimCommit, Simulator } from "../../bench/processes/simulator.js";
import { renderReport } from "../../bench/report.js";
import type { BenchResult } from "../../bench/results.js";
import { joinLatency } from "../../bench/scenarios/subscription-latency.js";
import { SubscriptionWorkload } from "../../bench/scenarios/subscription-workload.js";
import { checkTargets } from "../../bench/targets.js";

const workload = new SubscriptionWorkload(
  new Map([
    ["c2", ["x"]],
    ["c1", ["a", "b"]],
  ]),
);

describe("SubscriptionWorkload", () => {
  it("spreads subscribers over clusters first, then over each cluster's namespaces", () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => workload.watchedBy(i))).toEqual([
      { cluster: "c1", namespace: "a" },
      { cluster: "c2", namespace: "x" },
      { cluster: "c1", namespace: "b" },
      { cluster: "c2", namespace: "x" },
      { cluster: "c1", namespace: "a" },
      { cluster: "c2", namespace: "x" },
    ]);
    expect(workload.filters(1, 3)).toEqual([
      { clusters: ["c2"], namespaces: ["x"] },
      { clusters: ["c1"], namespaces: ["b"] },
    ]);
    expect(Object.fromEntries(workload.audience(6))).toEqual({ "c1/a": 2, "c1/b": 1, "c2/x": 3 });
    expect(workload.pairs).toBe(3);
  });
});

function simWith(commits: Record<string, SimCommit[]>): Simulator {
  return {
    commits: (cluster: string, from: number, to: number) =>
      Promise.resolve((commits[cluster] ?? []).filter((c) => c.revision > from && c.revision <= to)),
  } as unknown as Simulator;
}

const at = (name: string, revision: number): ClusterRevision => ({
  name,
  revision,
  pods: 0,
  watches: 0,
  requests: {},
});

describe("joinLatency", () => {
  it("measures each event from its change's commit, only for the window's changes", async () => {
    const sim = simWith({
      c1: [
        { revision: 11, at: 1000, type: "MODIFIED", resource: "pods", namespace: "a" },
        { revision: 12, at: 1010, type: "DELETED", resource: "pods", namespace: "a" },
        { revision: 13, at: 1020, type: "ADDED", resource: "pods", namespace: "b" },
      ],
      c2: [{ revision: 5, at: 1000, type: "MODIFIED", resource: "pods", namespace: "x" }],
    });
    const received: ReceivedSamples = {
      clusters: ["c1", "c2"],
      samples: [
        [0, 11, 1004], // c1/a has two subscribers: both arrived
        [0, 11, 1008],
        [0, 13, 1021], // c1/b: one subscriber
        [0, 10, 1030], // before the window: not counted
        [1, 5, 1002], // c2/x: three subscribers, one arrived
        [1, 4, 1003], // before the window
      ],
      events: { UPDATED: 5, ADDED: 1 },
    };
    const join = await joinLatency(
      sim,
      received,
      [at("c1", 10), at("c2", 4)],
      [at("c1", 13), at("c2", 5)],
      workload.audience(6),
    );
    expect(join.samples).toBe(4);
    expect([join.p50_ms, join.max_ms]).toEqual([2, 8]);
    expect(join.pod_changes).toBe(3);
    // 2 (c1/a) + 1 (c1/b) + 3 (c2/x); deletions carry no object and count on neither side.
    expect(join.expected_events).toBe(6);
    expect(join.delivered_share).toBeCloseTo(4 / 6, 4);
    expect(join.unmatched).toBe(0);
  });
});

const MACHINE = { cpus: 2, cpu_model: "Test CPU", memory_bytes: 2 ** 34, node: "v24.0.0", kernel: "6.1" };

function subscriptionsResult(open: number, p99: number, rssPer: number, watches: number[]): BenchResult {
  const size = (n: number, w: number) => ({
    subscribers: n,
    open: Math.min(n, open),
    upstream_watches: w,
    rss_bytes_per_subscriber: rssPer,
    heap_bytes_per_subscriber: rssPer - 1000,
    churn: { p50_ms: 5, p95_ms: 20, p99_ms: p99, max_ms: p99 + 1, events_per_s: 2000, delivered_share: 1 },
  });
  return {
    scenario: "subscriptions",
    fleet: { clusters: 50, pods: 2000, pods_total: 100_000 },
    fleetgraph: {
      upstream_watches_without_subscribers: watches[0],
      baseline_rss_bytes: 300 * 2 ** 20,
      sizes: [size(1000, watches[1]!), size(10_000, watches[2]!)],
    },
    peers: {
      passthrough: {
        sizes: [
          { ...size(1000, 1000), connect_errors: {} },
          { subscribers: 10_000, failed_with: "EMFILE" },
        ],
      },
      "raw-fanout": { skipped: "n/a" },
      "graphql-constant": { skipped: "n/a" },
    },
    machine: MACHINE,
    started_at: "2026-12-10T10:00:00.000Z",
    wall_s: 1,
    method: { churn_per_s: 10, warmup_s: 2, duration_s: 20, subscription: "s", latency: "l" },
  };
}

const statusOf = (r: BenchResult): Record<string, string> =>
  Object.fromEntries(
    checkTargets(new Map([["subscriptions", r]]))
      .filter((c) => c.scenario === "subscriptions")
      .map((c) => [c.target, c.status]),
  );

describe("the subscriptions targets and table", () => {
  it("judges p99 and RSS at 10,000 subscribers, and watches against the count without any", () => {
    expect(statusOf(subscriptionsResult(10_000, 120, 15_000, [1250, 1250, 1250]))).toEqual({
      "p99 ≤ 250 ms with 10,000 subscribers under churn": "met",
      "≤ 20 KB of RSS per idle subscriber (10,000 subscribers)": "met",
      "upstream watches independent of the number of subscribers": "met",
    });
    expect(statusOf(subscriptionsResult(10_000, 400, 30_000, [1250, 1250, 1300]))).toEqual({
      "p99 ≤ 250 ms with 10,000 subscribers under churn": "missed",
      "≤ 20 KB of RSS per idle subscriber (10,000 subscribers)": "missed",
      "upstream watches independent of the number of subscribers": "missed",
    });
    // The heap the subscribers retain is the floor of their RSS, when RSS grew less (free heap filled).
    const heapy = subscriptionsResult(10_000, 120, 15_000, [1250, 1250, 1250]);
    (heapy.fleetgraph.sizes as Record<string, unknown>[])[1]!.heap_bytes_per_subscriber = 30_000;
    expect(statusOf(heapy)["≤ 20 KB of RSS per idle subscriber (10,000 subscribers)"]).toBe("missed");
    // Fewer than 10,000 open: those two are not judged.
    const short = statusOf(subscriptionsResult(9000, 120, 15_000, [1250, 1250, 1250]));
    expect(short["p99 ≤ 250 ms with 10,000 subscribers under churn"]).toBe("not measured");
  });

  it("shows the gateway and the pass-through side by side, a failed size as failed", () => {
    const page = renderReport(
      new Map([["subscriptions", subscriptionsResult(10_000, 120, 15_000, [1250, 1250, 1250])]]),
      "",
    );
    expect(page).toContain("## subscriptions");
    expect(page).toContain(
      "| figure | fleetgraph, 1,000 | passthrough, 1,000 | fleetgraph, 10,000 | passthrough, 10,000 |",
    );
    expect(page).toMatch(/\| watches open on the API servers \| 1,250 \| 1,000 \| 1,250 \| failed \|/);
    expect(page).toMatch(/\| latency p99 \| 120 ms \| 120 ms \| 120 ms \| failed \|/);
    expect(page).toContain("It failed at 10,000: EMFILE.");
  });
});
