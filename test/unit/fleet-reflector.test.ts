/**
 * The Reflector against a tiny in-memory fake of a cluster connection: pagination, event
 * application, resume without relist, relist on 410, staleness and backoff, and the changes told
 * to the change feed (a relist's as the changes it implies).
 */
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { CacheChange } from "../../src/cache/change.js";
import type { CacheEntry } from "../../src/cache/entry.js";
import { Reflector, type ReflectorSource, type ReflectorStore } from "../../src/cache/reflector.js";
import { SyncLog } from "../../src/cache/sync-log.js";
import type {
  ListPage,
  ListPageOptions,
  WatchHandle,
  WatchHandlers,
} from "../../src/fleet/cluster-connection.js";
import {
  ClusterError,
  ClusterForbiddenError,
  ClusterTimeoutError,
  ClusterUnavailableError,
} from "../../src/fleet/errors.js";
import type { ResourcePath } from "../../src/fleet/resources.js";
import { kindOf, pathOf } from "../../src/kinds/index.js";
import type { KubeObject } from "../../src/kube/object.js";
import { eventually } from "../support/eventually.js";

class FakeCluster implements ReflectorSource {
  readonly name = "fake";
  rv = 100;
  readonly objects = new Map<string, KubeObject>();
  readonly listCalls: ListPageOptions[] = [];
  readonly watchFrom: string[] = [];
  /** The resources listed and watched, in call order. */
  readonly resources: ResourcePath[] = [];
  /** Errors the next watch calls reject with (FIFO). */
  readonly watchFailures: ClusterError[] = [];
  /** Errors the next list calls reject with (FIFO). */
  readonly listFailures: ClusterError[] = [];
  /** While set, list calls wait for it (a slow relist). */
  listHold: Promise<void> | undefined;
  private handlers: WatchHandlers | undefined;

  /** A pod at the next resourceVersion; `uid` to tell a recreated object from its predecessor. */
  pod(name: string, uid = `uid-${name}`): KubeObject {
    this.rv++;
    return {
      metadata: {
        name,
        namespace: "ns",
        uid,
        resourceVersion: String(this.rv),
        creationTimestamp: "2026-01-01T00:00:00Z",
      },
      spec: { nodeName: "n1", containers: [{ name: "c", image: "img" }] },
      status: { phase: "Running" },
    };
  }

  add(name: string, uid?: string): KubeObject {
    const obj = this.pod(name, uid);
    this.objects.set(name, obj);
    return obj;
  }

  async listPage(resource: ResourcePath, options: ListPageOptions): Promise<ListPage> {
    this.resources.push(resource);
    this.listCalls.push(options);
    await this.listHold;
    const failure = this.listFailures.shift();
    if (failure) return Promise.reject(failure);
    const all = [...this.objects.values()];
    const start = options.continue ? Number(options.continue) : 0;
    const limit = options.limit ?? all.length;
    const items = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : undefined;
    return Promise.resolve({
      items,
      resourceVersion: String(this.rv),
      continue: next,
      remainingItemCount: undefined,
    });
  }

  watch(resource: ResourcePath, resourceVersion: string, handlers: WatchHandlers): Promise<WatchHandle> {
    this.resources.push(resource);
    this.watchFrom.push(resourceVersion);
    const failure = this.watchFailures.shift();
    if (failure) return Promise.reject(failure);
    this.handlers = handlers;
    return Promise.resolve({ stop: () => (this.handlers = undefined) });
  }

  get watching(): boolean {
    return this.handlers !== undefined;
  }

  emit(type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK", obj: KubeObject): void {
    this.handlers?.onEvent(type, obj);
  }

  end(error?: ClusterError): void {
    const h = this.handlers;
    this.handlers = undefined;
    h?.onClose(error);
  }
}

class MapStore implements ReflectorStore {
  readonly entries = new Map<string, CacheEntry>();
  replaces = 0;
  upsert(entry: CacheEntry): void {
    this.entries.set(entry.uid, entry);
  }
  remove(uid: string): void {
    this.entries.delete(uid);
  }
  replace(entries: Iterable<CacheEntry>): void {
    this.replaces++;
    this.entries.clear();
    for (const e of entries) this.entries.set(e.uid, e);
  }
  get size(): number {
    return this.entries.size;
  }
  get(uid: string): CacheEntry | undefined {
    return this.entries.get(uid);
  }
  getByName(namespace: string, name: string): CacheEntry | undefined {
    for (const e of this.entries.values()) if (e.namespace === namespace && e.name === name) return e;
    return undefined;
  }
  all(): Iterable<CacheEntry> {
    return this.entries.values();
  }
}

const reflectors: Reflector[] = [];
afterEach(async () => {
  await Promise.all(reflectors.splice(0).map((r) => r.stop()));
});

function reflect(cluster: FakeCluster, store = new MapStore(), options = {}) {
  const r = new Reflector(cluster, kindOf("Pod"), store, {
    pageSize: 500,
    backoff: { initialMs: 20, maxMs: 100 },
    healthyWatchMs: 50,
    ...options,
  });
  reflectors.push(r);
  r.start();
  return { r, store };
}

/** The server's answer to a watch from a resourceVersion out of its history. */
const expired = () =>
  new ClusterError("CLUSTER_ERROR", "fake", true, "too old", { httpStatus: 410, reason: "Expired" });

describe("Reflector", () => {
  it("lists in pages of 500, replaces the store, then watches from the list's resourceVersion", async () => {
    const cluster = new FakeCluster();
    for (let i = 0; i < 1203; i++) cluster.add(`p${i}`);
    const listRv = String(cluster.rv);
    const { r, store } = reflect(cluster);
    await eventually(() => cluster.watching);
    expect(cluster.listCalls.map((c) => [c.limit, c.continue])).toEqual([
      [500, undefined],
      [500, "500"],
      [500, "1000"],
    ]);
    expect(store.size).toBe(1203);
    expect(store.replaces).toBe(1);
    expect(cluster.watchFrom).toEqual([listRv]);
    // The kind's API path from its descriptor, for every list page and the watch.
    expect(cluster.resources).toEqual(Array(4).fill(pathOf("Pod")));
    expect(pathOf("Pod")).toEqual({ prefix: "/api/v1", plural: "pods", namespaced: true });
    const s = r.status();
    expect(s).toMatchObject({
      synced: true,
      connected: true,
      resourceVersion: listRv,
      objects: 1203,
      relists: 0,
      staleSince: null,
    });
    expect(store.entries.get("uid-p7")).toMatchObject({
      cluster: "fake",
      kind: "Pod",
      name: "p7",
      namespace: "ns",
      // Projected by the kind's descriptor.
      data: { phase: "Running", nodeName: "n1" },
    });
  });

  it("applies ADDED/MODIFIED/DELETED and advances the resourceVersion on BOOKMARK", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    const { r, store } = reflect(cluster);
    await eventually(() => cluster.watching);
    cluster.emit("ADDED", cluster.pod("b"));
    const modified = cluster.pod("a");
    (modified.status as { phase: string }).phase = "Failed";
    cluster.emit("MODIFIED", modified);
    cluster.emit("DELETED", cluster.pod("b"));
    cluster.emit("BOOKMARK", { metadata: { resourceVersion: "999" } });
    expect([...store.entries.keys()]).toEqual(["uid-a"]);
    expect((store.entries.get("uid-a")!.data as { phase: string }).phase).toBe("Failed");
    expect(r.status()).toMatchObject({ resourceVersion: "999", eventsApplied: 4 });
  });

  it("resumes a cleanly ended watch from the last resourceVersion without relisting or going stale", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    const { r } = reflect(cluster);
    await eventually(() => cluster.watching);
    cluster.emit("ADDED", cluster.pod("b"));
    const last = String(cluster.rv);
    await new Promise((resolve) => setTimeout(resolve, 60)); // a healthy watch: resumed at once
    cluster.end();
    await eventually(() => cluster.watchFrom.length === 2 && cluster.watching);
    expect(cluster.watchFrom[1]).toBe(last);
    expect(cluster.listCalls).toHaveLength(1);
    expect(r.status()).toMatchObject({ relists: 0, watchResumes: 1, staleSince: null, connected: true });
  });

  it("relists on a 410 and replaces the store with the new state", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    cluster.add("b");
    const { r, store } = reflect(cluster);
    await eventually(() => cluster.watching);
    cluster.objects.delete("a");
    cluster.add("c");
    cluster.end(
      new ClusterError("CLUSTER_ERROR", "fake", true, "too old", { httpStatus: 410, reason: "Expired" }),
    );
    await eventually(() => cluster.listCalls.length === 2 && cluster.watching);
    expect([...store.entries.keys()].sort()).toEqual(["uid-b", "uid-c"]);
    expect(cluster.watchFrom.at(-1)).toBe(String(cluster.rv));
    expect(r.status()).toMatchObject({
      relists: 1,
      relistsByCause: { expired: 1 },
      connected: true,
      staleSince: null,
    });
  });

  it("relists only on a 410: errors and clean ends resume the watch, and are not counted as relists", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    const { r } = reflect(cluster);
    await eventually(() => cluster.watching);
    await new Promise((resolve) => setTimeout(resolve, 60));
    cluster.end(new ClusterUnavailableError("fake", "ECONNRESET"));
    await eventually(() => cluster.watchFrom.length === 2 && cluster.watching);
    await new Promise((resolve) => setTimeout(resolve, 60));
    cluster.end();
    await eventually(() => cluster.watchFrom.length === 3 && cluster.watching);
    expect(cluster.listCalls).toHaveLength(1);
    expect(r.status()).toMatchObject({ relists: 0, relistsByCause: {}, watchResumes: 2 });
    cluster.end(new ClusterError("CLUSTER_ERROR", "fake", true, "too old", { httpStatus: 410 }));
    await eventually(() => cluster.listCalls.length === 2 && cluster.watching);
    cluster.end(new ClusterError("CLUSTER_ERROR", "fake", true, "too old", { httpStatus: 410 }));
    await eventually(() => cluster.listCalls.length === 3 && cluster.watching);
    expect(r.status()).toMatchObject({ relists: 2, relistsByCause: { expired: 2 } });
  });

  it("backs off between relists while every watch expires at once (a 410 storm), and relists at once again after a healthy watch", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    const { r } = reflect(cluster, new MapStore(), {
      expiryBackoff: { initialMs: 100, maxMs: 2000, jitter: 0 },
    });
    await eventually(() => cluster.watching);
    const gone = () => new ClusterError("CLUSTER_ERROR", "fake", true, "too old", { httpStatus: 410 });
    const stormEnds = Date.now() + 1000;
    let expired = 0;
    while (Date.now() < stormEnds) {
      if (cluster.watching) {
        cluster.end(gone());
        expired++;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Waits of 0 (the first, after a healthy watch), 100, 200, 400 ms: five lists in a second
    // at most, where relisting at once would list every few milliseconds.
    expect(cluster.listCalls.length).toBeGreaterThanOrEqual(3);
    expect(cluster.listCalls.length).toBeLessThanOrEqual(6);
    // Each expiry relists (the last one may still be waiting).
    expect(r.status().relistsByCause.expired).toBeGreaterThanOrEqual(expired - 1);
    expect(r.status().relistsByCause.expired).toBeLessThanOrEqual(expired);
    // The storm is over: a watch that lives past healthyWatchMs resets the wait.
    await eventually(() => cluster.watching);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const lists = cluster.listCalls.length;
    const startedAt = Date.now();
    cluster.end(gone());
    await eventually(() => cluster.listCalls.length === lists + 1);
    expect(Date.now() - startedAt).toBeLessThan(90);
  });

  it("asks each page for its own deadline, and calls a slow cluster failed only after listAttempts timeouts", async () => {
    const cluster = new FakeCluster();
    for (let i = 0; i < 700; i++) cluster.add(`p${i}`);
    const slow = () => new ClusterTimeoutError("fake", 100);
    cluster.listFailures.push(slow(), slow());
    // A long backoff, cut short by hand: each failed attempt can be looked at before the next.
    const { r } = reflect(cluster, new MapStore(), {
      pageTimeoutMs: 100,
      listAttempts: 3,
      backoff: { initialMs: 60_000, jitter: 0 },
    });
    await eventually(() => r.status().listFailures === 1);
    r.retryNow();
    await eventually(() => r.status().listFailures === 2);
    // Two timeouts: slow, still syncing, not settled.
    expect(r.isSettled).toBe(false);
    expect(r.status().syncFailure).toBeNull();
    r.retryNow();
    await eventually(() => r.isSynced);
    expect(cluster.listCalls.every((c) => c.timeoutMs === 100)).toBe(true);
    expect(r.status()).toMatchObject({ listedPages: 2, listedObjects: 700, list: "idle", syncFailure: null });
    expect(r.status().lastPageAt).toBeInstanceOf(Date);
  });

  it("tells a kind the server does not serve (404) from one it refuses: nothing to sync", async () => {
    const unserved = new FakeCluster();
    unserved.listFailures.push(
      new ClusterError("CLUSTER_ERROR", "fake", false, "the server could not find the requested resource", {
        httpStatus: 404,
      }),
    );
    const { r: cronJobs } = reflect(unserved, new MapStore(), { backoff: { initialMs: 60_000, jitter: 0 } });
    await eventually(() => cronJobs.isSettled);
    expect(cronJobs.isSynced).toBe(false);
    expect(cronJobs.isUnserved).toBe(true);
    const refused = new FakeCluster();
    refused.listFailures.push(new ClusterForbiddenError("fake", "cronjobs is forbidden"));
    const { r: forbidden } = reflect(refused, new MapStore(), { backoff: { initialMs: 60_000, jitter: 0 } });
    await eventually(() => forbidden.isSettled);
    expect(forbidden.isUnserved).toBe(false);
  });

  it("settles at once on a refusal, with its reason, after listAttempts on an outage", async () => {
    const refused = new FakeCluster();
    refused.listFailures.push(new ClusterForbiddenError("fake", "pods is forbidden"));
    // A long backoff: the retry that would succeed does not come during the test.
    const { r: forbidden } = reflect(refused, new MapStore(), {
      listAttempts: 3,
      backoff: { initialMs: 60_000, jitter: 0 },
    });
    await eventually(() => forbidden.isSettled);
    expect(forbidden.status().syncFailure).toEqual({
      reason: "forbidden",
      message: "pods is forbidden",
      attempts: 1,
      since: expect.any(Number) as number,
    });
    const down = new FakeCluster();
    const refusedConnection = () => new ClusterUnavailableError("fake", "ECONNREFUSED");
    down.listFailures.push(
      refusedConnection(),
      refusedConnection(),
      refusedConnection(),
      refusedConnection(),
    );
    const { r: unreachable } = reflect(down, new MapStore(), {
      listAttempts: 3,
      backoff: { initialMs: 60_000, jitter: 0 },
    });
    for (let attempt = 1; attempt <= 2; attempt++) {
      await eventually(() => unreachable.status().listFailures === attempt);
      expect(unreachable.isSettled).toBe(false);
      unreachable.retryNow();
    }
    await eventually(() => unreachable.isSettled);
    expect(unreachable.status().syncFailure).toMatchObject({ reason: "unreachable", attempts: 3 });
    unreachable.retryNow();
    await eventually(() => unreachable.status().listFailures === 4);
    unreachable.retryNow();
    await eventually(() => unreachable.isSynced);
    expect(unreachable.status().syncFailure).toBeNull();
  });

  it("finds a watch lagging when nothing, not even a bookmark, came for the threshold, and caught up when one comes", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    const transitions: string[] = [];
    const { r } = reflect(cluster, new MapStore(), {
      onTransition: (x: Reflector) => transitions.push(x.status().lagging ? "lagging" : "ok"),
    });
    await eventually(() => cluster.watching);
    const start = Date.now();
    expect(r.checkLag(start + 500, 1000)).toBe(false);
    cluster.emit("BOOKMARK", { metadata: { resourceVersion: "200" } });
    // The bookmark is seen at the next check, which restarts the clock.
    expect(r.checkLag(start + 1500, 1000)).toBe(false);
    expect(r.checkLag(start + 2400, 1000)).toBe(false);
    expect(r.checkLag(start + 2600, 1000)).toBe(true);
    expect(r.checkLag(start + 9000, 1000)).toBe(false); // already lagging: counted once
    expect(r.status()).toMatchObject({ lagging: true, watchLags: 1 });
    const before = transitions.length;
    cluster.emit("BOOKMARK", { metadata: { resourceVersion: "201" } });
    cluster.emit("BOOKMARK", { metadata: { resourceVersion: "202" } });
    expect(r.status()).toMatchObject({ lagging: false, watchLags: 1, resourceVersion: "202" });
    expect(transitions.slice(before)).toEqual(["ok"]); // one transition, not one per event
  });

  it("does not call a relist the server asked for (410) stale unless it outlasts relistGraceMs", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    const { r } = reflect(cluster, new MapStore(), { relistGraceMs: 300 });
    await eventually(() => cluster.watching);
    for (const end of ["resume refused", "in the stream"] as const) {
      let release!: () => void;
      cluster.listHold = new Promise<void>((resolve) => (release = resolve));
      const lists = cluster.listCalls.length;
      const endedAt = Date.now();
      // A watch's timeout, then a resume answered 410; or a 410 in an open watch's stream.
      if (end === "resume refused") {
        cluster.watchFailures.push(expired());
        cluster.end();
      } else cluster.end(expired());
      await eventually(() => cluster.listCalls.length === lists + 1);
      expect(r.status()).toMatchObject({ connected: false, staleSince: null });
      expect(r.status().lastError?.expired).toBe(true);
      // Past the grace the refresh has taken too long: stale since the data was last current.
      await new Promise((resolve) => setTimeout(resolve, 350));
      const since = r.status().staleSince;
      expect(since).not.toBeNull();
      expect(Math.abs(since!.getTime() - endedAt)).toBeLessThan(100);
      release();
      cluster.listHold = undefined;
      await eventually(() => cluster.watching && r.status().connected);
      expect(r.status().staleSince).toBeNull();
    }
    expect(r.status().relistsByCause.expired).toBe(2);
  });

  it("tells listeners when a relist waiting for a list permit outlasts relistGraceMs, and stops quietly", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    // The sync scheduler lets the first list run and keeps the relist queued.
    const waiting: AbortSignal[] = [];
    const permit = { pageDone() {}, pageTimedOut() {}, release() {} };
    const scheduler = {
      acquire: (_cluster: string, signal?: AbortSignal) =>
        waiting.push(signal!) === 1
          ? Promise.resolve(permit)
          : new Promise<typeof permit>((_resolve, reject) =>
              signal!.addEventListener("abort", () => reject(signal!.reason as Error)),
            ),
    };
    const heard: (Date | null)[] = [];
    const { r } = reflect(cluster, new MapStore(), {
      relistGraceMs: 200,
      scheduler,
      onTransition: (x: Reflector) => heard.push(x.status().staleSince),
    });
    await eventually(() => cluster.watching);
    const endedAt = Date.now();
    cluster.end(expired());
    await eventually(() => waiting.length === 2 && r.listing === "queued");
    expect(heard.at(-1)).toBeNull();
    // Nothing else happens to the reflector: the grace running out is a transition of its own.
    await eventually(() => heard.at(-1) != null);
    expect(Math.abs(heard.at(-1)!.getTime() - endedAt)).toBeLessThan(100);
    expect(r.listing).toBe("queued");
    const told = heard.length;
    await r.stop();
    expect(waiting[1]!.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(heard.length).toBe(told);
  });

  it("dates a failed refresh from when the data was last current: the watch's end, or a storm's last relist", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    // Every staleness listeners are told, first one first (the retries recover within ms).
    const told: Date[] = [];
    const { r } = reflect(cluster, new MapStore(), {
      relistGraceMs: 60_000,
      expiryBackoff: { initialMs: 300, maxMs: 300, jitter: 0 },
      onTransition: (x: Reflector) => {
        const since = x.status().staleSince;
        if (since !== null && since !== told.at(-1)) told.push(since);
      },
    });
    await eventually(() => cluster.watching);
    // The relist after a 410 fails: stale at once (no grace), since the watch ended.
    const endedAt = Date.now();
    cluster.listFailures.push(new ClusterError("CLUSTER_UNAVAILABLE", "fake", true, "connection refused"));
    cluster.end(expired());
    await eventually(() => told.length === 1 && cluster.watching && r.status().connected);
    expect(Math.abs(told[0]!.getTime() - endedAt)).toBeLessThan(50);
    expect(r.status().staleSince).toBeNull();
    // A storm: the watch ends with 410, the relist succeeds, the resume from it is refused
    // with 410 again, the next relist succeeds later; then the resume fails outright.
    await new Promise((resolve) => setTimeout(resolve, 100)); // a healthy watch: no backoff
    let secondRelistAt = 0;
    const lists = cluster.listCalls.length;
    const stormAt = Date.now();
    cluster.watchFailures.push(expired(), new ClusterError("CLUSTER_UNAVAILABLE", "fake", true, "reset"));
    cluster.end(expired());
    await eventually(
      () => {
        if (cluster.listCalls.length === lists + 2) secondRelistAt ||= Date.now();
        return told.length === 2;
      },
      10_000,
      1,
    );
    // The second relist made the data current, after the storm began (the refused resume backs off).
    expect(secondRelistAt - stormAt).toBeGreaterThanOrEqual(250);
    expect(told[1]!.getTime()).toBeGreaterThanOrEqual(secondRelistAt - 5);
  });

  it("marks the data stale while the watch cannot be resumed, keeps it, and recovers with backoff", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    const { r, store } = reflect(cluster);
    await eventually(() => cluster.watching);
    const down = new ClusterUnavailableError("fake", "ECONNREFUSED");
    cluster.watchFailures.push(down, down, down);
    cluster.end(new ClusterUnavailableError("fake", "ECONNRESET"));
    await eventually(() => r.status().staleSince !== null);
    expect(r.status().connected).toBe(false);
    expect(store.size).toBe(1);
    await eventually(() => cluster.watching);
    expect(cluster.watchFrom).toHaveLength(5); // the first watch, three refused, the one that worked
    expect(cluster.listCalls).toHaveLength(1);
    expect(r.status()).toMatchObject({ staleSince: null, lastError: null, connected: true, relists: 0 });
  });

  it("counts a failing initial list as settled but not synced, and retries until it works", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    cluster.listFailures.push(new ClusterUnavailableError("fake", "ECONNREFUSED"));
    const transitions: boolean[] = [];
    const { r } = reflect(cluster, new MapStore(), {
      onTransition: (x: Reflector) => transitions.push(x.isSynced),
      listAttempts: 1,
    });
    await eventually(() => r.isSettled);
    await eventually(() => r.isSynced && cluster.watching);
    expect(cluster.listCalls).toHaveLength(2);
    expect(transitions[0]).toBe(false);
    expect(r.status().listFailures).toBe(0);
  });

  it("waits out its backoff unless told the cluster is back", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    const store = new MapStore();
    const r = new Reflector(cluster, kindOf("Pod"), store, {
      backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 0 },
      listAttempts: 1,
    });
    reflectors.push(r);
    cluster.listFailures.push(new ClusterUnavailableError("fake", "down"));
    r.start();
    await eventually(() => r.isSettled);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cluster.listCalls).toHaveLength(1);
    r.retryNow();
    await eventually(() => r.isSynced && cluster.watching);
  });

  it("waits at least a 429's Retry-After before listing again, though its backoff is shorter", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    const throttled = (seconds: number) =>
      new ClusterUnavailableError("fake", "Too many requests", {
        httpStatus: 429,
        retryAfterSeconds: seconds,
      });
    cluster.listFailures.push(throttled(1));
    const started = Date.now();
    const { r } = reflect(cluster);
    await eventually(() => cluster.listCalls.length === 1);
    // The breaker closing or a probe answering wakes the reflectors: not before Retry-After.
    r.retryNow();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The backoff (20 ms) alone would have listed again many times by now.
    expect(cluster.listCalls).toHaveLength(1);
    // A server asking to be called later is alive: its cluster is still syncing, not failed.
    expect(r.isSettled).toBe(false);
    expect(r.status().syncFailure).toBeNull();
    await eventually(() => r.isSynced, 3000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(cluster.listCalls).toHaveLength(2);
  });

  it("stops: no more watches, the store keeps its contents", async () => {
    const cluster = new FakeCluster();
    cluster.add("a");
    const { r, store } = reflect(cluster);
    await eventually(() => cluster.watching);
    await r.stop();
    expect(cluster.watching).toBe(false);
    expect(r.status().connected).toBe(false);
    expect(store.size).toBe(1);
  });
});

describe("SyncLog over a reflector", () => {
  it("logs each relist with its cause and resourceVersions, and a lagging watch once, then its catching up", async () => {
    const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const log = new SyncLog(logger);
    const cluster = new FakeCluster();
    cluster.add("a");
    const { r } = reflect(cluster, new MapStore(), { onTransition: (x: Reflector) => log.reflector(x) });
    await eventually(() => cluster.watching);
    const before = r.lastResourceVersion;
    cluster.add("b");
    cluster.end(
      new ClusterError("CLUSTER_ERROR", "fake", true, "too old resource version: 1 (2)", {
        httpStatus: 410,
        reason: "Expired",
      }),
    );
    await eventually(() => lines.some((l) => l.msg.includes("relisted")));
    const relisted = lines.filter((l) => l.msg.includes("relisted"));
    expect(relisted).toHaveLength(1);
    expect(relisted[0]).toMatchObject({
      level: 30,
      cluster: "fake",
      kind: "Pod",
      cause: "HTTP 410: too old resource version: 1 (2)",
      expiredVersion: before,
      resourceVersion: String(cluster.rv),
      relists: 1,
      relistsByCause: { expired: 1 },
      msg: `cluster fake: Pod relisted at resourceVersion ${cluster.rv} (HTTP 410: too old resource version: 1 (2); watch was at ${before})`,
    });
    await eventually(() => cluster.watching);
    const now = Date.now();
    r.checkLag(now, 1000);
    expect(r.checkLag(now + 5000, 1000)).toBe(true);
    r.checkLag(now + 9000, 1000);
    cluster.emit("BOOKMARK", { metadata: { resourceVersion: "900" } });
    cluster.emit("BOOKMARK", { metadata: { resourceVersion: "901" } });
    const lag = lines.filter((l) => l.msg.includes("watch lagging") || l.msg.includes("caught up"));
    expect(lag.map((l) => [l.level, l.msg])).toEqual([
      [40, `cluster fake: Pod watch lagging: no event or bookmark since resourceVersion ${cluster.rv}`],
      [30, "cluster fake: Pod watch caught up"],
    ]);
  });
});

describe("Reflector changes", () => {
  const expired = () =>
    new ClusterError("CLUSTER_ERROR", "fake", true, "too old", { httpStatus: 410, reason: "Expired" });
  const told = (changes: readonly CacheChange[]) =>
    changes.map((c) => `${c.type} ${c.entry.name} ${c.entry.uid}`);

  /** A reflector with a change listener over a fake cluster holding `names` before it lists. */
  function watched(...names: string[]) {
    const cluster = new FakeCluster();
    for (const name of names) cluster.add(name);
    const changes: CacheChange[] = [];
    const listed: string[] = [];
    const { r, store } = reflect(cluster, new MapStore(), {
      onChange: (c: CacheChange) => changes.push(c),
      onListed: (_r: Reflector, rv: string) => listed.push(rv),
    });
    return { cluster, changes, listed, r, store };
  }

  it("tells nothing for the initial list into an empty store, then each watch event", async () => {
    const { cluster, changes, listed } = watched("a");
    await eventually(() => cluster.watching);
    expect(changes).toEqual([]);
    expect(listed).toEqual([String(cluster.rv)]);
    const b = cluster.pod("b");
    cluster.emit("ADDED", b);
    cluster.emit("MODIFIED", cluster.pod("a"));
    cluster.emit("DELETED", cluster.pod("b"));
    expect(told(changes)).toEqual(["ADDED b uid-b", "MODIFIED a uid-a", "DELETED b uid-b"]);
    expect(changes[1]!.previous?.uid).toBe("uid-a");
    expect(changes.map((c) => c.resourceVersion)).toEqual(["102", "103", "104"]);
  });

  it("tells a relist after 410 as ADDED, MODIFIED and DELETED for what changed, deletions first", async () => {
    const { cluster, changes } = watched("keep", "gone", "edited", "recreated");
    await eventually(() => cluster.watching);
    // While the watch cannot say so: one deleted, one edited, one recreated under a new uid, one new.
    cluster.objects.delete("gone");
    cluster.add("edited");
    cluster.add("recreated", "uid-recreated-2");
    cluster.add("new");
    cluster.end(expired());
    await eventually(() => cluster.listCalls.length === 2 && cluster.watching);
    expect(told(changes)).toEqual([
      "DELETED gone uid-gone",
      "DELETED recreated uid-recreated",
      "MODIFIED edited uid-edited",
      "ADDED recreated uid-recreated-2",
      "ADDED new uid-new",
    ]);
    // Every implied change carries the relist's resourceVersion, and what the object was.
    expect(new Set(changes.map((c) => c.resourceVersion))).toEqual(new Set([String(cluster.rv)]));
    const byType = (type: string, name: string) =>
      changes.find((c) => c.type === type && c.entry.name === name)!;
    expect(byType("MODIFIED", "edited").previous!.resourceVersion).toBe(103); // keep 101, gone 102
    expect(byType("DELETED", "gone").previous!.uid).toBe("uid-gone");
    expect(byType("ADDED", "recreated").previous).toBeUndefined();
  });

  it("tells nothing when a relist finds nothing changed", async () => {
    const { cluster, changes, listed } = watched("a", "b");
    await eventually(() => cluster.watching);
    cluster.end(expired());
    await eventually(() => listed.length === 2 && cluster.watching);
    expect(changes).toEqual([]);
  });

  it("tells a relist into a store left empty by the initial list as ADDED", async () => {
    // A cluster with none of the kind at first (no Ingresses yet): its first objects, created
    // while the watch was down, must still be told.
    const { cluster, changes, listed } = watched();
    await eventually(() => cluster.watching);
    cluster.add("first");
    cluster.end(expired());
    await eventually(() => listed.length === 2 && cluster.watching);
    expect(told(changes)).toEqual(["ADDED first uid-first"]);
  });

  it("tells an object recreated under its name with a new uid, seen by the watch, as DELETED then ADDED", async () => {
    const { cluster, changes, store } = watched("a");
    await eventually(() => cluster.watching);
    cluster.emit("ADDED", cluster.pod("a", "uid-a-2"));
    expect(told(changes)).toEqual(["DELETED a uid-a", "ADDED a uid-a-2"]);
    expect(store.get("uid-a-2")?.name).toBe("a");
  });
});
