/**
 * The audit trail's acceptance test: events recorded at a steady rate while the log store is down
 * for a stretch, with a restart of the trail in the middle of the outage; afterwards every event
 * is in the store exactly once (by id), none missing, none extra.
 *
 * The criterion says a minute of outage: FLEETGRAPH_AUDIT_OUTAGE_MS=60000 runs it so (default
 * 6 s here). The store is the simulator's Elasticsearch-compatible one (sim/logstore/) when it is
 * present, else the stand-in of test/support/bulk-store.ts; the client is the real LogStoreClient
 * either way. FLEETGRAPH_AUDIT_STORE=sim makes a missing simulator store a failure.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditRecord } from "../../../src/audit/event.js";
import { LogStoreSink } from "../../../src/audit/sinks/log-store-sink.js";
import { AuditTrail } from "../../../src/audit/trail.js";
import { LogStoreClient } from "../../../src/backends/logstore/client.js";
import type { LogStoreSettings } from "../../../src/config/index.js";
import { startBulkStore } from "../../support/bulk-store.js";
import { eventually } from "../../support/eventually.js";

const OUTAGE_MS = Number(process.env.FLEETGRAPH_AUDIT_OUTAGE_MS ?? 6000);
const RATE_PER_SECOND = 50;
const PREFIX = "fleetgraph-auditing";

/** What the acceptance test needs of a store: the simulator's is expected to offer this. */
interface TestStore {
  url: string;
  goDown(): Promise<void> | void;
  comeBack(): Promise<void> | void;
  /** Every stored id of the audit indices, with repeats if a document were stored twice. */
  auditIds(): Promise<string[]>;
  stop(): Promise<void>;
}

const SIM_MODULE = join(import.meta.dirname, "../../../sim/logstore/index.ts");

async function startStore(): Promise<{ store: TestStore; kind: string }> {
  if (existsSync(SIM_MODULE)) {
    // Expected API of the simulator's store (branch logstore-sim): see the final report.
    const sim = (await import(SIM_MODULE)) as {
      startLogStore(options?: object): Promise<{
        url: string;
        goDown(): Promise<void> | void;
        comeBack(): Promise<void> | void;
        stop(): Promise<void>;
      }>;
    };
    const s = await sim.startLogStore();
    const client = new LogStoreClient(settings(s.url));
    return {
      kind: "simulator",
      store: {
        url: s.url,
        goDown: () => s.goDown(),
        comeBack: () => s.comeBack(),
        async auditIds() {
          const answer = await client.search<{ id: string }>({
            index: `${PREFIX}-*`,
            size: 10_000,
            query: { match_all: {} },
          });
          return answer.hits.hits.map((h) => h._id!);
        },
        stop: async () => {
          await client.close();
          await s.stop();
        },
      },
    };
  }
  if (process.env.FLEETGRAPH_AUDIT_STORE === "sim")
    throw new Error(`FLEETGRAPH_AUDIT_STORE=sim but ${SIM_MODULE} does not exist: merge logstore-sim first`);
  const s = await startBulkStore();
  return {
    kind: "stand-in",
    store: {
      url: s.url,
      goDown: () => s.goDown(),
      comeBack: () => s.comeBack(),
      auditIds: () => Promise.resolve(s.ids()),
      stop: () => s.stop(),
    },
  };
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
let store: TestStore;
let kind: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-acceptance-"));
  ({ store, kind } = await startStore());
  console.info(`audit acceptance: ${kind} log store at ${store.url}, outage ${OUTAGE_MS} ms`);
});
afterAll(async () => {
  await store?.stop();
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
              new LogStoreClient(settings(store.url), { breaker: { cooldownMs: 200 } }),
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
      await store.goDown();
      await phase(OUTAGE_MS / 2);
      // The restart: shipping cut short (the store is down), the spool handed to the next run.
      let release!: () => void;
      restarting = new Promise((r) => (release = r));
      await trail.stop(200);
      trail = await start();
      release();
      restarting = undefined;
      await phase(OUTAGE_MS / 2);
      await store.comeBack();
      await phase(1000);
      await trail.caughtUp();

      expect(refused).toBe(0);
      const stored = await eventually(async () => {
        const ids = await store.auditIds();
        return ids.length >= recorded.length ? ids : undefined;
      }, 30_000);
      expect(stored.length).toBe(recorded.length);
      expect(new Set(stored).size).toBe(stored.length);
      expect([...stored].sort()).toEqual([...recorded].sort());
      await trail.stop();
    },
    OUTAGE_MS + 60_000,
  );
});
