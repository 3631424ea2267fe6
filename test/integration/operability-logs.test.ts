/**
 * What the gateway logs when clusters fail, checked against the simulator's faults: one line per
 * transition (a watch going down and coming back, every relist, a breaker opening and closing, a
 * cluster giving up its initial sync), never one per retry, each naming the cluster (and the kind),
 * with the root cause; and health.lastError keeping that cause while the breaker is open.
 */
import { createServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KINDS, RBAC_KINDS } from "../../src/kinds/index.js";

// The schema's kinds and the RBAC kinds access is computed from: every one is watched.
const CACHED_KINDS = [...KINDS, ...RBAC_KINDS].map((k) => k.kind);
import type { ClusterConfig } from "../../src/config/index.js";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimCluster } from "../../sim/cluster.js";
import type { SimFleet } from "../../sim/fleet.js";
import { findKind } from "../../sim/kinds.js";
import { eventually } from "../support/eventually.js";
import { captureLogs, LEVEL, type CapturedLogs } from "../support/log-capture.js";
import { fleetConfig, startSimFleet, startTestGateway } from "./server-fixture.js";

let fleet: SimFleet;
let victim: SimCluster;
let logs: CapturedLogs;
let gateway: Gateway;

/** Fast breaker, probes and backoff, so outages and recoveries fit in a test. */
async function start(clusters: ClusterConfig[]): Promise<Gateway> {
  logs = captureLogs("info");
  const started = await startTestGateway(
    { ...fleetConfig(fleet), clusters },
    {
      logger: logs.logger,
      fleet: {
        connection: { breaker: { failureThreshold: 3, cooldownMs: 300 } },
        health: { intervalMs: 200, unreachableIntervalMs: 200 },
      },
      cache: { backoff: { initialMs: 50, maxMs: 400 } },
    },
  );
  await started.fleetCache.whenSynced(20_000);
  return started;
}

beforeAll(async () => {
  fleet = await startSimFleet("operability-logs", { clusters: 2, pods: 10, bookmarkIntervalMs: 500 });
  victim = fleet.clusters[1]!;
});

afterEach(async () => {
  victim.faults.reset();
  await victim.comeBack();
  await gateway?.stop();
});

afterAll(async () => {
  await fleet?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a cluster going down and coming back", () => {
  it("logs each kind's watch once down and once back, and the breaker once open and once closed", async () => {
    gateway = await start(fleetConfig(fleet).clusters);
    const name = victim.name;
    await victim.goDown();
    await eventually(
      () => logs.matching("watch disconnected", { cluster: name }).length === CACHED_KINDS.length,
      10_000,
    );
    await eventually(
      () => logs.matching(/^cluster [^:]+: circuit breaker open after: /, { cluster: name }).length > 0,
      10_000,
    );
    // While it stays down every reflector retries and the breaker re-opens after each failed
    // probe (cool-down 300 ms): none of that is a new transition.
    await sleep(1500);

    const down = logs.matching("watch disconnected", { cluster: name });
    expect(down.map((l) => l.kind).sort()).toEqual([...CACHED_KINDS].sort());
    for (const line of down) {
      expect(line.level).toBe(LEVEL.warn);
      // The stream was reset (a kind whose stream ends after the breaker opened says so, with the
      // root cause); resuming it was refused (or refused by the open breaker).
      expect(line.msg).toMatch(
        new RegExp(
          `^cluster ${name}: ${String(line.kind)} watch disconnected: (circuit breaker open after: )?ECONN`,
        ),
      );
      expect(line.error).toMatch(/ECONNRESET|ECONNREFUSED/);
      expect(line.resumeError).toMatch(/ECONNREFUSED|circuit breaker open after: ECONN/);
    }
    const opened = logs.matching(/^cluster [^:]+: circuit breaker open after: /, { cluster: name });
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      level: LEVEL.warn,
      cause: expect.stringMatching(/ECONNREFUSED|ECONNRESET/),
    });
    expect(opened[0]!.msg).toMatch(/^cluster .*: circuit breaker open after: .*(ECONNREFUSED|ECONNRESET)/);
    expect(logs.matching("health READY -> UNREACHABLE", { cluster: name })).toHaveLength(1);
    // The health the API reports says why, not only that the breaker is open.
    await eventually(() =>
      /circuit breaker open after: ECONN(REFUSED|RESET)/.test(
        gateway.registry.health(name)?.lastError?.message ?? "",
      ),
    );
    // The other cluster said nothing.
    expect(logs.lines().filter((l) => l.cluster === fleet.clusters[0]!.name)).toEqual([]);

    await victim.comeBack();
    await eventually(
      () => logs.matching("watch reconnected", { cluster: name }).length === CACHED_KINDS.length,
      10_000,
    );
    const closed = logs.matching("circuit breaker closed", { cluster: name });
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ level: LEVEL.info, openForMs: expect.any(Number) });
    for (const line of logs.matching("watch reconnected", { cluster: name })) {
      expect(line.level).toBe(LEVEL.info);
      expect(line.downForMs).toBeGreaterThanOrEqual(1500);
    }
    await eventually(() => logs.matching("health UNREACHABLE -> READY", { cluster: name }).length === 1);
    expect(logs.matching("watch disconnected", { cluster: name })).toHaveLength(CACHED_KINDS.length);
  });
});

describe("a relist storm", () => {
  it("logs every relist, one line each, with its cause", async () => {
    gateway = await start(fleetConfig(fleet).clusters);
    const name = victim.name;
    const relists = () => gateway.fleetCache.status(name)!.kinds.Service!.relists;
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      const before = relists();
      // A change the cache has not seen, compacted away while its watches are down: 410 on resume.
      victim.dropWatches();
      victim.store.create(findKind("v1", "Service")!, {
        metadata: { name: `storm-${round}`, namespace: "default" },
        spec: {},
      });
      victim.expireHistory();
      await eventually(() => relists() > before, 5000);
    }
    await eventually(() => gateway.fleetCache.status(name)!.staleSince === null, 5000);
    const kinds = gateway.fleetCache.status(name)!.kinds;
    for (const kind of CACHED_KINDS) {
      const lines = logs.matching("relisted", { cluster: name, kind });
      expect(lines, kind).toHaveLength(kinds[kind]!.relists);
      for (const line of lines) {
        expect(line.level).toBe(LEVEL.info);
        expect(line.cause).toMatch(/410|expired|too old/i);
      }
    }
    expect(logs.matching("relisted", { cluster: name, kind: "Service" }).length).toBeGreaterThanOrEqual(
      rounds,
    );
    // A dropped watch that resumes at once (here into a 410) is no outage.
    expect(logs.matching("watch disconnected")).toEqual([]);
    expect(logs.matching("watch reconnected")).toEqual([]);
  });
});

describe("a cluster that never answers", () => {
  it("logs that it gave up its initial sync once, with the root cause", async () => {
    const dead: ClusterConfig = {
      ...fleetConfig(fleet).clusters[0]!,
      name: "dead",
      server: `https://127.0.0.1:${await deadPort()}`,
    };
    gateway = await start([fleetConfig(fleet).clusters[0]!, dead]);
    await eventually(() => logs.matching("gave up its initial sync", { cluster: "dead" }).length === 1);
    await sleep(1000);
    const [line, ...more] = logs.matching("gave up its initial sync", { cluster: "dead" });
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: LEVEL.warn, cause: expect.stringMatching(/ECONNREFUSED/) });
    expect(line!.msg).toMatch(/^cluster dead: gave up its initial sync \(.*ECONNREFUSED/);
    // Kinds are not reported one by one before they ever synced.
    expect(logs.matching("watch disconnected")).toEqual([]);
    expect(logs.matching(/^cluster [^:]+: circuit breaker open after: /, { cluster: "dead" })).toHaveLength(
      1,
    );
  });
});

describe("a cluster answering 503", () => {
  it("opens the breaker with the HTTP answer as the cause, kept in health.lastError", async () => {
    gateway = await start(fleetConfig(fleet).clusters);
    const name = victim.name;
    victim.faults.set({ errorRate: 1, errorCode: 503 });
    await eventually(
      () => logs.matching(/^cluster [^:]+: circuit breaker open after: /, { cluster: name }).length === 1,
      10_000,
    );
    expect(logs.matching(/^cluster [^:]+: circuit breaker open after: /, { cluster: name })[0]!.msg).toBe(
      `cluster ${name}: circuit breaker open after: HTTP 503: the server is currently unable to handle the request`,
    );
    await eventually(() =>
      (gateway.registry.health(name)?.lastError?.message ?? "").includes(
        "circuit breaker open after: HTTP 503: the server is currently unable to handle the request",
      ),
    );
    victim.faults.reset();
    await eventually(() => logs.matching("circuit breaker closed", { cluster: name }).length === 1, 10_000);
  });
});

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
