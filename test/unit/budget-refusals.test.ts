/**
 * A call the request's budget refuses (src/limits/request-budget.ts) is a per-cluster outcome
 * under the limit's own code, not retryable, in every read that calls an upstream: log store
 * searches and histograms, Prometheus series, and a pod's log from the API server. The real log
 * store and Prometheus clients are used: their request guard asks the exhausted budget first, so
 * nothing is sent (their address answers nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogStoreClient } from "../../src/backends/logstore/client.js";
import { PrometheusClient } from "../../src/backends/prometheus/client.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { QueryEngine } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import { DEFAULT_LOG_STORE } from "../../src/config/index.js";
import { KINDS } from "../../src/kinds/index.js";
import { RequestBudget, spendUpstreamCall, withinBudget } from "../../src/limits/request-budget.js";
import { LogReads } from "../../src/logs/log-reads.js";
import { MetricReads } from "../../src/metrics/metric-reads.js";
import { ClusterOutcomes, createReadServices } from "../../src/query-service/index.js";
import type { PodLogCaller } from "../../src/subscriptions/pod-logs.js";
import { FakeFleet, testGateway, type TestGateway } from "./read-service-fixtures.js";

const CLUSTERS = ["east", "west"];
/** Nothing listens here; an exhausted budget refuses before any connection is tried. */
const NOWHERE = "http://127.0.0.1:9";

const exhausted = () => new RequestBudget({ maxUpstreamCalls: 0, deadlineMs: 60_000 });

let gw: TestGateway;
const logStore = new LogStoreClient({ ...DEFAULT_LOG_STORE, url: NOWHERE, tls: {}, auth: {} } as never);
const prometheus = new PrometheusClient({
  url: NOWHERE,
  tls: { insecureSkipVerify: false },
  auth: {},
  timeoutMs: 2000,
  maxConcurrentRequests: 4,
});

beforeAll(async () => {
  gw = await testGateway();
});
afterAll(() => {
  prometheus.close();
});

function logReads(outcomes: ClusterOutcomes): LogReads {
  const fleet = new FakeFleet(CLUSTERS.map((name) => ({ name, displayName: name, labels: {} })));
  const engine = new QueryEngine(new FleetIndex(KINDS), {
    isKnown: (c) => CLUSTERS.includes(c),
    clusterLabels: () => ({}),
  });
  return new LogReads({
    services: createReadServices({ reader: engine, fleet }),
    scope: Scope.everything(),
    outcomes,
    sources: {
      forCluster: (cluster) =>
        cluster === "east"
          ? { cluster, client: logStore, indices: { ...DEFAULT_LOG_STORE.indices } }
          : undefined,
    },
    // The API server's pods/log asks the budget as the cluster connection does before each call.
    live: {
      reader: {
        read: (request) => {
          const refused = spendUpstreamCall({ backend: "API server", cluster: request.cluster });
          return refused ? Promise.reject(refused) : Promise.resolve({ text: "", truncated: false } as never);
        },
      },
      caller: () => ({}) as PodLogCaller,
    },
  });
}

const refusedAs = (outcomes: ClusterOutcomes) =>
  outcomes.list().map(({ cluster, code, retryable, source }) => ({ cluster, code, retryable, source }));

describe("a call the request's budget refuses", () => {
  it("is the cluster's TOO_MANY_UPSTREAM_CALLS outcome in a log search and a histogram, not LOG_STORE_UNAVAILABLE", async () => {
    for (const run of [
      (reads: LogReads) => reads.search({ clusters: ["east"] }, { first: 10, countTotal: false }),
      (reads: LogReads) => reads.histogram({ clusters: ["east"] }, "1m"),
    ]) {
      const outcomes = new ClusterOutcomes();
      await withinBudget(exhausted(), () => run(logReads(outcomes)));
      expect(refusedAs(outcomes)).toEqual([
        { cluster: "east", code: "TOO_MANY_UPSTREAM_CALLS", retryable: false, source: "LOG_STORE" },
      ]);
      expect(outcomes.list()[0]!.message).toMatch(/made its limit of 0 upstream calls/);
    }
  });

  it("is the cluster's outcome of a pod's API server log: an empty page, not a failed read", async () => {
    const outcomes = new ClusterOutcomes();
    const pod = { cluster: "west", namespace: "shop", name: "web-0", node: null, containers: ["app"] };
    const page = await withinBudget(exhausted(), () =>
      logReads(outcomes).podLogs(pod, {}, { first: 10, countTotal: false }, "AUTO", { previous: false }),
    );
    expect(page.entries).toEqual([]);
    expect(page.outcomes[0]!.error).toMatchObject({ code: "TOO_MANY_UPSTREAM_CALLS", retryable: false });
    expect(refusedAs(outcomes)).toEqual([
      { cluster: "west", code: "TOO_MANY_UPSTREAM_CALLS", retryable: false, source: undefined },
    ]);
  });

  it("is the cluster's TOO_MANY_UPSTREAM_CALLS outcome of a metric, not PROMETHEUS_UNAVAILABLE", async () => {
    const outcomes = new ClusterOutcomes();
    const metrics = new MetricReads({
      sources: { forCluster: (cluster) => ({ cluster, client: prometheus }) },
      reader: gw.services.reader,
      graph: gw.services.graph,
      scope: Scope.everything(),
      outcomes,
      platformAdmin: () => true,
    });
    const value = await withinBudget(exhausted(), () =>
      metrics.value({ level: "CLUSTER", cluster: "eu-1" }, "CPU_USAGE"),
    );
    expect(value).toBeNull();
    expect(refusedAs(outcomes)).toEqual([
      { cluster: "eu-1", code: "TOO_MANY_UPSTREAM_CALLS", retryable: false, source: "PROMETHEUS" },
    ]);
  });
});
