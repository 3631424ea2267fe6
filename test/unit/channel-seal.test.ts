/**
 * Channel targets sealed at rest (docs/notifications.md, "Secrets at rest"): what opens, what
 * does not and why, and the channel store reading both sealed and plain documents.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/index.js";
import { channelInfo, type ChannelTarget, type StoredChannel } from "../../src/notifications/channel.js";
import { ChannelSeal, ChannelSealError, keyIdOf } from "../../src/notifications/channel-seal.js";
import { ChannelStore } from "../../src/notifications/channel-store.js";
import { ChannelCommands } from "../../src/notifications/channel-commands.js";
import { DeliveryQueue } from "../../src/notifications/delivery-queue.js";
import { NotificationServices } from "../../src/notifications/index.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { channelSecretsKeys, secretsKeysAtStart } from "../../src/server/notifications.js";
import { captureLogs } from "../support/log-capture.js";
import { alert, OPEN_CALLER, push } from "../integration/notifications/fixture.js";

const SLACK: ChannelTarget = { kind: "slack", url: "https://hooks.slack.com/services/T000/B000/sEcReTpAtH" };
const EMAIL: ChannelTarget = {
  kind: "email",
  smtp: { host: "smtp.example.com", port: 587, secure: false, username: "alerts", password: "hunter2-smtp" },
  from: "alerts@example.com",
  to: ["ops@example.com"],
};
const key = () => randomBytes(32);

function channel(id: string, target: ChannelTarget): StoredChannel {
  return {
    id,
    name: id,
    workspace: "retail",
    enabled: true,
    target,
    createdBy: "u",
    createdAt: 1,
    updatedAt: 1,
  };
}

/** Flips one bit of the base64url part at `index` of a sealed target. */
function altered(sealed: string, index: number): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[index]!, "base64url");
  bytes[0] = bytes[0]! ^ 1;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

describe("ChannelSeal", () => {
  it("opens what it sealed, with a fresh IV each time, naming the key that sealed it", () => {
    const k = key();
    const seal = new ChannelSeal({ current: k, previous: [] });
    const a = seal.seal("c1", EMAIL);
    const b = seal.seal("c1", EMAIL);
    expect(a).not.toBe(b);
    expect(a.split(".")).toHaveLength(5);
    expect(a.split(".").slice(0, 2)).toEqual(["v1", keyIdOf(k)]);
    expect(a).not.toContain("hunter2");
    expect(seal.unseal("c1", a)).toEqual(EMAIL);
    expect(seal.unseal("c1", b)).toEqual(EMAIL);
  });

  it("refuses another key, naming the options, and a gateway without any key", () => {
    const sealed = new ChannelSeal({ current: key(), previous: [] }).seal("c1", SLACK);
    expect(() => new ChannelSeal({ current: key(), previous: [] }).unseal("c1", sealed)).toThrow(
      /sealed with key .* neither notifications\.secretsKey nor one of notifications\.previousSecretsKeys/,
    );
    expect(() => new ChannelSeal({ previous: [] }).unseal("c1", sealed)).toThrow(
      /this gateway has no key: set notifications\.secretsKey/,
    );
    expect(() => new ChannelSeal({ previous: [] }).seal("c1", SLACK)).toThrow(ChannelSealError);
  });

  it("refuses an altered IV, tag or ciphertext, and a target moved to another channel", () => {
    const seal = new ChannelSeal({ current: key(), previous: [] });
    const sealed = seal.seal("c1", SLACK);
    for (const part of [2, 3, 4])
      expect(() => seal.unseal("c1", altered(sealed, part))).toThrow(/altered or belongs to another channel/);
    expect(() => seal.unseal("c2", sealed)).toThrow(ChannelSealError);
    expect(() => seal.unseal("c1", "v2.x.y.z.w")).toThrow(/not a sealed target/);
  });

  it("refuses a truncated tag, though it is the start of the right one (GCM would accept it, easier to forge)", () => {
    const seal = new ChannelSeal({ current: key(), previous: [] });
    const parts = seal.seal("c1", SLACK).split(".");
    for (const bytes of [4, 12]) {
      const short = [...parts];
      short[3] = Buffer.from(parts[3]!, "base64url").subarray(0, bytes).toString("base64url");
      expect(() => seal.unseal("c1", short.join("."))).toThrow(ChannelSealError);
    }
  });

  it("opens what an older key sealed when it is among the previous keys", () => {
    const old = key();
    const sealed = new ChannelSeal({ current: old, previous: [] }).seal("c1", SLACK);
    expect(new ChannelSeal({ current: key(), previous: [old] }).unseal("c1", sealed)).toEqual(SLACK);
  });
});

describe("ChannelStore with a key", () => {
  it("reads plain documents from before, seals every target on the next write, and keeps another key's targets as they were", async () => {
    const store = new MemoryStore();
    const legacy = [channel("a", SLACK), channel("b", EMAIL)];
    await store.set("notifications:channels", JSON.stringify(legacy));
    const k = key();
    const channels = new ChannelStore(store, new ChannelSeal({ current: k, previous: [] }));
    expect(await channels.all()).toEqual(legacy);

    await channels.edit((list) => ({ next: list, result: undefined }));
    const written = (await store.get("notifications:channels"))!;
    expect(written).not.toContain("sEcReTpAtH");
    expect(written).not.toContain("hunter2");
    expect(JSON.parse(written)).toMatchObject([
      {
        id: "a",
        kind: "slack",
        endpoint: "https://hooks.slack.com",
        sealedTarget: expect.stringMatching(/^v1\./),
      },
      { id: "b", kind: "email", endpoint: "smtp://smtp.example.com:587" },
    ]);
    expect(await channels.all()).toEqual(legacy);

    // A replica with another key: the channel is listed as unreadable, and a change to another
    // channel writes its sealed target back untouched.
    const other = new ChannelStore(store, new ChannelSeal({ current: key(), previous: [] }));
    const seen = await other.all();
    expect(seen.map(channelInfo)[0]).toMatchObject({
      id: "a",
      kind: "slack",
      endpoint: "https://hooks.slack.com",
      unreadable: expect.stringMatching(/notifications\.secretsKey/),
    });
    await other.edit((list) => ({
      next: list.map((c) => ({ ...c, name: `${c.name}!` })),
      result: undefined,
    }));
    expect((await channels.all()).map((c) => [c.name, c.target])).toEqual([
      ["a!", SLACK],
      ["b!", EMAIL],
    ]);
  });

  it("fails deliveries to a channel it cannot open with the reason, and delivers to the others", async () => {
    const store = new MemoryStore();
    const sealedElsewhere = new ChannelStore(store, new ChannelSeal({ current: key(), previous: [] }));
    await sealedElsewhere.edit(() => ({ next: [channel("lost", SLACK)], result: undefined }));
    const sent: string[] = [];
    const services = new NotificationServices({
      store,
      secretsKeys: { current: key(), previous: [] },
      workspaceOf: () => "retail",
      delivery: () => ({
        maxAttempts: 2,
        initialBackoffMs: 10,
        maxBackoffMs: 10,
        timeoutMs: 1000,
        pollIntervalMs: 20,
        retentionHours: 1,
      }),
      logger: pino({ level: "silent" }),
      send: (c) => {
        sent.push(c.id);
        return Promise.resolve();
      },
    });
    const created = await services
      .commands(OPEN_CALLER)
      .create({ workspace: "retail", kind: "webhook", name: "ok", url: "https://example.com/hook/secret" });
    expect(created.ok).toBe(true);
    services.start();
    try {
      await services.sinks.accept(push(alert("Down", { namespace: "payments" })));
      const queue = new DeliveryQueue(store, 3_600_000);
      let lost = await queue.ofChannel("lost", 1);
      for (let i = 0; i < 100 && lost[0]?.state !== "failed"; i++) {
        await new Promise((r) => setTimeout(r, 20));
        lost = await queue.ofChannel("lost", 1);
      }
      // Retried like a failed send (another replica may hold the key), failed after maxAttempts.
      expect(lost[0]).toMatchObject({
        state: "failed",
        attempts: 2,
        lastError: expect.stringMatching(/notifications\.secretsKey/),
      });
      expect(sent).toEqual([created.ok ? created.value.id : ""]);
      const listed = await services.commands(OPEN_CALLER).list("retail");
      expect(listed.map((c) => [c.name, c.unreadable !== undefined])).toEqual([
        ["lost", true],
        ["ok", false],
      ]);
    } finally {
      await services.stop();
    }
  });
});

describe("a channel renamed while another replica changes its target", () => {
  it("keeps the target as stored at the write, not the one read before it", async () => {
    const channels = new ChannelStore(new MemoryStore(), new ChannelSeal({ current: key(), previous: [] }));
    const commands = new ChannelCommands(channels, OPEN_CALLER);
    const made = await commands.create({
      workspace: "retail",
      kind: "webhook",
      name: "hook",
      url: "https://example.com/hook/old",
    });
    if (!made.ok) throw new Error("not created");
    const edit = channels.edit.bind(channels);
    let raced = false;
    // The other replica's change lands between this one's read and its write.
    channels.edit = async (change) => {
      if (!raced) {
        raced = true;
        await edit((list) => ({
          next: list.map((c) => ({
            ...c,
            target: { kind: "webhook" as const, url: "https://example.com/hook/new" },
          })),
          result: undefined,
        }));
      }
      return edit(change);
    };
    const renamed = await commands.update({ id: made.value.id, name: "renamed" });
    expect(renamed.ok).toBe(true);
    const [stored] = await channels.all();
    expect(stored).toMatchObject({ name: "renamed", target: { url: "https://example.com/hook/new" } });
  });
});

describe("the channel secrets key in the config", () => {
  const k = randomBytes(32).toString("base64");
  it("comes from secretsKey or its file, else FLEETGRAPH_NOTIFICATIONS_KEY; a bad one names its field", () => {
    const dir = mkdtempSync(join(tmpdir(), "fleetgraph-seal-"));
    try {
      const at = join(dir, "fleetgraph.yaml");
      writeFileSync(join(dir, "key"), `${k}\n`);
      writeFileSync(join(dir, "short"), "c2hvcnQ=\n");
      const fromFile = parseConfig("notifications:\n  secretsKeyFile: key\n", at).notifications!;
      expect(fromFile.secretsKey).toBe(k);
      expect(channelSecretsKeys(fromFile, {}).current).toEqual(Buffer.from(k, "base64"));
      const old = randomBytes(32).toString("base64");
      const rotated = parseConfig(
        `notifications:\n  secretsKey: ${k}\n  previousSecretsKeys: [${old}]\n`,
        at,
      );
      expect(channelSecretsKeys(rotated.notifications!, {}).previous).toEqual([Buffer.from(old, "base64")]);
      expect(() => parseConfig("notifications:\n  secretsKey: c2hvcnQ=\n", at)).toThrow(
        /notifications\.secretsKey.*base64 of 32/,
      );
      expect(() => parseConfig("notifications:\n  secretsKeyFile: short\n", at)).toThrow(
        /notifications\.secretsKeyFile.*base64 of 32/,
      );
      expect(() => parseConfig(`notifications:\n  secretsKey: ${k}\n  secretsKeyFile: key\n`, at)).toThrow(
        /not both/,
      );
      expect(channelSecretsKeys({}, { FLEETGRAPH_NOTIFICATIONS_KEY: k }).current).toEqual(
        Buffer.from(k, "base64"),
      );
      expect(channelSecretsKeys({}, {}).current).toBeUndefined();
      // Old keys without a current one would unseal every target and write it back in plain text.
      expect(() => channelSecretsKeys({ previousSecretsKeys: [k] }, {})).toThrow(
        /previousSecretsKeys needs notifications\.secretsKey/,
      );
      expect(() => channelSecretsKeys({}, { FLEETGRAPH_NOTIFICATIONS_KEY: "nope" })).toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("without a key, is warned about once at start when notifications are on, production mode included", async () => {
    const at = "/nowhere/fleetgraph.yaml";
    const plain = /secrets are stored in plain text: set notifications\.secretsKey/;
    for (const text of ["notifications: {}\n", "production: true\nnotifications: {}\n"]) {
      const logs = captureLogs();
      expect(secretsKeysAtStart(parseConfig(text, at), logs.logger, {}).current).toBeUndefined();
      await new Promise((r) => setImmediate(r));
      expect(logs.matching(plain)).toHaveLength(1);
    }
    const quiet = captureLogs();
    secretsKeysAtStart(parseConfig(`notifications:\n  secretsKey: ${k}\n`, at), quiet.logger, {});
    secretsKeysAtStart(parseConfig("notifications: {}\n", at), quiet.logger, {
      FLEETGRAPH_NOTIFICATIONS_KEY: k,
    });
    secretsKeysAtStart(parseConfig("", at), quiet.logger, {});
    await new Promise((r) => setImmediate(r));
    expect(quiet.matching(plain)).toHaveLength(0);
  });
});
