/**
 * Each kind of channel against a local receiver: a Slack-shaped incoming webhook gets {text,
 * blocks}; e-mail goes through a local SMTP server (smtp-server) with its credentials, one
 * message per alert with the delivery's id as Message-ID, a refused login not retried. Channel
 * answers never carry a URL's path or an SMTP password.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { callerAccess } from "../../../auth/access/caller-access.js";
import { MemoryAuditRecorder, requestAudit } from "../../../src/audit/recorder.js";
import { eventually } from "../../support/eventually.js";
import { startHttpReceiver, type HttpReceiver } from "../../support/http-receiver.js";
import { deleteRedisKeys, uniqueRedisPrefix } from "../../support/redis.js";
import { pino } from "pino";
import { NotificationServices } from "../../../src/notifications/index.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { alert, FAST_DELIVERY, OPEN_CALLER, push, startReplica, type Replica } from "./fixture.js";

const prefix = uniqueRedisPrefix("notification-channels");
let r: Replica;

interface Mail {
  from: string | undefined;
  to: string[];
  user: string | undefined;
  raw: string;
}
const mails: Mail[] = [];
let smtp: SMTPServer;
let smtpPort: number;

beforeAll(async () => {
  r = startReplica(prefix);
  smtp = new SMTPServer({
    // Plain SMTP on loopback for the test; credentials still checked.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: true,
    onAuth(auth, _session, callback) {
      if (auth.username === "alerts" && auth.password === "s3cret-pass")
        callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((a) => a.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

let slack: HttpReceiver | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

afterAll(async () => {
  await r.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await deleteRedisKeys(prefix);
});

describe("a Slack-compatible incoming webhook", () => {
  it("gets {text, blocks} naming the alert, where it fires and its summary; its URL path is never shown", async () => {
    slack = await startHttpReceiver("/services/T000/B000/XXXXSECRETXXXX");
    const made = await r.services
      .commands(OPEN_CALLER)
      .create({ workspace: "retail", kind: "slack", name: "#retail-alerts", url: slack.url });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    expect(made.value.endpoint).toBe(new URL(slack.url).origin);
    expect(JSON.stringify(made.value)).not.toContain("XXXXSECRETXXXX");
    expect(JSON.stringify(await r.services.commands(OPEN_CALLER).list("retail"))).not.toContain("SECRET");

    await r.services.sinks.accept(
      push(
        alert(
          "KubePodCrashLooping",
          { namespace: "payments", pod: "api-7" },
          { generatorURL: "http://prom:9090/graph?g0.expr=x" },
        ),
      ),
    );
    const [request] = await eventually(() => slack!.accepted().length === 1 && slack!.accepted());
    expect(request!.path).toBe("/services/T000/B000/XXXXSECRETXXXX");
    expect(request!.headers["content-type"]).toBe("application/json");
    const body = request!.body as {
      text: string;
      blocks: { type: string; text: { type: string; text: string } }[];
    };
    expect(body.text).toBe(
      "[FIRING] KubePodCrashLooping on c1/payments/pod api-7: KubePodCrashLooping is firing",
    );
    expect(body.blocks.map((b) => [b.type, b.text.type])).toEqual([
      ["header", "plain_text"],
      ["section", "mrkdwn"],
    ]);
    expect(body.blocks[1]!.text.text).toContain("*Where:* c1/payments/pod api-7");
    expect(body.blocks[1]!.text.text).toContain("<http://prom:9090/graph?g0.expr=x|Source>");
  }, 20_000);
});

describe("e-mail through SMTP", () => {
  it("sends one message per alert, authenticated, with the delivery's id as Message-ID; the password is never shown", async () => {
    const made = await r.services.commands(OPEN_CALLER).create({
      workspace: "analytics",
      kind: "email",
      name: "analytics on-call",
      email: {
        from: "fleetgraph@example.com",
        to: ["oncall@example.com", "lead@example.com"],
        smtpHost: "127.0.0.1",
        smtpPort,
        username: "alerts",
        password: "s3cret-pass",
      },
    });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    expect(made.value.email).toEqual({
      from: "fleetgraph@example.com",
      to: ["oncall@example.com", "lead@example.com"],
      smtpHost: "127.0.0.1",
      smtpPort,
      username: "alerts",
    });
    expect(JSON.stringify(made.value)).not.toContain("s3cret-pass");

    await r.services.sinks.accept(push(alert("KubeJobFailed", { namespace: "search", job: "reindex" })));
    const [mail] = await eventually(() => mails.length === 1 && mails);
    expect(mail!.user).toBe("alerts");
    expect(mail!.from).toBe("fleetgraph@example.com");
    expect(mail!.to).toEqual(["oncall@example.com", "lead@example.com"]);
    expect(mail!.raw).toMatch(/^Subject: \[FIRING\] KubeJobFailed on c1\/search\/job reindex$/m);
    const [record] = await r.services.queue.ofChannel(made.value.id, 1);
    expect(record!.state).toBe("delivered");
    expect(mail!.raw).toMatch(new RegExp(`^Message-ID: <${record!.id}@fleetgraph\\.notifications>$`, "m"));
    expect(mail!.raw).toContain("KubeJobFailed is firing");

    // A wrong password is refused by the server (535): not retried, recorded without the password.
    const update = await r.services.commands(OPEN_CALLER).update({
      id: made.value.id,
      email: {
        from: "fleetgraph@example.com",
        to: ["oncall@example.com"],
        smtpHost: "127.0.0.1",
        smtpPort,
        username: "alerts",
        password: "wrong",
      },
    });
    expect(update.ok).toBe(true);
    await r.services.sinks.accept(push(alert("KubeJobFailed", { namespace: "search", job: "compact" })));
    const [refused] = await eventually(async () => {
      const [latest] = await r.services.queue.ofChannel(made.value.id, 1);
      return latest?.state === "failed" && [latest];
    });
    expect(refused.attempts).toBe(1);
    expect(refused.lastError).toBe(`smtp://127.0.0.1:${smtpPort} answered 535`);
    expect(mails).toHaveLength(1);
  }, 20_000);
});

describe("channel input", () => {
  it("refuses URLs that are not http(s), carry credentials or point at a metadata address, and half-given SMTP logins", async () => {
    const create = (url: string) =>
      r.services.commands(OPEN_CALLER).create({ workspace: "retail", kind: "webhook", name: "x", url });
    const messages = async (url: string) => {
      const made = await create(url);
      return made.ok ? [] : made.errors.map((e) => `${e.code} ${e.field.join(".")}: ${e.message}`);
    };
    expect(await messages("ftp://example.com/x")).toEqual([
      "BAD_USER_INPUT input.url: url must be an http:// or https:// URL",
    ]);
    expect(await messages("https://user:pw@example.com/x")).toEqual([
      "BAD_USER_INPUT input.url: url must not carry credentials (user:password@): they would be shown wherever the URL is",
    ]);
    expect(await messages("http://169.254.169.254/latest/meta-data")).toEqual([
      "BAD_USER_INPUT input.url: url 169.254.169.254 is a link-local or metadata address: the gateway does not send there",
    ]);
    expect(await messages("http://metadata.google.internal/computeMetadata/v1")).toEqual([
      "BAD_USER_INPUT input.url: url metadata.google.internal is a cloud metadata service: the gateway does not send there",
    ]);
    expect(await messages("http://[fe80::1]/x")).toHaveLength(1);
    const email = await r.services.commands(OPEN_CALLER).create({
      workspace: "retail",
      kind: "email",
      name: "x",
      email: {
        from: "a@example.com",
        to: ["b@example.com"],
        smtpHost: "127.0.0.1",
        smtpPort: 25,
        username: "only-user",
      },
    });
    expect(email.ok ? [] : email.errors.map((e) => e.field.join("."))).toEqual(["input.email.password"]);
  });
});

describe("audit", () => {
  it("records every channel change, done or refused, with who made it", async () => {
    const recorder = new MemoryAuditRecorder();
    const alice = { user: "alice", groups: [], source: "oidc" as const };
    const bindings = [{ role: "workspace-admin", workspace: "retail", users: ["alice"], groups: [] }];
    const unused = () => {
      throw new Error("not asked: channel authority is decided by the built-in roles");
    };
    const caller = {
      subject: alice,
      access: callerAccess({ can: unused, clusterAllows: unused }, () => bindings, alice),
      audit: requestAudit(recorder, { user: "alice", groups: [] }),
    };
    const commands = r.services.commands(caller);
    const made = await commands.create({
      workspace: "retail",
      kind: "webhook",
      name: "audited",
      url: "https://hooks.example/a",
    });
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    await commands.create({
      workspace: "analytics",
      kind: "webhook",
      name: "theirs",
      url: "https://hooks.example/b",
    });
    await commands.update({ id: made.value.id, name: "renamed" });
    await commands.delete(made.value.id);
    expect(recorder.events.map((e) => [e.operation, e.outcome, e.user, e.resource])).toEqual([
      ["notificationChannel.create", "success", "alice", `notificationChannel/${made.value.id}`],
      ["notificationChannel.create", "denied", "alice", "notificationChannel/theirs"],
      ["notificationChannel.update", "success", "alice", `notificationChannel/${made.value.id}`],
      ["notificationChannel.delete", "success", "alice", `notificationChannel/${made.value.id}`],
    ]);
    expect(JSON.stringify(recorder.events)).not.toContain("hooks.example/a");
  });
});

describe("a store that cannot answer", () => {
  it("makes a channel change an UNAVAILABLE user error to retry, not an internal error", async () => {
    const store = new MemoryStore();
    await store.close();
    const services = new NotificationServices({
      store,
      workspaceOf: () => undefined,
      delivery: () => FAST_DELIVERY,
      logger: pino({ level: "silent" }),
    });
    const made = await services
      .commands(OPEN_CALLER)
      .create({ workspace: "retail", kind: "webhook", name: "x", url: "https://hooks.example/x" });
    expect(made).toEqual({
      ok: false,
      errors: [{ field: [], code: "UNAVAILABLE", message: "shared store unavailable during get: try again" }],
    });
  });
});
