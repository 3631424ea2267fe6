/**
 * The audit trail's acceptance test: events recorded at a steady rate while the log store is down
 * for a stretch, with a restart of the trail in the middle of the outage; afterwards every event
 * is in the store exactly once (by id), none missing, none extra.
 *
 * The criterion says a minute of outage: FLEETGRAPH_AUDIT_OUTAGE_MS=60000 runs it so (default
 * 6 s here). The store is the simulator's Elasticsearch 8 look-alike (sim/logstore/: `_bulk`
 * `create` answering 409 for a stored id, `goDown`/`comeBack`), reached through the real
 * LogStoreClient; stored documents are read back with `_search`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditRecord } from "../../../src/audit/event.js";
import { LogStoreSink } from "../../../src/audit/sinks/log-store-sink.js";
import { AuditTrail } from "../../../src/audit/trail.js";
import { LogStoreClient } from "../../../src/backends/logstore/client.js";
import type { LogStoreSettings } from "../../../src/config/index.js";
import { LogStoreServer } from "../../../sim/logstore/server.js";
import { eventually } from "../../support/eventually.js";

const OUTAGE_MS = Number(process.env.FLEETGRAPH_AUDIT_OUTAGE_MS ?? 6000);
const RATE_PER_SECOND = 50;
const PREFIX = "fleetgraph-auditing";

let server: LogStoreServer;
let client: LogStoreClient;

/** Every stored id of the audit indices; a document stored twice would show twice. */
async function storedIds(): Promise<string[]> {
  const answer = await client.search({ index: `${PREFIX}-*`, size: 10_000, query: { match_all: {} } });
  return answer.hits.hits.map((h) => h._id!);
}

function settings(url: string): LogStoreSettings {
  return {
    url,
    flavor: "elasticsearch",
    indices: { logs: "l", events: "e", auditing: "a" },
    tls: { insecureSkipVerify: false },
    auth: {},
    timeoutMs: 1000,
    maxConcurrentRequests: 2,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-acceptance-"));
  server = new LogStoreServer();
  await server.listen();
  client = new LogStoreClient(settings(server.url));
});
afterAll(async () => {
  await client?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe(`the audit trail across a log-store outage and a restart`, () => {
  it(
    "delivers every recorded event exactly once",
    async () => {
      const logger = pino({ level: "silent" });
      const start = () =>
        AuditTrail.start({
          spoolDir: dir,
          sinks: [
            new LogStoreSink(
              new LogStoreClient(settings(server.url), { breaker: { cooldownMs: 200 } }),
              PREFIX,
            ),
          ],
          replica: "gw-acceptance",
          batchSize: 100,
          flushIntervalMs: 100,
          maxSpoolBytes: 64 * 1024 * 1024,
          logger,
          backoff: { initialMs: 50, maxMs: 500 },
        });
      let trail = await start();
      const recorded: string[] = [];
      let refused = 0;
      let restarting: Promise<void> | undefined;
      const record = async (i: number): Promise<void> => {
        await restarting;
        const event: AuditRecord = {
          user: `user-${i % 7}`,
          groups: ["acceptance"],
          sourceIP: "10.1.2.3",
          operation: "apiToken.create",
          outcome: "success",
          resource: `apiToken/tok_${i}`,
        };
        try {
          recorded.push((await trail.record(event)).id);
        } catch {
          refused++;
        }
      };
      // A steady rate of audited actions for: before, the outage (with the restart), after.
      const phase = async (ms: number): Promise<void> => {
        const until = Date.now() + ms;
        let i = recorded.length;
        while (Date.now() < until) {
          await record(i++);
          await new Promise((r) => setTimeout(r, 1000 / RATE_PER_SECOND));
        }
      };
      await phase(1000);
      await server.goDown();
      await phase(OUTAGE_MS / 2);
      // The restart: shipping cut short (the store is down), the spool handed to the next run.
      let release!: () => void;
      restarting = new Promise((r) => (release = r));
      await trail.stop(200);
      trail = await start();
      release();
      restarting = undefined;
      await phase(OUTAGE_MS / 2);
      await server.comeBack();
      await phase(1000);
      await trail.caughtUp();

      expect(refused).toBe(0);
      const stored = await eventually(async () => {
        const ids = await storedIds();
        return ids.length >= recorded.length ? ids : undefined;
      }, 30_000);
      expect(stored.length).toBe(recorded.length);
      expect(new Set(stored).size).toBe(stored.length);
      expect([...stored].sort()).toEqual([...recorded].sort());
      await trail.stop();
    },
    OUTAGE_MS + 60_000,
  );

  it("stores nothing twice when a delivered batch is shipped again (its commit lost in a crash)", async () => {
    const spoolDir = join(dir, "crash");
    const start = () =>
      AuditTrail.start({
        spoolDir,
        sinks: [new LogStoreSink(new LogStoreClient(settings(server.url)), "fg-crash")],
        replica: "gw-crash",
        batchSize: 100,
        flushIntervalMs: 20,
        maxSpoolBytes: 16 * 1024 * 1024,
        logger: pino({ level: "silent" }),
      });
    const trail = await start();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await trail.record({ user: "u", groups: [], operation: "login", outcome: "success" })).id);
    await trail.caughtUp();
    // Keep the delivered segment while forgetting the commit: the state a crash leaves.
    await trail.stop();
    await writeFile(join(spoolDir, "progress.json"), JSON.stringify({ version: 1, sinks: {} }));
    const next = await start();
    await next.caughtUp();
    // Shipped again (the store answered 409 for each), counted as delivered.
    expect(next.stats().sinks[0]!.delivered).toBe(5);
    await next.stop();
    const answer = await client.search({ index: "fg-crash-*", size: 100, query: { match_all: {} } });
    expect(answer.hits.hits.map((h) => h._id).sort()).toEqual([...ids].sort());
    expect(answer.hits.hits[0]!._source).toMatchObject({
      "@timestamp": expect.any(String),
      replica: "gw-crash",
    });
  });
});
