/**
 * CI smoke run of the benchmark harness: every scenario once at a seconds-long size (2 clusters x
 * 50 pods, 1 s of load per target), through the same command a person runs. It asserts only that
 * each ran and wrote well-formed figures — never a timing: CI machines are too noisy for that.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KINDS, RBAC_KINDS } from "../../src/kinds/index.js";

const ROOT = join(import.meta.dirname, "../..");
const SMALL = ["--clusters", "2", "--pods", "50", "--duration", "1", "--warmup", "0.3"];
let dir: string;

beforeAll(async () => {
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, encoding: "utf8" });
  expect(build.status, build.stderr + build.stdout).toBe(0);
  dir = await mkdtemp(join(tmpdir(), "fleetgraph-bench-smoke-"));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

function bench(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_ENV;
    const child = spawn(process.execPath, ["dist/bench/main.js", ...args], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

async function run(scenario: string, extra: string[] = SMALL): Promise<Json> {
  const out = join(dir, `${scenario}.json`);
  const { code, stderr } = await bench([scenario, ...extra, "--out", out]);
  expect(code, stderr).toBe(0);
  return JSON.parse(await readFile(out, "utf8")) as Json;
}

function expectPositive(figures: unknown, keys: string[]): void {
  for (const key of keys) {
    const value = (figures as Json)[key];
    expect(typeof value, `${key} in ${JSON.stringify(figures)}`).toBe("number");
    expect(value as number, key).toBeGreaterThan(0);
  }
}

function expectCommon(result: Json, scenario: string): void {
  expect(result.scenario).toBe(scenario);
  expect(result.fleet).toMatchObject({ clusters: 2, pods: 50 });
  expectPositive(result.fleet, ["pods_total"]);
  expectPositive(result.machine, ["cpus", "memory_bytes"]);
  expect(Object.keys(result.peers as Json).sort()).toEqual(["graphql-constant", "passthrough", "raw-fanout"]);
}

const LATENCY = ["p50_ms", "p95_ms", "p99_ms", "rps", "samples"];

describe("npm run bench at smoke size", () => {
  it("pods-query --no-auth: the same build without authentication, recorded as such", async () => {
    const out = join(dir, "pods-query.no-auth.json");
    const { code, stderr } = await bench(["pods-query", ...SMALL, "--no-auth", "--out", out]);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(await readFile(out, "utf8")) as Json;
    expect(result.authentication).toBe("off");
    expectPositive(result.fleetgraph, LATENCY);
  });

  for (const scenario of ["pods-query", "node-lookup", "dashboard", "throughput"]) {
    it(`${scenario}: the gateway and all three peers measured, same answers`, async () => {
      const result = await run(scenario);
      expectCommon(result, scenario);
      // Measured as deployed: every request authenticated.
      expect(result.authentication).toBe("on");
      expectPositive(result.fleetgraph, [
        ...LATENCY,
        "heap_bytes",
        "rss_bytes",
        "cached_objects",
        "passthrough_p50_ratio",
      ]);
      const peers = result.peers as Record<string, Json>;
      expectPositive(peers.passthrough, [...LATENCY, "heap_bytes", "rss_bytes"]);
      expectPositive(peers["graphql-constant"], [...LATENCY, "heap_bytes", "rss_bytes"]);
      expectPositive(peers["raw-fanout"], [...LATENCY, "heap_bytes", "rss_bytes"]);
      // Like is compared with like: the pass-through peer gives the gateway's answer (ids aside).
      expect(peers.passthrough!.answer_matches_gateway).toBe(true);
      if (scenario === "throughput") {
        // The gateway and the constant server alternate; the reported share is the median round's.
        const rounds = (result.fleetgraph as Json).constant_rps_share_rounds as number[];
        expect(rounds).toHaveLength(5);
        for (const share of rounds) expect(share).toBeGreaterThan(0);
        expect(rounds).toContain((result.fleetgraph as Json).constant_rps_share);
      }
    }, 120_000);
  }

  it("scale: sync time, readiness against the sync, heap per pod and pods-query latency, with its targets", async () => {
    const result = await run("scale", [
      "--clusters",
      "2",
      "--pods-per-cluster",
      "50",
      "--duration",
      "1",
      "--warmup",
      "0.3",
    ]);
    expectCommon(result, "scale");
    const figures = result.fleetgraph as Json;
    expectPositive(figures, [
      "sync_ms",
      "ready_ms",
      "heap_bytes",
      "rss_bytes",
      "cached_objects",
      "p50_ms",
      "p99_ms",
    ]);
    expect(typeof figures.heap_bytes_per_pod).toBe("number");
    expect(figures.clusters_synced).toBe(2);
    expect(figures.ready_counted).toEqual({ synced: 2, pending: 0, gave_up: 0 });
    expect(figures.ready_before_synced).toBe(false);
    expect(typeof figures.ready_after_sync_ms).toBe("number");
    expect(figures.ready_after_sync_ms as number).toBeGreaterThanOrEqual(0);
    expect(figures).toMatchObject({ clusters_ever_unreachable: 0, unreachable: [], clusters_gave_up: 0 });
    expectPositive(figures.pods_query, ["p50_ms", "p99_ms", "rps", "samples"]);
    expect((figures.pods_query as Json).errors).toBe(0);
    const targets = figures.targets as Record<string, boolean>;
    expect(Object.keys(targets).sort()).toEqual([
      "heap_per_pod_within",
      "none_unreachable",
      "pods_query_p99_within",
      "readyz_not_before_synced",
    ]);
    expect(targets.none_unreachable).toBe(true);
    expect(targets.readyz_not_before_synced).toBe(true);
  }, 180_000);

  it("sync: sync time and heap per pod for each fleet size, raw-fanout's list beside them", async () => {
    const result = await run("sync", ["--clusters", "1,2", "--pods", "50"]);
    expectCommon(result, "sync");
    const figures = result.fleetgraph as Json;
    expectPositive(figures, [
      "sync_ms",
      "ready_ms",
      "heap_bytes",
      "rss_bytes",
      "heap_bytes_per_pod",
      "cached_objects",
    ]);
    const sizes = figures.sizes as Json[];
    expect(sizes.map((s) => s.clusters)).toEqual([1, 2]);
    for (const size of sizes) expectPositive(size, ["pods", "objects", "sync_ms", "heap_bytes"]);
    expect(typeof figures.heap_bytes_per_pod_marginal).toBe("number");
    const peers = result.peers as Record<string, Json>;
    expectPositive(peers["raw-fanout"], ["sync_ms", "pods"]);
    expect(typeof peers.passthrough!.skipped).toBe("string");

    // Heap per cached object by kind, at the largest size: every cached kind, with its object count.
    const byKind = figures.heap_by_kind as Json;
    expect(byKind).toMatchObject({ pools_warm: true, gc_forced: true, runs: 3 });
    expect(byKind.further_clusters).toBe(1);
    expectPositive(byKind, [
      "objects",
      "heap_bytes",
      "heap_bytes_per_object",
      "fleet_entries_heap_bytes_estimate",
    ]);
    const kinds = byKind.kinds as Json[];
    expect(kinds.map((k) => k.kind)).toEqual([...KINDS, ...RBAC_KINDS].map((k) => k.kind));
    for (const k of kinds) {
      expect(Number.isInteger(k.objects) && Number.isInteger(k.fleet_objects), JSON.stringify(k)).toBe(true);
      expect(k.fleet_objects as number, String(k.kind)).toBeGreaterThanOrEqual(k.objects as number);
      // A two-cluster fleet: every kind is weighed on the second cluster, the first having filled the pools.
      expect(k.clusters, String(k.kind)).toBe(1);
      expect(typeof k.heap_bytes).toBe("number");
      // Per object only where there are objects.
      expect(k.heap_bytes_per_object === null, String(k.kind)).toBe(k.objects === 0);
      expect(typeof k.fleet_heap_bytes_estimate).toBe("number");
      expect(k.heap_bytes_per_object_runs).toHaveLength(3);
      expect(k.heap_bytes_per_object_runs as unknown[]).toContain(k.heap_bytes_per_object);
    }
    const pods = kinds.find((k) => k.kind === "Pod")!;
    expect(pods.fleet_objects).toBe((result.fleet as Json).pods_total);
    expectPositive(pods, ["objects", "heap_bytes_per_object", "first_cluster_heap_bytes_per_object"]);
    // The one-item counts add up to what the gateway cached, and the entries are part of its heap.
    const counted = kinds.reduce((n, k) => n + (k.fleet_objects as number), 0);
    expect(counted).toBe(byKind.fleet_objects);
    expect(counted).toBe(figures.cached_objects);
    expect(byKind.gateway_cached_objects).toBe(figures.cached_objects);
    expect(byKind.fleet_entries_heap_bytes_estimate as number).toBeLessThan(
      byKind.gateway_heap_bytes_grown as number,
    );
  }, 90_000);

  it("churn: events ingested per step until the last rate or falling behind", async () => {
    const result = await run("churn", [...SMALL, "--rates", "20,40"]);
    expectCommon(result, "churn");
    const figures = result.fleetgraph as Json;
    expectPositive(figures, ["events_per_s", "heap_bytes", "rss_bytes"]);
    expect(["gateway", "simulator", "every step kept up"]).toContain(figures.limited_by);
    const steps = figures.steps as Json[];
    expect(steps.length).toBeGreaterThanOrEqual(1);
    for (const step of steps) {
      expectPositive(step, ["churn_per_s", "simulator_revisions_per_s", "events_per_s"]);
      expect(typeof step.behind).toBe("boolean");
      expect(typeof step.lag_median_s).toBe("number");
    }
  }, 90_000);

  it("churn-query: pods-query latency under churn, the asked and answered rates, every event applied", async () => {
    const result = await run("churn-query", [...SMALL, "--churn", "20", "--query-rate", "20"]);
    expectCommon(result, "churn-query");
    const figures = result.fleetgraph as Json;
    expectPositive(figures, [...LATENCY, "events_per_s", "simulator_revisions_per_s", "at_rest_p50_ms"]);
    expect(figures).toMatchObject({ asked_rps: 20, churn_per_s: 20, every_event_applied: true });
    expect(figures.gateway_pods).toBe(figures.simulator_pods);
    expect(figures.lag_revisions_after_catch_up).toBe(0);
    expect(Number.isInteger(figures.relists)).toBe(true);
    expect(Number.isInteger(figures.answers_with_errors)).toBe(true);
  }, 90_000);

  it("subscriptions: latency, RSS per subscriber and upstream watches, beside the pass-through", async () => {
    const result = await run("subscriptions", [
      ...["--clusters", "2", "--pods", "50", "--duration", "2", "--warmup", "0.3"],
      ...["--subscribers", "10,30", "--churn", "20"],
    ]);
    expectCommon(result, "subscriptions");
    expect(result.authentication).toBe("on");
    const figures = result.fleetgraph as Json;
    const sizes = figures.sizes as Json[];
    expect(sizes.map((s) => [s.subscribers, s.open, s.held])).toEqual([
      [10, 10, 10],
      [30, 30, 30],
    ]);
    // The gateway's watches are its caches': as many with 30 subscribers as with none.
    expectPositive(figures, ["upstream_watches_without_subscribers", "p99_ms", "baseline_rss_bytes"]);
    for (const size of sizes) {
      expect(size.upstream_watches).toBe(figures.upstream_watches_without_subscribers);
      expect(typeof size.rss_bytes_per_subscriber).toBe("number");
      expectPositive(size.churn, ["samples", "p50_ms", "p99_ms", "expected_events", "delivered_share"]);
    }
    // The pass-through opens a watch per subscription: its count follows the subscribers.
    const peer = (result.peers as Record<string, Json>).passthrough!;
    const peerSizes = peer.sizes as Json[];
    expect(peerSizes.map((s) => s.open)).toEqual([10, 30]);
    for (const size of peerSizes) {
      expect(size.upstream_watches as number).toBeGreaterThanOrEqual(size.open as number);
      expectPositive(size.churn, ["samples", "p99_ms"]);
    }
    expect(typeof (result.peers as Record<string, Json>)["raw-fanout"]!.skipped).toBe("string");
  }, 120_000);

  it("metrics: the gateway and per-object over a real Prometheus, the same page, queries counted there", async () => {
    // 100 pods per cluster: every workload of the page has running pods, so numbers are compared.
    // No history beyond the first rates: the recorded run waits out rate()'s 5-minute window.
    const result = await run("metrics", [
      ...["--clusters", "2", "--pods", "100", "--duration", "1", "--warmup", "0.3"],
      ...["--history", "0"],
    ]);
    expect(result.scenario).toBe("metrics");
    expect(result.fleet).toMatchObject({ clusters: 2, pods: 100 });
    expect(result.authentication).toBe("on");
    const figures = result.fleetgraph as Json;
    expectPositive(figures, [...LATENCY, "promql_queries_per_request", "prometheus_queries", "heap_bytes"]);
    expect(figures.clusters_in_page).toBe(2);
    const workloads = figures.workloads_in_page as number;
    expect(workloads).toBeGreaterThan(0);
    // One query per cluster and series (CPU, memory), whatever the page's size. A page cut off at
    // the window's end has sent its queries without being counted as answered: one at most.
    const samples = figures.samples as number;
    expect(figures.prometheus_queries as number).toBeLessThanOrEqual(2 * 2 * (samples + 1));
    const top = figures.top_by_cpu as Json;
    expectPositive(top, [...LATENCY, "promql_queries_per_request"]);
    expect(top.ordered).toBe(true);

    const peers = result.peers as Record<string, Json>;
    const peer = peers["per-object"]!;
    expectPositive(peer, [...LATENCY, "promql_queries_per_request", "prometheus_queries"]);
    // Its loop ends on whole pages: exactly one query per workload and metric.
    expect(peer.promql_queries_per_request).toBe(2 * workloads);
    expect(peer.answer_matches_gateway).toBe(true);
    expect(peer.answer_compared_values as number).toBeGreaterThan(0);
    for (const name of ["passthrough", "raw-fanout", "graphql-constant"])
      expect(typeof peers[name]!.skipped).toBe("string");
    expect((result.method as Json).prometheus).toMatchObject({ scrape_interval_s: 5, history_s: 0 });
  }, 120_000);

  it("logs: a 5,000-namespace keyword search through the gateway beside the same search sent to the store", async () => {
    const result = await run("logs", [
      "--clusters",
      "2",
      "--pods",
      "20",
      "--duration",
      "1",
      "--warmup",
      "0.3",
    ]);
    expect(result.scenario).toBe("logs");
    expect(result.authentication).toBe("on");
    const figures = result.fleetgraph as Json;
    expectPositive(figures, [...LATENCY, "rps", "documents"]);
    // One store shared by both clusters: one search per page, however many namespaces.
    expect(figures.store_requests_per_request).toBe(1);
    expect(figures.permitted_namespaces).toBe(5000);
    // Two of the 20 lines of each permitted namespace mention the keyword.
    expect(figures.total_count).toBe(5000 * 2);
    expect(figures.entries_in_page).toBe(50);
    expect(result.notes).toBeUndefined();
    const peers = result.peers as Record<string, Json>;
    expectPositive(peers["direct-store"], [...LATENCY, "rps"]);
    for (const name of ["passthrough", "raw-fanout", "graphql-constant"])
      expect(typeof peers[name]!.skipped).toBe("string");
  }, 120_000);

  it("entity-objects: Backstage's own Kubernetes backend beside the gateway, the same objects, API-server requests counted", async () => {
    // Installs the peer's packages from the npm registry on first use (bench/peers/backstage).
    const result = await run("entity-objects");
    expect(result.scenario).toBe("entity-objects");
    expect(result.fleet).toMatchObject({ clusters: 2, pods: 50 });
    expect(result.authentication).toBe("on");
    const method = result.method as Json;
    expect(method.object_types).toHaveLength(13);
    expectPositive(method, ["objects"]);
    const lock = JSON.parse(
      await readFile(join(ROOT, "bench/peers/backstage/package-lock.json"), "utf8"),
    ) as {
      packages: Record<string, { version: string }>;
    };
    expect((method.backstage as Json).version).toBe(
      lock.packages["node_modules/@backstage/plugin-kubernetes-backend"]!.version,
    );
    const figures = result.fleetgraph as Json;
    expectPositive(figures, [
      ...LATENCY,
      "heap_bytes",
      "rss_bytes",
      "cached_objects",
      "http_requests_per_answer",
    ]);
    expect(figures.objects).toBe(method.objects);
    // Answers come from the caches: a rare watch renewal may land in the window, never a list per answer.
    expect(figures.api_requests_per_answer as number).toBeLessThan(1);
    const peers = result.peers as Record<string, Json>;
    const backstage = peers.backstage!;
    expectPositive(backstage, [...LATENCY, "heap_bytes", "rss_bytes", "cpu_ms_per_answer"]);
    expect(backstage.answer_matches_gateway).toBe(true);
    // Backstage lists each of its 13 object types on each cluster, for every answer.
    expect(backstage.api_requests_per_answer).toBe(13 * 2);
    expect(backstage.api_requests_by_verb_per_answer).toEqual({ list: 13 * 2 });
    for (const name of ["passthrough", "raw-fanout", "graphql-constant"])
      expect(typeof peers[name]!.skipped).toBe("string");
  }, 240_000);

  it("federation: the same query through the router and straight to the gateway, and one crossing both subgraphs", async () => {
    const result = await run("federation");
    expect(result.scenario).toBe("federation");
    expect(result.fleet).toMatchObject({ clusters: 2, pods: 50 });
    expect(result.authentication).toBe("on");
    const figures = result.fleetgraph as Json;
    expectPositive(figures, LATENCY);
    expectPositive(figures.crossing, LATENCY);
    expect(typeof figures.overhead_p50_ms).toBe("number");
    expect(figures.answer_matches_direct).toBe(true);
    expect(result.notes).toBeUndefined();
    const peers = result.peers as Record<string, Json>;
    expectPositive(peers["direct-gateway"], LATENCY);
    for (const name of ["passthrough", "raw-fanout", "graphql-constant"])
      expect(typeof peers[name]!.skipped).toBe("string");
  }, 120_000);

  it("soak: readers, a writer, subscribers, churn and one injected fault; heap and handles before and after", async () => {
    const result = await run("soak", ["--clusters", "2", "--pods", "20", "--duration", "3", "--warmup", "1"]);
    expect(result.scenario).toBe("soak");
    const figures = result.fleetgraph as Json;
    expectPositive(figures, [
      "requests",
      "faults_injected",
      "subscribers_connected",
      "heap_after_warmup_bytes",
    ]);
    expect(figures.errors_unexpected, JSON.stringify(figures.unexpected_samples)).toBe(0);
    expectPositive(figures.handles_before, ["TCPServerWrap"]);
    expect(typeof figures.heap_growth_pct).toBe("number");
    expect(figures.subscription_sockets_after).toBe(0);
  }, 180_000);

  it("refuses an unknown scenario with usage and exit code 2", async () => {
    const { code, stderr } = await bench(["no-such-scenario"]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown scenario "no-such-scenario"');
  });
});
