/**
 * The shipper never gives up while the gateway runs: a spool that fails to read (a failing disk)
 * is retried with backoff like a failing sink, and the events follow in order once it reads again.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../src/audit/event.js";
import { AuditShipper } from "../../../src/audit/shipper.js";
import { delivered, type AuditSink } from "../../../src/audit/sinks/sink.js";
import { AuditSpool } from "../../../src/audit/spool.js";
import { eventually } from "../../support/eventually.js";

let dir: string;
const event = (i: number): AuditEvent => ({
  id: `E${String(i).padStart(6, "0")}`,
  time: "2026-03-01T12:00:00.000Z",
  replica: "r1",
  instance: "i1",
  user: "alice",
  groups: [],
  operation: "login",
  outcome: "success",
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-shipper-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("AuditShipper", () => {
  it("retries a spool that fails to read, then delivers every event once, in order", async () => {
    const spool = await AuditSpool.open({ dir, readers: ["memory"], maxBytes: 1e7 });
    const received: string[] = [];
    const sink: AuditSink = {
      name: "memory",
      deliver: (events) => {
        received.push(...events.map((e) => e.id));
        return Promise.resolve(delivered());
      },
      close: () => Promise.resolve(),
    };
    let failures = 3;
    const read = spool.read.bind(spool);
    spool.read = (position, max) =>
      failures-- > 0 ? Promise.reject(new Error("EIO: i/o error, read")) : read(position, max);
    await spool.append([1, 2, 3].map(event));
    const shipper = new AuditShipper({
      spool,
      sink,
      batchSize: 10,
      flushIntervalMs: 10,
      logger: pino({ level: "silent" }),
      backoff: { initialMs: 5, maxMs: 20 },
    });
    await eventually(() => received.length === 3, 5000, 10);
    expect(received).toEqual(["E000001", "E000002", "E000003"]);
    expect(shipper.stats().failedAttempts).toBe(3);
    await spool.append([event(4)]);
    await shipper.caughtUp();
    expect(received).toEqual(["E000001", "E000002", "E000003", "E000004"]);
    await shipper.stop(1000);
    await spool.close();
  });
});
