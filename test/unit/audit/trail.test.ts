import { readdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditIndexOf, type AuditRecord } from "../../../src/audit/event.js";
import { JsonLinesSink } from "../../../src/audit/sinks/json-lines-sink.js";
import { LogStoreSink } from "../../../src/audit/sinks/log-store-sink.js";
import { AuditSpool } from "../../../src/audit/spool.js";
import { AuditTrail } from "../../../src/audit/trail.js";
import { ulidTime, UlidFactory } from "../../../src/audit/ulid.js";
import { MemoryAuditStore } from "../../support/audit-store.js";
import { eventually } from "../../support/eventually.js";

let dir: string;
const logger = pino({ level: "silent" });
const login = (user: string): AuditRecord => ({
  user,
  groups: ["devs"],
  sourceIP: "10.0.0.7",
  operation: "login",
  outcome: "success",
});
const start = (store: MemoryAuditStore, extra: Partial<Parameters<typeof AuditTrail.start>[0]> = {}) =>
  AuditTrail.start({
    spoolDir: dir,
    sinks: [new LogStoreSink(store, "fleetgraph-auditing")],
    replica: "gw-0",
    batchSize: 10,
    flushIntervalMs: 20,
    maxSpoolBytes: 10 * 1024 * 1024,
    logger,
    backoff: { initialMs: 10, maxMs: 50 },
    ...extra,
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-trail-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("AuditTrail", () => {
  it("stores each recorded event once in its daily index with the event id as _id", async () => {
    const store = new MemoryAuditStore();
    const trail = await start(store);
    const events = [];
    for (let i = 0; i < 25; i++) events.push(await trail.record(login(`user-${i}`)));
    await trail.caughtUp();
    const index = store.indices.get(auditIndexOf("fleetgraph-auditing", events[0]!.time))!;
    expect([...index.keys()]).toEqual(events.map((e) => e.id));
    expect(index.get(events[0]!.id)).toMatchObject({
      "@timestamp": events[0]!.time,
      user: "user-0",
      groups: ["devs"],
      sourceIP: "10.0.0.7",
      operation: "login",
      outcome: "success",
      replica: "gw-0",
      instance: trail.instance,
    });
    // Batches, not one request per event.
    expect(store.requests).toBeLessThan(25);
    await trail.stop();
  });

  it("names the index by the event's UTC date", () => {
    expect(auditIndexOf("fleetgraph-auditing", "2026-12-31T23:59:59.999Z")).toBe(
      "fleetgraph-auditing-2026.12.31",
    );
  });

  it("keeps events while the store is down and delivers them all, once, when it returns", async () => {
    const store = new MemoryAuditStore();
    const trail = await start(store);
    store.down = true;
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await trail.record(login("alice"))).id);
    await eventually(() => trail.stats().sinks[0]!.failedAttempts > 1);
    expect(store.ids).toEqual([]);
    store.down = false;
    await trail.caughtUp();
    expect(store.ids.sort()).toEqual(ids.sort());
    await trail.stop();
  });

  it("delivers across a restart what the store did not take before it", async () => {
    const store = new MemoryAuditStore();
    store.down = true;
    const trail = await start(store);
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) ids.push((await trail.record(login("bob"))).id);
    await trail.stop(50);
    expect(store.ids).toEqual([]);

    store.down = false;
    const next = await start(store);
    ids.push((await next.record(login("bob"))).id);
    await next.caughtUp();
    expect(store.ids.sort()).toEqual(ids.sort());
    expect(store.existed).toBe(0);
    await next.stop();
  });

  it("re-ships a batch stored but never answered (a crash before the commit) without duplicates", async () => {
    const store = new MemoryAuditStore();
    const trail = await start(store);
    store.hangAfterStoring = true;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await trail.record(login("carol"))).id);
    await eventually(() => store.created === 5);
    // The answer never comes: the stop deadline cuts the delivery before its commit.
    await trail.stop(30);

    const next = await start(store);
    await next.caughtUp();
    expect(store.existed).toBe(5);
    expect(store.ids.sort()).toEqual(ids.sort());
    await next.stop();
  });

  it("sets aside documents the store refuses for good, and retries the ones it could not take yet", async () => {
    const store = new MemoryAuditStore();
    const trail = await start(store);
    const bad = await trail.record(login("dave"));
    const busy = await trail.record(login("erin"));
    store.failIds.set(bad.id, { retryable: false, reason: "mapper_parsing_exception: bad" });
    store.failIds.set(busy.id, { retryable: true, reason: "es_rejected_execution_exception" });
    setTimeout(() => store.failIds.delete(busy.id), 60);
    await trail.caughtUp();
    expect(store.ids).toEqual([busy.id]);
    const rejected = (await readFile(join(dir, "rejected-log-store.jsonl"), "utf8")).trim().split("\n");
    expect(rejected.map((l) => JSON.parse(l) as unknown)).toEqual([
      { reason: "mapper_parsing_exception: bad", event: bad },
    ]);
    expect(trail.stats().sinks[0]).toMatchObject({ rejected: 1, delivered: 1 });
    await trail.stop();
  });

  it("feeds each sink from its own position: a down store does not hold back the file", async () => {
    const store = new MemoryAuditStore();
    store.down = true;
    const file = join(dir, "out", "audit.jsonl");
    const trail = await start(store, {
      spoolDir: join(dir, "spool"),
      sinks: [new LogStoreSink(store, "fa"), new JsonLinesSink(file)],
    });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await trail.record(login("frank"))).id);
    await eventually(async () => {
      const lines = (await readFile(file, "utf8").catch(() => "")).trim().split("\n").filter(Boolean);
      expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(ids);
      return true;
    });
    expect(store.ids).toEqual([]);
    store.down = false;
    await trail.caughtUp();
    expect(store.ids.sort()).toEqual([...ids].sort());
    await trail.stop();
  });

  it("refuses records past the spool cap and keeps those it holds", async () => {
    const store = new MemoryAuditStore();
    store.down = true;
    const trail = await start(store, { maxSpoolBytes: 2000 });
    let kept = 0;
    let refusal: unknown;
    for (let i = 0; i < 50 && !refusal; i++) {
      try {
        await trail.record(login("gina"));
        kept++;
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toMatchObject({ code: "AUDIT_SPOOL_FULL", extensions: { code: "AUDIT_UNAVAILABLE" } });
    store.down = false;
    await trail.caughtUp();
    expect(store.ids).toHaveLength(kept);
    await trail.stop();
  });

  it("spools durably before record() resolves", async () => {
    const store = new MemoryAuditStore();
    store.down = true;
    const trail = await start(store);
    const event = await trail.record(login("hal"));
    const segment = readdirSync(dir).find((f) => f.startsWith("segment-"))!;
    const spool = await readFile(join(dir, segment), "utf8");
    expect(spool).toContain(event.id);
    await trail.stop(10);
    // The spool is openable by the next run (lock released).
    await (await AuditSpool.open({ dir, readers: ["log-store"], maxBytes: 1e6 })).close();
  });
});

describe("ULIDs", () => {
  it("sort in the order they were made, within one millisecond too, and carry their time", () => {
    const ids = new UlidFactory(() => 1_700_000_000_000);
    const made = Array.from({ length: 1000 }, () => ids.next());
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(1000);
    expect(ulidTime(made[0]!)).toBe(1_700_000_000_000);
    expect(made[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});
