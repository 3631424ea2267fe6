/**
 * alertChanges fed by the Alertmanager webhook, without polling: the real Alertmanagers push every
 * alert to the gateway's /alertmanager/webhook (docs/notifications.md), the gateway polls each
 * cluster only once (when the subscriber arrives; the next poll is ten minutes away), and the
 * subscriber — a real graphql-ws client — still hears KubePodCrashLooping FIRED, then RESOLVED
 * once the pod is fixed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { subscribe } from "../support/subscription-client.js";
import { startAlertsWorld, type AlertsWorld } from "./alerts-fixture.js";

interface ChangeEvent {
  alertChanges: {
    type: string;
    alert: { name: string; clusterName: string; labels: { key: string; value: string }[] };
  };
}

let world: AlertsWorld;

beforeAll(async () => {
  world = await startAlertsWorld("alerts-webhook", {
    pollIntervalMs: 600_000,
    webhookSecret: "am-push-secret-42",
  });
}, 180_000);

afterAll(async () => {
  await world?.stop();
});

describe("alertChanges through the webhook", () => {
  it("delivers FIRED then RESOLVED from Alertmanager's pushes, with no poll after the first", async () => {
    const { fixture } = world;
    const cluster = fixture.sim.clusters[0]!.name;
    const pods = await fixture.query<{ pods: { nodes: { name: string; namespaceName: string }[] } }>(
      "admin",
      `{ pods(first: 1, filter: { clusters: ["${cluster}"], phases: [RUNNING] }) { nodes { name namespaceName } } }`,
    );
    const pod = pods.data!.pods.nodes[0]!;
    const isPod = (e: { data?: ChangeEvent | null }) =>
      e.data?.alertChanges.alert.clusterName === cluster &&
      e.data.alertChanges.alert.labels.some((l) => l.key === "pod" && l.value === pod.name);
    const stream = subscribe<ChangeEvent>({
      url: `${fixture.base}/graphql`,
      query: `subscription { alertChanges(filter: { names: ["KubePodCrashLooping"] }) {
        type alert { name clusterName labels { key value } } } }`,
      token: fixture.tokens.get("admin")!,
    });
    const crashLoop = `${fixture.sim.adminUrl}/clusters/${cluster}/pods/${pod.namespaceName}/${pod.name}/crash-loop`;
    try {
      // The subscriber's arrival polls each cluster's Alertmanager once.
      const clusters = fixture.sim.clusters.length;
      await eventually(() => fixture.gateway.alerts.requests() === clusters, 10_000, 50);

      expect((await fetch(crashLoop, { method: "PUT", body: '{"intervalMs": 500}' })).status).toBe(200);
      await stream.until(
        (events) => events.some((e) => isPod(e) && e.data!.alertChanges.type === "FIRED"),
        60_000,
      );
      expect((await fetch(crashLoop, { method: "DELETE" })).status).toBe(200);
      await stream.until(
        (events) => events.some((e) => isPod(e) && e.data!.alertChanges.type === "RESOLVED"),
        60_000,
      );
      expect(stream.events.filter(isPod).map((e) => e.data!.alertChanges.type)).toEqual([
        "FIRED",
        "RESOLVED",
      ]);
      // Both came by push: no Alertmanager was asked again.
      expect(fixture.gateway.alerts.requests()).toBe(clusters);
    } finally {
      await stream.close();
    }
  }, 180_000);
});
