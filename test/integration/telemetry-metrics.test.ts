/**
 * GET /metrics of a gateway over a simulated fleet, scraped during a query load and a cluster
 * outage: operations counted by name, type and outcome, the failed cluster's backend errors, its
 * sync state changing and its watches reconnecting once it is back.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimFleet } from "../../sim/fleet.js";
import type { SimCluster } from "../../sim/cluster.js";
import type { Gateway } from "../../src/server/gateway.js";
import { eventually } from "../support/eventually.js";
import { Exposition } from "../support/exposition.js";
import { simKind } from "./gateway-fixture.js";
import { baseUrl, fleetConfig, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

let sim: SimFleet;
let gateway: Gateway;
let victim: SimCluster;

beforeAll(async () => {
  sim = await startSimFleet("telemetry-metrics");
  victim = sim.clusters[1]!;
  gateway = await startTestGateway(fleetConfig(sim));
  await gateway.fleetCache.whenSynced(10_000);
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await sim?.stop();
});

const CACHED_PODS = `query TelemetryPods { pods(first: 5) { totalCount } }`;
const STRONG_PODS = `query StrongPods { pods(first: 5, consistency: STRONG) { totalCount } }`;
const scrape = () => Exposition.scrape(baseUrl(gateway));
const syncState = (m: Exposition, cluster: string) =>
  m.samples.find(
    (s) => s.name === "fleetgraph_cluster_sync_state" && s.labels.cluster === cluster && s.value === 1,
  )?.labels.state;

describe("GET /metrics", () => {
  it("answers in the Prometheus text format without a token, with the process metrics", async () => {
    const response = await fetch(`${baseUrl(gateway)}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    // Prometheus' own parser reads it, and its linter finds nothing in the gateway's families
    // (prom-client's nodejs_active_*_total gauges it does complain of are not ours to rename).
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(check.error).toBeUndefined();
    const complaints = `${check.stdout}${check.stderr}`.split("\n").filter((l) => l.trim() !== "");
    expect(complaints.filter((l) => !/^nodejs_active_\w+_total non-counter/.test(l))).toEqual([]);
    const metrics = new Exposition(text);
    expect(metrics.has("process_cpu_seconds_total")).toBe(true);
    expect(metrics.has("nodejs_eventloop_lag_seconds")).toBe(true);
    for (const cluster of sim.clusters) expect(syncState(metrics, cluster.name)).toBe("synced");
    expect(metrics.value("fleetgraph_cache_objects", { cluster: victim.name, kind: "Pod" })).toBe(
      victim.store.count(simKind("Pod")),
    );
  });

  it("counts operations by name, type and outcome, and times them", async () => {
    const before = await scrape();
    const labels = { operation: "TelemetryPods", type: "query", outcome: "ok" };
    await Promise.all(Array.from({ length: 12 }, () => graphql(gateway.url, CACHED_PODS)));
    await graphql(gateway.url, "{ __typename }");
    await graphql(
      gateway.url,
      `
        query Broken {
          nope
        }
      `,
    );
    const after = await scrape();
    expect(
      after.value("fleetgraph_graphql_requests_total", labels) -
        before.value("fleetgraph_graphql_requests_total", labels),
    ).toBe(12);
    expect(
      after.value("fleetgraph_graphql_request_duration_seconds_count", {
        operation: "TelemetryPods",
        type: "query",
      }) -
        before.value("fleetgraph_graphql_request_duration_seconds_count", {
          operation: "TelemetryPods",
          type: "query",
        }),
    ).toBe(12);
    expect(
      after.value("fleetgraph_graphql_requests_total", {
        operation: "anonymous",
        type: "query",
        outcome: "ok",
      }),
    ).toBeGreaterThan(0);
    // Refused at validation: no operation was resolved, and nothing came back.
    expect(
      after.value("fleetgraph_graphql_requests_total", {
        operation: "Broken",
        type: "unknown",
        outcome: "errors",
      }),
    ).toBe(1);
    // STRONG reads call every API server.
    const calls = (m: Exposition) =>
      m.value("fleetgraph_backend_request_duration_seconds_count", {
        backend: "api-server",
        cluster: victim.name,
      });
    const strong = await scrape();
    await graphql(gateway.url, STRONG_PODS);
    expect(calls(await scrape())).toBeGreaterThan(calls(strong));
  });

  it("shows a cluster outage: partial answers, backend errors, sync state, and reconnects once it is back", async () => {
    const before = await scrape();
    const errors = (m: Exposition) =>
      m.value("fleetgraph_backend_request_errors_total", { backend: "api-server", cluster: victim.name });
    const reconnects = (m: Exposition) =>
      m.value("fleetgraph_cache_watch_reconnects_total", { cluster: victim.name });
    const partial = { operation: "StrongPods", type: "query", outcome: "partial" };
    await victim.goDown();
    try {
      const answer = await graphql(gateway.url, STRONG_PODS);
      expect(answer.errors?.some((e) => e.extensions?.cluster === victim.name)).toBe(true);
      const during = await eventually(async () => {
        const m = await scrape();
        return ["stale", "unreachable"].includes(syncState(m, victim.name) ?? "") ? m : false;
      });
      expect(
        during.value("fleetgraph_graphql_requests_total", partial) -
          before.value("fleetgraph_graphql_requests_total", partial),
      ).toBe(1);
      expect(errors(during)).toBeGreaterThan(errors(before));
      expect(
        during.value("fleetgraph_backend_request_errors_total", {
          backend: "api-server",
          cluster: victim.name,
          code: "CLUSTER_UNAVAILABLE",
        }),
      ).toBeGreaterThan(0);
      // The clusters that stayed up had no errors.
      for (const other of sim.clusters.filter((c) => c !== victim)) {
        expect(during.value("fleetgraph_backend_request_errors_total", { cluster: other.name })).toBe(0);
        expect(syncState(during, other.name)).toBe("synced");
      }
    } finally {
      await victim.comeBack();
    }
    const back = await eventually(async () => {
      const m = await scrape();
      return syncState(m, victim.name) === "synced" && reconnects(m) > reconnects(before) ? m : false;
    }, 15_000);
    expect(reconnects(back)).toBeGreaterThan(reconnects(before));
  }, 30_000);

  it("counts relists by cause when a watch's history expired", async () => {
    const relists = (m: Exposition) =>
      m.value("fleetgraph_cache_relists_total", { cluster: victim.name, cause: "expired" });
    const before = await scrape();
    victim.expireHistory();
    victim.dropWatches();
    await eventually(async () => relists(await scrape()) > relists(before), 15_000);
  }, 20_000);

  it("is not served when telemetry.metrics is false", async () => {
    const quiet = await startTestGateway({ ...fleetConfig(sim), telemetry: { metrics: false } });
    try {
      expect((await fetch(`${baseUrl(quiet)}/metrics`)).status).toBe(404);
    } finally {
      await quiet.stop();
    }
  });
});
