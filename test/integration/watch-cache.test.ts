/**
 * The watch caches against the real simulator (2 clusters x 2 nodes x ~40 pods): the initial sync
 * equals the sim's stores, changes flow in, dropped watches resume without a relist, expired
 * history relists and converges, and a cluster that goes down is served stale and converges when
 * it comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CachedKind } from "../../src/cache/entry.js";
import { FleetCache } from "../../src/cache/fleet-cache.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { configFromKubeconfig } from "../../src/config/index.js";
import { FleetRegistry } from "../../src/fleet/registry.js";
import { KINDS } from "../../src/kinds/index.js";
import type { SimCluster } from "../../sim/cluster.js";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { eventually } from "../support/eventually.js";
import { simKind } from "./gateway-fixture.js";

let fleet: SimFleet;
let registry: FleetRegistry;
let index: FleetIndex;
let cache: FleetCache;
const progress: { clustersSynced: number; clustersTotal: number; objects: number }[] = [];

beforeAll(async () => {
  fleet = await startFleet({ clusters: 2, nodes: 2, pods: 40, seed: "watch-cache", bookmarkIntervalMs: 500 });
  const clusters = configFromKubeconfig(fleet.kubeconfigPath).clusters.map((c) => ({
    ...c,
    requestTimeoutMs: 2000,
  }));
  registry = new FleetRegistry(clusters, {
    connection: { breaker: { failureThreshold: 3, cooldownMs: 300 } },
    health: { intervalMs: 200, unreachableIntervalMs: 200 },
  });
  index = new FleetIndex(KINDS);
  cache = new FleetCache(registry, index, {
    kinds: KINDS,
    onProgress: (p) => progress.push(p),
    cache: { backoff: { initialMs: 50, maxMs: 1000 } },
  });
  cache.start();
});

afterAll(async () => {
  await cache?.stop();
  registry?.close();
  await fleet?.stop();
});

function simUids(sim: SimCluster, kind: CachedKind): string[] {
  return sim.store
    .all(simKind(kind))
    .map((o) => o.metadata.uid!)
    .sort();
}

function cachedUids(cluster: string, kind: CachedKind): string[] {
  return [...(index.find(cluster, kind)?.all() ?? [])].map((e) => e.uid).sort();
}

/** Every cached kind of the cluster holds exactly the simulator's objects. */
function converged(sim: SimCluster): true {
  for (const { kind } of KINDS)
    expect(cachedUids(sim.name, kind), `${sim.name} ${kind}`).toEqual(simUids(sim, kind));
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("watch caches over the simulator", () => {
  it("syncs every cluster, reporting progress, and the caches equal the simulator's stores", async () => {
    const report = await cache.whenSynced(15_000);
    expect(report).toMatchObject({
      complete: true,
      clustersTotal: 2,
      clustersSynced: 2,
      gaveUp: [],
      pending: [],
    });
    expect(report.objects).toBeGreaterThan(80);
    expect(progress.at(-1)).toMatchObject({ clustersSynced: 2, clustersTotal: 2 });
    for (const sim of fleet.clusters) {
      await eventually(() => converged(sim), 5000);
      const status = cache.status(sim.name)!;
      expect(status.synced).toBe(true);
      expect(status.staleSince).toBeNull();
      expect(Number(status.resourceVersion)).toBeGreaterThan(0);
      expect(Object.keys(status.kinds).sort()).toEqual(KINDS.map((k) => k.kind).sort());
      expect(status.kinds.Pod!.objects).toBe(sim.store.count(simKind("Pod")));
      expect(status.kinds.Pod!.objects).toBeGreaterThan(30);
      expect(status.kinds.Node!.objects).toBe(2);
    }
  });

  it("applies creations, updates and deletions made in the simulator", async () => {
    const sim = fleet.clusters[0]!;
    const serviceKind = simKind("Service");
    const created = sim.store.create(serviceKind, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "cache-probe", namespace: "default", labels: { probe: "one" } },
      spec: { ports: [{ port: 80, protocol: "TCP" }] },
    });
    const uid = created.metadata.uid!;
    const services = () => index.find(sim.name, "Service")!;
    await eventually(() => services().get(uid)?.labels.probe === "one", 5000);

    sim.store.mutate(serviceKind, "default", "cache-probe", (draft) => {
      draft.metadata.labels = { probe: "two" };
    });
    await eventually(() => services().get(uid)?.labels.probe === "two", 5000);

    sim.store.delete(serviceKind, "default", "cache-probe");
    await eventually(() => services().get(uid) === undefined, 5000);
    expect(cache.status(sim.name)!.kinds.Service!.eventsApplied).toBeGreaterThanOrEqual(3);
  });

  it("advances the resourceVersion on bookmarks while a kind is quiet", async () => {
    const sim = fleet.clusters[1]!;
    const before = cache.status(sim.name)!.kinds.Namespace!;
    // Elsewhere in the cluster the revision moves on; the Namespace watch only hears of it by bookmark.
    sim.store.create(simKind("Service"), {
      metadata: { name: "bookmark-mover", namespace: "default" },
      spec: {},
    });
    const target = sim.store.revision;
    await eventually(() => Number(cache.status(sim.name)!.kinds.Namespace!.resourceVersion) >= target, 5000);
    expect(cache.status(sim.name)!.kinds.Namespace!.eventsApplied).toBeGreaterThan(before.eventsApplied);
  });

  it("resumes dropped watches from their resourceVersion without relisting", async () => {
    const sim = fleet.clusters[0]!;
    const before = cache.status(sim.name)!.kinds;
    expect(sim.dropWatches()).toBeGreaterThanOrEqual(KINDS.length);
    sim.store.create(simKind("Service"), {
      metadata: { name: "after-drop", namespace: "default" },
      spec: {},
    });
    await eventually(() => {
      const kinds = cache.status(sim.name)!.kinds;
      return KINDS.every(
        ({ kind: k }) => kinds[k]!.connected && kinds[k]!.watchResumes > before[k]!.watchResumes,
      );
    }, 5000);
    await eventually(() => converged(sim), 5000);
    const after = cache.status(sim.name)!.kinds;
    for (const { kind } of KINDS) expect(after[kind]!.relists, kind).toBe(before[kind]!.relists);
    expect(cache.status(sim.name)!.staleSince).toBeNull();
  });

  it("relists after expired history (410) and converges, including changes made while disconnected", async () => {
    const sim = fleet.clusters[1]!;
    const before = cache.status(sim.name)!.kinds;
    sim.dropWatches();
    // Before the reflectors resume: a change they cannot replay, then compaction past it.
    const pod = sim.store.all(simKind("Pod"))[0]!;
    sim.store.delete(simKind("Pod"), pod.metadata.namespace, pod.metadata.name!);
    const svc = sim.store.create(simKind("Service"), {
      metadata: { name: "during-gap", namespace: "default" },
      spec: {},
    });
    sim.expireHistory();
    await eventually(() => cache.status(sim.name)!.kinds.Pod!.relists > before.Pod!.relists, 5000);
    await eventually(() => converged(sim), 5000);
    expect(index.find(sim.name, "Service")!.get(svc.metadata.uid!)).toBeDefined();
    expect(index.find(sim.name, "Pod")!.get(pod.metadata.uid!)).toBeUndefined();
    await eventually(
      () => cache.status(sim.name)!.staleSince === null && cache.status(sim.name)!.kinds.Pod!.connected,
    );
  });

  it("serves a cluster that went down from the cache, marked stale and UNREACHABLE, and converges when it comes back", async () => {
    const sim = fleet.clusters[0]!;
    const other = fleet.clusters[1]!;
    const objectsBefore = cache.status(sim.name)!.objects;
    const downAt = Date.now();
    await sim.goDown();

    await eventually(() => registry.health(sim.name)?.status === "UNREACHABLE", 5000);
    await eventually(() => cache.status(sim.name)!.staleSince !== null, 5000);
    const stale = cache.status(sim.name)!;
    expect(stale.staleSince!.getTime()).toBeGreaterThanOrEqual(downAt - 50);
    expect(stale.synced).toBe(true);
    expect(stale.objects).toBe(objectsBefore);
    expect(registry.health(sim.name)!.lastError?.code).toBe("CLUSTER_UNAVAILABLE");
    await eventually(() => registry.get(sim.name)!.breaker.state !== "closed", 5000);
    // The other cluster is untouched.
    expect(cache.status(other.name)!.staleSince).toBeNull();

    // While it is down the cluster's state moves on; the caches must catch up afterwards.
    const svc = sim.store.create(simKind("Service"), {
      metadata: { name: "while-down", namespace: "default" },
      spec: {},
    });
    await sleep(300);
    await sim.comeBack();
    await eventually(() => registry.health(sim.name)?.status === "READY", 5000);
    await eventually(() => cache.status(sim.name)!.staleSince === null, 5000);
    await eventually(() => converged(sim), 5000);
    expect(index.find(sim.name, "Service")!.get(svc.metadata.uid!)).toBeDefined();
    expect(registry.get(sim.name)!.breaker.state).toBe("closed");
  });
});
