/**
 * A delivery is sent once even when an attempt runs long: the whole send (lookup, connection,
 * every SMTP command) has one deadline well inside the claim, so a slow SMTP server whose each
 * reply comes within any per-command timeout is cut off rather than finishing after another
 * replica took the delivery over; and an attempt whose claim lapsed cannot overwrite the record
 * another replica settled.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DeliveryQueue } from "../../../src/notifications/delivery-queue.js";
import { RedisStore } from "../../../src/store/redis-store.js";
import { eventually } from "../../support/eventually.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../../support/redis.js";
import { alert, OPEN_CALLER, push, startReplica, type Replica } from "./fixture.js";

const prefixes: string[] = [];
let replicas: Replica[] = [];
let smtp: SMTPServer | undefined;

afterEach(async () => {
  for (const r of replicas) await r.stop();
  replicas = [];
  if (smtp) await new Promise<void>((resolve) => smtp!.close(() => resolve()));
  smtp = undefined;
});

afterAll(async () => {
  for (const p of prefixes) await deleteRedisKeys(p);
});

function prefix(): string {
  const p = uniqueRedisPrefix("notification-deadline");
  prefixes.push(p);
  return p;
}

/** An SMTP server whose first session answers each command after `stallMs`; later ones at once. */
async function stallingSmtp(
  stallMs: number,
): Promise<{ port: number; mails: string[]; sessions: () => number }> {
  const mails: string[] = [];
  let sessions = 0;
  const slow = new Set<string>();
  const pace = (id: string, callback: () => void) =>
    slow.has(id) ? setTimeout(callback, stallMs) : callback();
  smtp = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    onConnect(session, callback) {
      if (sessions++ === 0) slow.add(session.id);
      pace(session.id, () => callback());
    },
    onMailFrom(_address, session, callback) {
      pace(session.id, () => callback());
    },
    onRcptTo(_address, session, callback) {
      pace(session.id, () => callback());
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () =>
        pace(session.id, () => {
          mails.push(Buffer.concat(chunks).toString("utf8"));
          callback();
        }),
      );
    },
  });
  await new Promise<void>((resolve) => smtp!.listen(0, "127.0.0.1", resolve));
  return { port: (smtp.server.address() as AddressInfo).port, mails, sessions: () => sessions };
}

describe("one deadline per send", () => {
  it("cuts off a send whose SMTP server answers every step slowly, so it is never sent twice", async () => {
    // Each step answers in 300 ms (within any per-command timeout), five steps: 1.5 s in all.
    const server = await stallingSmtp(300);
    const p = prefix();
    const delivery = { timeoutMs: 700 };
    const a = startReplica(p, delivery);
    const b = startReplica(p, delivery);
    replicas.push(a, b);
    const made = await a.services.commands(OPEN_CALLER).create({
      workspace: "retail",
      kind: "email",
      name: "on-call",
      email: {
        from: "fleetgraph@example.com",
        to: ["oncall@example.com"],
        smtpHost: "127.0.0.1",
        smtpPort: server.port,
      },
    });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    await a.services.sinks.accept(
      push(alert("KubePodCrashLooping", { namespace: "payments", pod: "api-1" })),
    );

    const [record] = await eventually(async () => {
      const records = await a.services.queue.ofChannel(made.value.id, 10);
      return records[0]?.state === "delivered" && records;
    }, 15_000);
    expect(record!.attempts).toBe(2);
    expect(record!.lastError).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+: no answer within 700 ms$/);
    // Wait past when the stalled session would have finished had it not been cut off.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(server.sessions()).toBe(2);
    expect(server.mails).toHaveLength(1);
    expect(server.mails[0]).toContain(`Message-ID: <${record!.id}@fleetgraph.notifications>`);
  }, 30_000);
});

describe("settling an attempt", () => {
  it("leaves the record as another replica wrote it once this attempt's claim lapsed", async () => {
    const store = new RedisStore({ url: REDIS_URL, keyPrefix: prefix() });
    try {
      const queue = new DeliveryQueue(store, 60_000);
      const [id] = await queue.enqueue([
        { channelId: "ch", workspace: "retail", alert: alert("KubeNodeNotReady", { node: "n1" }) },
      ]);
      const slow = await queue.claim(id!, "slow", Date.now() + 20);
      expect(slow).toBeDefined();
      // A live claim keeps the delivery from every other replica.
      expect(await queue.claim(id!, "other", Date.now() + 60_000)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 40));
      const taker = await queue.claim(id!, "taker", Date.now() + 60_000);
      expect(taker).toBeDefined();
      const delivered = {
        ...taker!.record,
        state: "delivered" as const,
        attempts: 1,
        deliveredAt: Date.now(),
      };
      expect(await queue.settle(taker!, delivered)).toBe(true);

      const retry = { ...slow!.record, attempts: 1, lastError: "late", nextAttemptAt: Date.now() };
      expect(await queue.settle(slow!, retry)).toBe(false);
      const kept = await queue.get(id!);
      expect(kept?.state).toBe("delivered");
      expect(kept?.lastError).toBeUndefined();
      expect(kept?.claim).toBeUndefined();
      expect(await queue.pendingIds()).not.toContain(id);
    } finally {
      await store.close();
    }
  });
});
