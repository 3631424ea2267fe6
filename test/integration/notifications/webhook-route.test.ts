/**
 * The Alertmanager webhook route over real HTTP, into the real notification services: an alert
 * naming no cluster of the fleet is skipped and counted while the rest of its group is kept and
 * answered 200 (Alertmanager never sends a 4xx again); a malformed payload is still a 400; and
 * alerts of a cluster whose Namespaces are still loading are answered 503 (sent again) rather
 * than routed to the fleet's channels by a guess.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { alertmanagerWebhookRoutes } from "../../../src/http/alertmanager-webhook.js";
import { NotificationServices } from "../../../src/notifications/index.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { GatewayMetrics } from "../../../src/telemetry/gateway-metrics.js";
import { FAST_DELIVERY, nodeNotReadyPayload, OPEN_CALLER, WORKSPACES } from "./fixture.js";

const SECRET = "am-webhook-secret-0123456789";
let server: Server | undefined;
let store: MemoryStore | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await store?.close();
  server = undefined;
});

async function start(
  routable: (cluster: string) => boolean = () => true,
  secrets: { bearerToken?: string; clusterBearerTokens?: Record<string, string> } = { bearerToken: SECRET },
) {
  store = new MemoryStore();
  // Not started: what the route stored is read from the queue, no delivery attempted.
  const services = new NotificationServices({
    store,
    workspaceOf: (cluster, namespace) => WORKSPACES[`${cluster}/${namespace}`],
    delivery: () => FAST_DELIVERY,
    logger: pino({ level: "silent" }),
  });
  const made = await services
    .commands(OPEN_CALLER)
    .create({ workspace: null, kind: "webhook", name: "fleet on-call", url: "https://hooks.example.com/x" });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  const metrics = new GatewayMetrics();
  const app = express();
  app.use(
    alertmanagerWebhookRoutes({
      settings: () => ({ ...secrets, clusterLabel: "cluster", maxBodyBytes: 64 * 1024 }),
      clusters: () => ["c1", "c2"],
      routable,
      skipped: (reason) => metrics.alertsSkipped.inc({ reason }),
      sink: services.sinks,
      logger: pino({ level: "silent" }),
    }),
  );
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (body: unknown, secret = SECRET, path = "/alertmanager/webhook") =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify(body),
    });
  const stored = async () =>
    (await services.queue.ofChannel(made.value.id, 10)).map(
      (d) => `${d.alert.cluster}/${d.alert.fingerprint}`,
    );
  return { post, stored, metrics };
}

/** A push of one group: one alert per [cluster label (undefined: none), fingerprint]. */
function group(...alerts: [string | undefined, string][]) {
  const base = nodeNotReadyPayload("n1", "00");
  const [template] = base.alerts as Record<string, unknown>[];
  return {
    ...base,
    alerts: alerts.map(([cluster, fingerprint]) => ({
      ...template,
      labels: { alertname: "KubeNodeNotReady", node: "n1", ...(cluster ? { cluster } : {}) },
      fingerprint,
    })),
  };
}

describe("a push naming clusters the fleet lacks", () => {
  it("skips those alerts, counted by reason, and keeps the rest of the group (200)", async () => {
    const { post, stored, metrics } = await start();
    const answer = await post(group(["c1", "aa01"], [undefined, "aa02"], ["gone", "aa03"], ["c2", "aa04"]));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ accepted: 2, skipped: 2 });
    expect((await stored()).sort()).toEqual(["c1/aa01", "c2/aa04"]);
    const text = await metrics.registry.getSingleMetricAsString(
      "fleetgraph_alertmanager_alerts_skipped_total",
    );
    expect(text).toContain('fleetgraph_alertmanager_alerts_skipped_total{reason="no_cluster"} 1');
    expect(text).toContain('fleetgraph_alertmanager_alerts_skipped_total{reason="unknown_cluster"} 1');
  });

  it("still refuses a malformed payload (400)", async () => {
    const { post, stored } = await start();
    const answer = await post({ ...group(["c1", "aa01"]), version: "3" });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(
      /^not an Alertmanager webhook payload/,
    );
    expect(await stored()).toEqual([]);
  });
});

describe("a cluster whose Namespaces are still loading", () => {
  it("is answered 503 with Retry-After until they are loaded, then the alerts are kept", async () => {
    let loaded = false;
    const { post, stored } = await start((cluster) => cluster !== "c2" || loaded);
    const push = group(["c1", "bb01"], ["c2", "bb02"]);
    const early = await post(push);
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBe("10");
    expect(((await early.json()) as { error: string }).error).toBe(
      "the Namespaces of c2 are still loading; Alertmanager will send the alerts again",
    );
    expect(await stored()).toEqual([]);
    loaded = true;
    const later = await post(push);
    expect(later.status).toBe(200);
    expect((await stored()).sort()).toEqual(["c1/bb01", "c2/bb02"]);
  });
});

describe("per-cluster secrets", () => {
  it("are good on their own cluster's path only, beside the fleet-wide one", async () => {
    const C1 = "c1-only-secret-0123456789";
    const { post, stored } = await start(undefined, { bearerToken: SECRET, clusterBearerTokens: { c1: C1 } });
    const alerts = group([undefined, "cc01"]);
    expect((await post(alerts, C1, "/alertmanager/webhook/c2")).status).toBe(401);
    // On the bare path its alerts would name their cluster themselves: refused too.
    expect((await post(group(["c2", "cc02"]), C1)).status).toBe(401);
    expect(await stored()).toEqual([]);
    expect((await post(alerts, C1, "/alertmanager/webhook/c1")).status).toBe(200);
    expect((await post(alerts, SECRET, "/alertmanager/webhook/c2")).status).toBe(200);
    expect((await stored()).sort()).toEqual(["c1/cc01", "c2/cc01"]);
  });

  it("may be the only secrets: then no path takes a fleet-wide one", async () => {
    const C1 = "c1-only-secret-0123456789";
    const { post } = await start(undefined, { clusterBearerTokens: { c1: C1 } });
    expect((await post(group(["c1", "dd01"]), SECRET)).status).toBe(401);
    expect((await post(group(["c1", "dd01"]), C1)).status).toBe(401);
    expect((await post(group([undefined, "dd01"]), C1, "/alertmanager/webhook/c1")).status).toBe(200);
  });
});
