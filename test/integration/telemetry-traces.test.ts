/**
 * Traces and request ids over a simulated fleet of three clusters: a STRONG list (read from
 * every API server at request time) is one operation span with one API-server child span per
 * cluster; the request's id is echoed, set on the span, and sent to each cluster as Audit-ID,
 * which the simulator (like a real API server) keeps as its audit event's auditID.
 */
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SimFleet } from "../../sim/fleet.js";
import type { Gateway } from "../../src/server/gateway.js";
import { eventually } from "../support/eventually.js";
import { fleetConfig, startSimFleet, startTestGateway } from "./server-fixture.js";

let sim: SimFleet;
let gateway: Gateway;
const spans = new InMemorySpanExporter();

beforeAll(async () => {
  sim = await startSimFleet("telemetry-traces");
  gateway = await startTestGateway(fleetConfig(sim), { telemetry: { spanExporter: spans } });
  await gateway.fleetCache.whenSynced(10_000);
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await sim?.stop();
});

beforeEach(() => spans.reset());

// One namespace: one list per cluster (with every namespace, a STRONG read lists the cluster's
// namespaces first, then one list per namespace; see src/live-read/list-streams.ts).
const STRONG_PODS = `query FleetPods {
  pods(first: 5, consistency: STRONG, filter: { namespaces: ["default"] }) { totalCount }
}`;

async function post(query: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
  });
}

const childrenOf = (parent: ReadableSpan) =>
  spans
    .getFinishedSpans()
    .filter(
      (s) =>
        s.parentSpanContext?.spanId === parent.spanContext().spanId &&
        s.spanContext().traceId === parent.spanContext().traceId,
    );

describe("traces", () => {
  it("a cross-cluster query is one operation span with one API-server span per cluster", async () => {
    const response = await post(STRONG_PODS);
    expect(response.status).toBe(200);
    const operation = await eventually(() =>
      spans.getFinishedSpans().find((s) => s.name === "query FleetPods"),
    );
    expect(operation.kind).toBe(SpanKind.SERVER);
    expect(operation.attributes).toMatchObject({
      "graphql.operation.name": "FleetPods",
      "graphql.operation.type": "query",
      "fleetgraph.outcome": "ok",
      "fleetgraph.request_id": response.headers.get("x-request-id"),
    });
    const calls = childrenOf(operation);
    expect(calls).toHaveLength(sim.clusters.length);
    expect(calls.every((s) => s.kind === SpanKind.CLIENT)).toBe(true);
    const clusters = calls.map((s) => s.attributes["k8s.cluster.name"]).sort();
    expect(clusters).toEqual(sim.clusters.map((c) => c.name).sort());
    for (const call of calls) {
      expect(call.attributes).toMatchObject({
        "fleetgraph.backend": "api-server",
        "http.request.method": "GET",
        "http.route": "list pods",
        "http.response.status_code": 200,
      });
    }
  });

  it("a cached query makes no backend call", async () => {
    await post(`query CachedPods { pods(first: 5) { totalCount } }`);
    const operation = await eventually(() =>
      spans.getFinishedSpans().find((s) => s.name === "query CachedPods"),
    );
    expect(childrenOf(operation)).toEqual([]);
  });

  it("the caches' own calls, made under no operation, make no spans", async () => {
    const cluster = sim.clusters[0]!.name;
    const resumes = () => gateway.fleetCache.status(cluster)!.kinds.Pod!.watchResumes;
    const before = resumes();
    sim.clusters[0]!.dropWatches();
    await eventually(() => resumes() > before);
    expect(spans.getFinishedSpans()).toEqual([]);
  });
});

describe("request ids", () => {
  beforeEach(() => {
    for (const cluster of sim.clusters) {
      cluster.auditLog.enabled = true;
      cluster.auditLog.drain();
    }
  });

  it("echoes a sane X-Request-Id and sends it to every cluster called as Audit-ID", async () => {
    const id = "telemetry-test-7f3a";
    const response = await post(STRONG_PODS, { "x-request-id": id });
    expect(response.headers.get("x-request-id")).toBe(id);
    for (const cluster of sim.clusters) {
      // Audit events are recorded when the API server's response finishes.
      const events = await eventually(() => {
        const mine = cluster.auditLog.drain().filter((e) => e.auditID === id);
        return mine.length > 0 ? mine : false;
      });
      expect(events.map((e) => [e.verb, e.objectRef?.resource, e.objectRef?.namespace])).toEqual([
        ["list", "pods", "default"],
      ]);
      expect(events[0]!.responseStatus.code).toBe(200);
    }
  });

  it("makes one when none is sent or the one sent is not sane", async () => {
    const sent: Record<string, string>[] = [{}, { "x-request-id": "bad id with spaces" }];
    for (const headers of sent) {
      const response = await post(STRONG_PODS, headers);
      const id = response.headers.get("x-request-id")!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      for (const cluster of sim.clusters)
        await eventually(() => cluster.auditLog.drain().some((e) => e.auditID === id));
    }
  });

  it("is on every answer, /healthz included, and distinct per request", async () => {
    const [a, b] = await Promise.all(
      [0, 1].map(() => fetch(`${gateway.url.replace(/\/graphql$/, "")}/healthz`)),
    );
    expect(a!.headers.get("x-request-id")).toBeTruthy();
    expect(a!.headers.get("x-request-id")).not.toBe(b!.headers.get("x-request-id"));
  });

  it("is not sent by the caches' own watches and lists", async () => {
    const victim = sim.clusters[0]!;
    victim.dropWatches();
    await eventually(() => victim.auditLog.drain().some((e) => e.verb === "watch"));
    // Watches reopened by the reflectors carry the simulator's own ids, not a request's.
    for (const e of victim.auditLog.drain()) expect(e.auditID).toMatch(/^[0-9a-f-]{36}$/);
  });
});
