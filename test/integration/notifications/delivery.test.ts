/**
 * Deliveries through a real Redis to local receivers: retried past a receiver's failures with
 * each alert accepted once (same Idempotency-Key every attempt), repeated pushes not sent again,
 * a replica stopped mid-retry finished by the next one, a refusal (4xx) not retried, and
 * routing by the namespace's workspace (cluster-level alerts to the fleet's channels).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliveryId } from "../../../src/notifications/delivery-record.js";
import { eventually } from "../../support/eventually.js";
import { startHttpReceiver, type HttpReceiver } from "../../support/http-receiver.js";
import { deleteRedisKeys, uniqueRedisPrefix } from "../../support/redis.js";
import { alert, OPEN_CALLER, push, startReplica, type Replica } from "./fixture.js";

const prefixes: string[] = [];
let replicas: Replica[] = [];
let receiver: HttpReceiver;

function replica(prefix: string, delivery = {}): Replica {
  const r = startReplica(prefix, delivery);
  replicas.push(r);
  return r;
}

beforeEach(async () => {
  receiver = await startHttpReceiver();
});

afterEach(async () => {
  for (const r of replicas) await r.stop();
  replicas = [];
  await receiver.close();
});

afterAll(async () => {
  for (const p of prefixes) await deleteRedisKeys(p);
});

function prefix(): string {
  const p = uniqueRedisPrefix("notifications");
  prefixes.push(p);
  return p;
}

async function webhookChannel(r: Replica, workspace: string | null, url = receiver.url): Promise<string> {
  const made = await r.services
    .commands(OPEN_CALLER)
    .create({ workspace, kind: "webhook", name: "on-call", url });
  if (!made.ok) throw new Error(JSON.stringify(made.errors));
  return made.value.id;
}

describe("delivery to a failing receiver", () => {
  it("retries with backoff until accepted: every alert once, with one Idempotency-Key across its attempts", async () => {
    const r = replica(prefix());
    const channel = await webhookChannel(r, "retail");
    receiver.failNext(3);
    const alerts = [
      alert("KubePodCrashLooping", { namespace: "payments", pod: "api-1" }),
      alert("KubePodCrashLooping", { namespace: "shop", pod: "web-1" }),
    ];
    await r.services.sinks.accept(push(...alerts));

    const delivered = await eventually(async () => {
      const records = await r.services.queue.ofChannel(channel, 10);
      return records.length === 2 && records.every((d) => d.state === "delivered") && records;
    });
    // Three refusals spread over the two deliveries, then one acceptance each.
    expect(receiver.accepted()).toHaveLength(2);
    expect(receiver.requests).toHaveLength(5);
    expect(delivered.reduce((n, d) => n + d.attempts, 0)).toBe(5);
    const keys = receiver.accepted().map((q) => q.headers["idempotency-key"]);
    expect(new Set(keys)).toEqual(new Set(delivered.map((d) => d.id)));
    for (const d of delivered) {
      const tries = receiver.requests.filter((q) => q.headers["idempotency-key"] === d.id);
      expect(tries).toHaveLength(d.attempts);
      if (d.attempts > 1) expect(d.lastError).toMatch(/^http:\/\/127\.0\.0\.1:\d+ answered HTTP 503/);
      expect(d.deliveredAt).toBeGreaterThanOrEqual(d.createdAt);
    }
    const body = receiver.accepted()[0]!.body as {
      id: string;
      workspace: string;
      alert: { labels: Record<string, string> };
      message: { title: string };
    };
    expect(body.workspace).toBe("retail");
    expect(body.message.title).toMatch(/^\[FIRING\] KubePodCrashLooping on c1\/(payments|shop)\/pod /);
    // The receiver's path (a Slack URL's secret) is in no record.
    expect(JSON.stringify(delivered)).not.toContain("/hook");
  }, 20_000);

  it("sends nothing twice: a repeated push (Alertmanager's repeat_interval, another replica) is the same delivery; RESOLVED is a new one", async () => {
    const p = prefix();
    const one = replica(p);
    const two = replica(p);
    const channel = await webhookChannel(one, "retail");
    const firing = alert("KubeDeploymentReplicasMismatch", { namespace: "payments", deployment: "api" });
    await Promise.all([
      one.services.sinks.accept(push(firing)),
      two.services.sinks.accept(push(firing)),
      one.services.sinks.accept(push(firing)),
    ]);
    await eventually(() => receiver.accepted().length === 1);
    await two.services.sinks.accept(push(firing));
    await one.services.sinks.accept(
      push({ ...firing, status: "resolved", endsAt: "2026-12-06T09:10:00.000Z" }),
    );
    await eventually(() => receiver.accepted().length === 2);
    // Both replicas poll every 50 ms: give a duplicate every chance to appear.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.requests.map((q) => (q.body as { alert: { status: string } }).alert.status)).toEqual([
      "firing",
      "resolved",
    ]);
    const records = await one.services.queue.ofChannel(channel, 10);
    expect(records.map((d) => [d.alert.status, d.state, d.attempts])).toEqual([
      ["resolved", "delivered", 1],
      ["firing", "delivered", 1],
    ]);
  }, 20_000);

  it("a replica stopped mid-retry: the delivery waits in Redis and the next replica delivers it once", async () => {
    const p = prefix();
    const first = replica(p, { initialBackoffMs: 1500, maxBackoffMs: 1500 });
    const channel = await webhookChannel(first, "retail");
    receiver.failNext(1);
    await first.services.sinks.accept(push(alert("KubeNodeNotReady", { namespace: "payments" })));
    const failedOnce = await eventually(async () => {
      const [d] = await first.services.queue.ofChannel(channel, 1);
      return d?.attempts === 1 && d;
    });
    expect(failedOnce.state).toBe("pending");
    await first.stop();
    replicas = replicas.filter((r) => r !== first);
    expect(receiver.requests).toHaveLength(1);

    // The "restarted" gateway: a new connection and loop over the same Redis.
    const second = replica(p);
    const [done] = await eventually(async () => {
      const records = await second.services.queue.ofChannel(channel, 1);
      return records[0]?.state === "delivered" && records;
    }, 10_000);
    expect(done!.attempts).toBe(2);
    expect(receiver.accepted()).toHaveLength(1);
    expect(receiver.requests.map((q) => q.headers["idempotency-key"])).toEqual([done!.id, done!.id]);
  }, 20_000);

  it("gives up at once on a refusal that retrying cannot change (HTTP 4xx), and after maxAttempts otherwise", async () => {
    const r = replica(prefix(), { maxAttempts: 3 });
    const refusing = await webhookChannel(r, "retail");
    receiver.failNext(1, 410);
    await r.services.sinks.accept(push(alert("Refused", { namespace: "payments" })));
    const [refused] = await eventually(async () => {
      const records = await r.services.queue.ofChannel(refusing, 1);
      return records[0]?.state === "failed" && records;
    });
    expect(refused!.attempts).toBe(1);
    expect(refused!.lastError).toMatch(/answered HTTP 410/);

    const down = await startHttpReceiver();
    await down.close(); // nothing listens there any more
    const unreachable = await webhookChannel(r, "analytics", down.url);
    await r.services.sinks.accept(push(alert("Unreachable", { namespace: "search" })));
    const [exhausted] = await eventually(async () => {
      const records = await r.services.queue.ofChannel(unreachable, 1);
      return records[0]?.state === "failed" && records;
    });
    expect(exhausted!.attempts).toBe(3);
    expect(exhausted!.lastError).toMatch(/ECONNREFUSED/);
    expect(await r.services.queue.pendingIds()).toEqual([]);
  }, 20_000);
});

describe("a push interrupted after its record was written", () => {
  it("is indexed and delivered, once, when Alertmanager sends it again", async () => {
    const r = replica(prefix());
    const channel = await webhookChannel(r, "retail");
    const lost = alert("KubePodCrashLooping", { namespace: "payments", pod: "api-9" });
    const id = deliveryId(channel, lost);
    // What a replica dying between the record and the index leaves: a record nobody attempts.
    const orphan = {
      id,
      channelId: channel,
      workspace: "retail",
      alert: lost,
      state: "pending",
      attempts: 0,
      createdAt: Date.now(),
      nextAttemptAt: Date.now(),
    };
    await r.store.set(`notifications:delivery:${id}`, JSON.stringify(orphan));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.requests).toHaveLength(0);

    await r.services.sinks.accept(push(lost));
    await eventually(() => receiver.accepted().length === 1);
    const [record] = await r.services.queue.ofChannel(channel, 5);
    expect(record).toMatchObject({ id, state: "delivered", attempts: 1 });
    expect(receiver.accepted()[0]!.headers["idempotency-key"]).toBe(id);
  }, 20_000);
});

describe("routing", () => {
  it("sends a namespace's alert to its workspace's channels only, and cluster-level or unowned ones to the fleet's", async () => {
    const r = replica(prefix());
    const retail = await webhookChannel(r, "retail");
    const analytics = await webhookChannel(r, "analytics");
    const fleet = await webhookChannel(r, null);
    const disabled = await webhookChannel(r, "retail");
    const off = await r.services.commands(OPEN_CALLER).update({ id: disabled, enabled: false });
    expect(off.ok).toBe(true);
    await r.services.sinks.accept(
      push(
        alert("A", { namespace: "payments" }),
        alert("B", { namespace: "search" }),
        alert("C", {}),
        alert("D", { namespace: "kube-system" }),
      ),
    );
    await eventually(() => receiver.accepted().length === 4);
    const names = async (id: string) =>
      (await r.services.queue.ofChannel(id, 10)).map((d) => d.alert.labels.alertname).sort();
    expect(await names(retail)).toEqual(["A"]);
    expect(await names(analytics)).toEqual(["B"]);
    expect(await names(fleet)).toEqual(["C", "D"]);
    expect(await names(disabled)).toEqual([]);
  }, 20_000);
});
