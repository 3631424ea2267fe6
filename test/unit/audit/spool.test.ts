import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditError } from "../../../src/audit/errors.js";
import type { AuditEvent } from "../../../src/audit/event.js";
import { AuditSpool } from "../../../src/audit/spool.js";
import { segmentPath } from "../../../src/audit/spool-files.js";

let dir: string;
let n = 0;
const event = (extra: Partial<AuditEvent> = {}): AuditEvent => ({
  id: `E${String(++n).padStart(6, "0")}`,
  time: "2026-03-01T12:00:00.000Z",
  replica: "r1",
  instance: "i1",
  user: "alice",
  groups: ["devs"],
  operation: "login",
  outcome: "success",
  ...extra,
});
const open = (options: Partial<Parameters<typeof AuditSpool.open>[0]> = {}) =>
  AuditSpool.open({ dir, readers: ["store"], maxBytes: 10 * 1024 * 1024, ...options });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-spool-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("AuditSpool", () => {
  it("keeps appended events in order across a close and reopen, and reads them in batches", async () => {
    const spool = await open();
    const events = Array.from({ length: 25 }, () => event());
    // Concurrent appends are group-committed; their order is the order of the calls.
    await Promise.all(events.map((e) => spool.append([e])));
    await spool.close();

    const again = await open();
    const first = await again.read(again.position("store"), 10);
    expect(first.events.map((e) => e.id)).toEqual(events.slice(0, 10).map((e) => e.id));
    const second = await again.read(first.end, 100);
    expect(second.events.map((e) => e.id)).toEqual(events.slice(10).map((e) => e.id));
    expect((await again.read(second.end, 100)).events).toEqual([]);
    await again.close();
  });

  it("resumes each reader from its committed position after a restart", async () => {
    const spool = await AuditSpool.open({ dir, readers: ["store", "file"], maxBytes: 1e7 });
    const events = Array.from({ length: 6 }, () => event());
    await spool.append(events);
    const batch = await spool.read(spool.position("store"), 4);
    await spool.commit("store", batch.end);
    await spool.close();

    const again = await AuditSpool.open({ dir, readers: ["store", "file"], maxBytes: 1e7 });
    const store = await again.read(again.position("store"), 100);
    const file = await again.read(again.position("file"), 100);
    expect(store.events.map((e) => e.id)).toEqual(events.slice(4).map((e) => e.id));
    expect(file.events.map((e) => e.id)).toEqual(events.map((e) => e.id));
    await again.close();
  });

  it("cuts a torn last line left by a crash without losing the events before it", async () => {
    const spool = await open();
    const events = [event(), event(), event()];
    await spool.append(events);
    await spool.close();
    // A crash in the middle of the next append: half a line, no newline.
    const segment = segmentPath(dir, 1);
    await appendFile(segment, JSON.stringify(event()).slice(0, 40));

    const again = await open();
    const batch = await again.read(again.position("store"), 100);
    expect(batch.events.map((e) => e.id)).toEqual(events.map((e) => e.id));
    const text = await readFile(segment, "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    // New events go after the kept ones.
    const later = event();
    await again.append([later]);
    const rest = await again.read(batch.end, 100);
    expect(rest.events.map((e) => e.id)).toEqual([later.id]);
    await again.close();
  });

  it("skips (and reports) a corrupt line in the middle, keeping the events around it", async () => {
    const warnings: string[] = [];
    const a = event();
    const b = event();
    await writeFile(segmentPath(dir, 1), `${JSON.stringify(a)}\n{not json\n${JSON.stringify(b)}\n`);
    const spool = await open({ warn: (m) => warnings.push(m) });
    const batch = await spool.read(spool.position("store"), 100);
    expect(batch.events.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(warnings).toEqual([expect.stringContaining("not an audit event")]);
    await spool.close();
  });

  it("rotates segments and deletes those every reader has committed past", async () => {
    const spool = await open({ segmentBytes: 600 });
    for (let i = 0; i < 12; i++) await spool.append([event()]);
    const segments = async () => (await readdir(dir)).filter((f) => f.startsWith("segment-")).sort();
    expect((await segments()).length).toBeGreaterThan(3);
    let position = spool.position("store");
    for (;;) {
      const batch = await spool.read(position, 5);
      if (batch.events.length === 0) break;
      await spool.commit("store", batch.end);
      position = batch.end;
    }
    // Only the active segment is left.
    expect(await segments()).toHaveLength(1);
    await spool.close();
    const sizeBefore = spool.size;
    expect(sizeBefore).toBeLessThan(600);
  });

  it("refuses appends past maxBytes with AUDIT_SPOOL_FULL, keeping every event already spooled", async () => {
    const line = JSON.stringify(event()).length + 1;
    const spool = await open({ maxBytes: line * 3 + 10 });
    await spool.append([event()]);
    await spool.append([event()]);
    await spool.append([event()]);
    const refused = await spool.append([event()]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuditError);
    expect((refused as AuditError).code).toBe("AUDIT_SPOOL_FULL");
    expect((await spool.read(spool.position("store"), 10)).events).toHaveLength(3);
    // Once delivered (committed) and rotated out, there is room again.
    await spool.close();
    const again = await open({ maxBytes: line * 3 + 10 });
    await again.commit("store", (await again.read(again.position("store"), 10)).end);
    await again.append([event()]);
    await again.close();
  });

  it("is refused to a second spool on the same directory", async () => {
    const spool = await open();
    await expect(open()).rejects.toMatchObject({ code: "AUDIT_SPOOL_LOCKED" });
    await spool.close();
    await (await open()).close();
  });

  it("takes over the lock of a process that is gone", async () => {
    await writeFile(join(dir, "lock"), "999999999\n");
    const spool = await open();
    await spool.append([event()]);
    await spool.close();
    await expect(stat(join(dir, "lock"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("refuses appends after close", async () => {
    const spool = await open();
    await spool.close();
    await expect(spool.append([event()])).rejects.toMatchObject({ code: "AUDIT_SPOOL_CLOSED" });
  });
});
