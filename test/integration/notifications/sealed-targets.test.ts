/**
 * Channel targets sealed at rest in the real Redis (docs/notifications.md, "Secrets at rest"):
 * the stored document holds no URL path or SMTP password, deliveries still reach the receiver,
 * and a replica with another key lists the channel as unreadable without failing the others.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../support/eventually.js";
import { startHttpReceiver, type HttpReceiver } from "../../support/http-receiver.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../../support/redis.js";
import { alert, OPEN_CALLER, push, startReplica, type Replica } from "./fixture.js";

const prefix = uniqueRedisPrefix("notifications-sealed");
const key = randomBytes(32);
let receiver: HttpReceiver;
const replicas: Replica[] = [];

beforeAll(async () => {
  receiver = await startHttpReceiver("/hook/T0001/B0001/xoxb-sealed-path");
});

afterAll(async () => {
  for (const r of replicas) await r.stop();
  await receiver.close();
  await deleteRedisKeys(prefix);
});

function replica(current: Buffer): Replica {
  const r = startReplica(prefix, {}, { current, previous: [] });
  replicas.push(r);
  return r;
}

describe("channel targets with notifications.secretsKey set", () => {
  it("are stored sealed in Redis, delivered all the same, and unreadable to a replica with another key", async () => {
    const r = replica(key);
    const commands = r.services.commands(OPEN_CALLER);
    const hook = await commands.create({
      workspace: "retail",
      kind: "webhook",
      name: "hook",
      url: receiver.url,
    });
    const mail = await commands.create({
      workspace: "retail",
      kind: "email",
      name: "mail",
      email: {
        from: "alerts@example.com",
        to: ["ops@example.com"],
        smtpHost: "smtp.example.com",
        smtpPort: 587,
        username: "alerts",
        password: "s3cret-smtp-pass",
      },
    });
    if (!hook.ok || !mail.ok) throw new Error("channels not created");

    const redis = new Redis(REDIS_URL);
    const stored = await redis.get(`${prefix}notifications:channels`).finally(() => redis.quit());
    expect(stored).toBeTruthy();
    expect(stored).not.toContain("xoxb-sealed-path");
    expect(stored).not.toContain("/hook/");
    expect(stored).not.toContain("s3cret-smtp-pass");
    expect(stored).not.toContain("alerts@example.com");
    const documents = JSON.parse(stored!) as { sealedTarget?: string; target?: unknown }[];
    expect(documents.map((d) => [d.target, /^v1\./.test(d.sealedTarget ?? "")])).toEqual([
      [undefined, true],
      [undefined, true],
    ]);

    await r.services.sinks.accept(push(alert("KubePodCrashLooping", { namespace: "payments" })));
    await eventually(
      async () => (await r.services.queue.ofChannel(hook.value.id, 1))[0]?.state === "delivered",
    );
    expect(receiver.accepted().map((q) => q.path)).toEqual(["/hook/T0001/B0001/xoxb-sealed-path"]);

    const other = replica(randomBytes(32));
    const listed = await other.services.commands(OPEN_CALLER).list("retail");
    expect(
      listed.map((c) => [c.name, c.endpoint, /notifications\.secretsKey/.test(c.unreadable ?? "")]),
    ).toEqual([
      ["hook", new URL(receiver.url).origin, true],
      ["mail", "smtp://smtp.example.com:587", true],
    ]);
  });
});
