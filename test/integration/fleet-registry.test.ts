/**
 * FleetRegistry + FleetCache over the simulator: clusters added, removed and reconnected at run
 * time (config reload), and `whenSynced` giving up on a cluster that cannot be reached.
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FleetCache } from "../../src/cache/fleet-cache.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { configFromKubeconfig, type ClusterConfig } from "../../src/config/index.js";
import type { ClusterConnection } from "../../src/fleet/cluster-connection.js";
import { FleetRegistry } from "../../src/fleet/registry.js";
import { KINDS } from "../../src/kinds/index.js";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { findKind } from "../../sim/kinds.js";
import { eventually } from "../support/eventually.js";

let fleet: SimFleet;
let configs: ClusterConfig[];
let registry: FleetRegistry | undefined;
let cache: FleetCache | undefined;

beforeAll(async () => {
  fleet = await startFleet({ clusters: 2, nodes: 2, pods: 40, seed: "fleet-registry" });
  configs = configFromKubeconfig(fleet.kubeconfigPath).clusters.map((c) => ({
    ...c,
    requestTimeoutMs: 1000,
  }));
});

afterEach(async () => {
  await cache?.stop();
  registry?.close();
  cache = undefined;
  registry = undefined;
});

afterAll(async () => {
  await fleet?.stop();
});

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function setUp(clusters: ClusterConfig[], logLines: string[] = []) {
  registry = new FleetRegistry(clusters, {
    connection: { breaker: { failureThreshold: 3, cooldownMs: 200 } },
    health: { intervalMs: 200 },
  });
  const index = new FleetIndex(KINDS);
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );
  cache = new FleetCache(registry, index, {
    kinds: KINDS,
    logger,
    cache: { backoff: { initialMs: 50, maxMs: 500 } },
  });
  cache.start();
  return { registry, index, cache };
}

describe("FleetRegistry", () => {
  it("lists clusters, their labels and health", async () => {
    const labelled = configs.map((c, i) => ({ ...c, labels: { region: `r${i}` } }));
    const { registry } = setUp(labelled);
    expect(registry.names()).toEqual(configs.map((c) => c.name));
    expect(registry.list().map((c) => c.name)).toEqual(configs.map((c) => c.name));
    expect(registry.clusterLabels(configs[1]!.name)).toEqual({ region: "r1" });
    expect(registry.clusterLabels("nope")).toBeUndefined();
    await eventually(() => registry.list().every((c) => registry.health(c.name)?.status === "READY"));
  });

  it("refuses a duplicate cluster name", () => {
    const { registry } = setUp([configs[0]!]);
    expect(() => registry.add(configs[0]!)).toThrow(/already registered/);
  });

  it("follows a reload: additions, removals, label-only changes and reconnects", async () => {
    const [a, b] = configs as [ClusterConfig, ClusterConfig];
    const { registry, index, cache } = setUp([a]);
    const events: string[] = [];
    registry.on("added", (c) => events.push(`added ${c.name}`));
    registry.on("removed", (c) => events.push(`removed ${c.name}`));
    registry.on("updated", (c) => events.push(`updated ${c.name}`));
    await cache.whenSynced(10_000);

    registry.replace([a, b]);
    expect(events).toEqual([`added ${b.name}`]);
    const report = await cache.whenSynced(10_000);
    expect(report).toMatchObject({ complete: true, clustersTotal: 2, clustersSynced: 2 });
    expect(index.find(b.name, "Pod")!.size).toBe(fleet.cluster(b.name).store.count(findKind("v1", "Pod")!));

    const connectionA: ClusterConnection = registry.get(a.name)!;
    registry.replace([{ ...a, labels: { tier: "gold" }, displayName: "A" }, b]);
    expect(events.at(-1)).toBe(`updated ${a.name}`);
    expect(registry.get(a.name)).toBe(connectionA);
    expect(registry.get(a.name)!.config.displayName).toBe("A");
    expect(registry.clusterLabels(a.name)).toEqual({ tier: "gold" });

    registry.replace([{ ...a, labels: { tier: "gold" }, displayName: "A", requestTimeoutMs: 1500 }, b]);
    expect(events.slice(-2)).toEqual([`removed ${a.name}`, `added ${a.name}`]);
    expect(registry.get(a.name)).not.toBe(connectionA);
    await eventually(() => cache.status(a.name)?.synced === true, 10_000);

    registry.replace([b]);
    expect(events.at(-1)).toBe(`removed ${a.name}`);
    expect(registry.get(a.name)).toBeUndefined();
    expect(cache.status(a.name)).toBeUndefined();
    await eventually(() => index.find(a.name, "Pod") === undefined);
    expect(cache.progress()).toMatchObject({ clustersTotal: 1, clustersSynced: 1 });
  });
});

describe("FleetCache.whenSynced", () => {
  it("gives up on an unreachable cluster instead of waiting for it, and logs progress", async () => {
    const dead: ClusterConfig = {
      ...configs[0]!,
      name: "dead",
      server: `https://127.0.0.1:${await deadPort()}`,
    };
    const lines: string[] = [];
    const { cache } = setUp([configs[1]!, dead], lines);
    const started = Date.now();
    const report = await cache.whenSynced(10_000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report).toMatchObject({
      complete: true,
      synced: [configs[1]!.name],
      gaveUp: ["dead"],
      pending: [],
    });
    // Given up by its list attempts or by its health probe, whichever said so first.
    expect(report.failures).toEqual([
      { cluster: "dead", reason: "unreachable", message: expect.stringContaining("ECONNREFUSED") },
    ]);
    const status = cache.status("dead")!;
    expect(status.synced).toBe(false);
    expect(status.kinds.Pod!.lastError?.code).toBe("CLUSTER_UNAVAILABLE");
    const logged = lines.map(
      (l) =>
        JSON.parse(l) as { msg: string; clustersSynced?: number; clustersTotal?: number; objects?: number },
    );
    // Not "complete" with a cluster missing: the line says the sync ended, and what failed.
    expect(logged.find((l) => l.msg === "cache sync complete")).toBeUndefined();
    const done = logged.find((l) => l.msg.startsWith("cache sync ended"));
    expect(done).toMatchObject({
      msg: "cache sync ended: 1 of 2 clusters synced, 1 failed: dead (unreachable)",
      clustersSynced: 1,
      clustersTotal: 2,
    });
    expect(done!.objects).toBeGreaterThan(40);
  });

  it("reports pending clusters when the timeout comes first", async () => {
    const { cache } = setUp([{ ...configs[0]!, requestTimeoutMs: 5000 }]);
    fleet.clusters[0]!.faults.set({ latencyMs: 1500 });
    try {
      const report = await cache.whenSynced(300);
      expect(report).toMatchObject({ complete: false, pending: [configs[0]!.name], synced: [] });
    } finally {
      fleet.clusters[0]!.faults.reset();
    }
  });
});
