/**
 * A gateway restart mid-retry loses nothing and sends nothing twice: deliveries live in Redis, so
 * the alert a gateway acknowledged to Alertmanager while the receiver was failing is delivered,
 * once, by the gateway started after it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { eventually } from "../../support/eventually.js";
import { startHttpReceiver } from "../../support/http-receiver.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../../support/redis.js";
import { startAuthGateway, type AuthGateway } from "../auth-gateway-fixture.js";
import { FAST_DELIVERY, nodeNotReadyPayload } from "./fixture.js";

const SECRET = "restart-webhook-secret";
const prefix = uniqueRedisPrefix("notifications-restart");
const started: AuthGateway[] = [];

function gateway(): Promise<AuthGateway> {
  return startAuthGateway({
    seed: "notifications-restart",
    users: ["admin"],
    redis: { url: REDIS_URL, keyPrefix: prefix },
    configFor: () =>
      Promise.resolve({
        notifications: {
          webhook: { bearerToken: SECRET, clusterLabel: "cluster", maxBodyBytes: 64 * 1024 },
          // Long enough that the first gateway is stopped before its second attempt.
          delivery: { ...FAST_DELIVERY, initialBackoffMs: 3000, maxBackoffMs: 3000 },
        },
      }),
  }).then((g) => {
    started.push(g);
    return g;
  });
}

afterAll(async () => {
  for (const g of started) await g.stop().catch(() => {});
  await deleteRedisKeys(prefix);
});

describe("a gateway restart mid-retry", () => {
  it("the next gateway delivers what the stopped one acknowledged, once", async () => {
    const receiver = await startHttpReceiver();
    try {
      const first = await gateway();
      const created = await first.query<{ notificationChannelCreate: { channel: { id: string } | null } }>(
        "admin",
        `mutation ($url: String!) { notificationChannelCreate(input: { kind: WEBHOOK, name: "fleet", url: $url }) { channel { id } } }`,
        { url: receiver.url },
      );
      const channel = created.data!.notificationChannelCreate.channel!.id;
      receiver.failNext(1);
      const pushed = await fetch(`${first.base}/alertmanager/webhook/${first.sim.clusters[0]!.name}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${SECRET}` },
        body: JSON.stringify(nodeNotReadyPayload("node-0", "1f2e3d4c5b6a7988")),
      });
      expect(pushed.status).toBe(200);
      await eventually(() => receiver.requests.length === 1);
      expect(receiver.accepted()).toHaveLength(0);
      await first.stop();

      const second = await gateway();
      await eventually(() => receiver.accepted().length === 1, 20_000);
      const records = await second.query<{
        notificationDeliveries: { id: string; state: string; attempts: number }[];
      }>(
        "admin",
        `query ($id: ID!) { notificationDeliveries(channel: $id) { id state attempts lastError } }`,
        { id: channel },
      );
      expect(records.data!.notificationDeliveries).toMatchObject([{ state: "DELIVERED", attempts: 2 }]);
      const id = records.data!.notificationDeliveries[0]!.id;
      expect(receiver.requests.map((q) => q.headers["idempotency-key"])).toEqual([id, id]);
      // The second gateway polls on: nothing more arrives.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.requests).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
