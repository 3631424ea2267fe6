/**
 * The fleet's list permits: real Reflectors over fake clusters whose pages are slow. The bound on
 * concurrent lists holds across the fleet and per cluster, the limit adapts to page latency, a
 * slow cluster is syncing (never failed) while its pages come, and a page deadline is per page.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CacheEntry } from "../../src/cache/entry.js";
import { Reflector, type ReflectorSource, type ReflectorStore } from "../../src/cache/reflector.js";
import { SyncScheduler } from "../../src/cache/sync-scheduler.js";
import { WatchCache } from "../../src/cache/watch-cache.js";
import type {
  ListPage,
  ListPageOptions,
  WatchHandle,
  WatchHandlers,
} from "../../src/fleet/cluster-connection.js";
import { ClusterTimeoutError } from "../../src/fleet/errors.js";
import type { ResourcePath } from "../../src/fleet/resources.js";
import { kindOf } from "../../src/kinds/index.js";
import type { KubeObject } from "../../src/kube/object.js";
import { eventually } from "../support/eventually.js";

/** Shared by every fake cluster of a test: how many list pages are in flight, and the most seen. */
class InFlight {
  now = 0;
  max = 0;
  readonly perCluster = new Map<string, number>();
  maxPerCluster = 0;
  enter(cluster: string): void {
    this.now++;
    this.max = Math.max(this.max, this.now);
    const n = (this.perCluster.get(cluster) ?? 0) + 1;
    this.perCluster.set(cluster, n);
    this.maxPerCluster = Math.max(this.maxPerCluster, n);
  }
  leave(cluster: string): void {
    this.now--;
    this.perCluster.set(cluster, this.perCluster.get(cluster)! - 1);
  }
}

/** A cluster of `pods` pods whose every page takes `pageMs` (its timer honours the deadline). */
class SlowCluster implements ReflectorSource {
  pages = 0;
  readonly timeouts: number[] = [];
  constructor(
    readonly name: string,
    private readonly pods: number,
    public pageMs: number,
    private readonly inFlight: InFlight,
  ) {}

  listPage(_resource: ResourcePath, options: ListPageOptions): Promise<ListPage> {
    this.inFlight.enter(this.name);
    const start = Number(options.continue ?? 0);
    const limit = options.limit ?? 500;
    return new Promise<ListPage>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(deadline);
        this.inFlight.leave(this.name);
      };
      const timer = setTimeout(() => {
        done();
        this.pages++;
        const end = Math.min(this.pods, start + limit);
        const items: KubeObject[] = [];
        for (let i = start; i < end; i++) items.push(pod(this.name, i));
        resolve({
          items,
          resourceVersion: "10",
          continue: end < this.pods ? String(end) : undefined,
          remainingItemCount: undefined,
        });
      }, this.pageMs);
      const timeoutMs = options.timeoutMs;
      const deadline =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              clearTimeout(timer);
              done();
              this.timeouts.push(start);
              reject(new ClusterTimeoutError(this.name, timeoutMs));
            }, timeoutMs);
    });
  }

  watch(_r: ResourcePath, _rv: string, _h: WatchHandlers): Promise<WatchHandle> {
    return Promise.resolve({ stop: () => undefined });
  }
}

function pod(cluster: string, i: number): KubeObject {
  return {
    metadata: { name: `p${i}`, namespace: "ns", uid: `${cluster}-${i}`, resourceVersion: "10" },
    spec: { containers: [] },
    status: { phase: "Running" },
  };
}

class CountingStore implements ReflectorStore {
  private readonly entries = new Map<string, CacheEntry>();
  upsert(entry: CacheEntry): void {
    this.entries.set(entry.uid, entry);
  }
  remove(uid: string): void {
    this.entries.delete(uid);
  }
  replace(entries: Iterable<CacheEntry>): void {
    this.entries.clear();
    for (const e of entries) this.entries.set(e.uid, e);
  }
  get size(): number {
    return this.entries.size;
  }
  get(uid: string): CacheEntry | undefined {
    return this.entries.get(uid);
  }
  getByName(): CacheEntry | undefined {
    return undefined;
  }
  all(): Iterable<CacheEntry> {
    return this.entries.values();
  }
}

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

describe("SyncScheduler", () => {
  it("holds the fleet's bound and each cluster's while every cluster's kinds list at once", async () => {
    const inFlight = new InFlight();
    const scheduler = new SyncScheduler({
      maxConcurrentLists: 3,
      initialConcurrentLists: 3,
      maxListsPerCluster: 1,
    });
    const clusters = Array.from({ length: 6 }, (_, i) => new SlowCluster(`c${i}`, 1200, 15, inFlight));
    const caches = clusters.map(
      (c) =>
        new WatchCache(c, () => new CountingStore(), {
          kinds: [kindOf("Pod"), kindOf("Service"), kindOf("ConfigMap")],
          scheduler,
          pageSize: 500,
        }),
    );
    running.push(...caches);
    for (const cache of caches) cache.start();
    await eventually(() => scheduler.status().queued > 0);
    // While lists wait, a cluster's progress says so.
    expect(caches.some((c) => c.syncProgress().kindsQueued > 0)).toBe(true);
    await eventually(() => caches.every((c) => c.synced), 20_000);
    expect(inFlight.max).toBe(3);
    expect(inFlight.maxPerCluster).toBe(1);
    expect(scheduler.status()).toMatchObject({ active: 0, queued: 0 });
    for (const cache of caches) expect(cache.objects).toBe(3 * 1200);
  });

  it("grows the limit while pages are fast and cuts it when they are slow", async () => {
    let now = 0;
    const scheduler = new SyncScheduler({
      maxConcurrentLists: 8,
      initialConcurrentLists: 2,
      pageTargetMs: 100,
      now: () => now,
    });
    const permit = await scheduler.acquire("c");
    for (let i = 0; i < 40; i++) permit.pageDone(20);
    expect(scheduler.limit).toBe(8);
    now += 1000;
    permit.pageDone(500);
    expect(scheduler.limit).toBe(6);
    // The same congested moment counts once.
    permit.pageDone(500);
    permit.pageTimedOut();
    expect(scheduler.limit).toBe(6);
    now += 1000;
    permit.pageTimedOut();
    expect(scheduler.limit).toBe(4);
    for (let i = 0; i < 20; i++) {
      now += 1000;
      permit.pageTimedOut();
    }
    expect(scheduler.limit).toBe(1);
    permit.release();
  });

  it("lets a waiting list go when its reflector stops, without leaking the permit", async () => {
    const scheduler = new SyncScheduler({ maxConcurrentLists: 1, initialConcurrentLists: 1 });
    const first = await scheduler.acquire("a");
    const abort = new AbortController();
    const waiting = scheduler.acquire("b", abort.signal);
    expect(scheduler.status()).toMatchObject({ active: 1, queued: 1 });
    abort.abort(new Error("stopped"));
    await expect(waiting).rejects.toThrow("stopped");
    expect(scheduler.status()).toMatchObject({ active: 1, queued: 0 });
    first.release();
    first.release(); // twice is once
    expect(scheduler.status()).toMatchObject({ active: 0, queued: 0 });
    (await scheduler.acquire("c")).release();
  });

  it("keeps a slow cluster syncing while its pages come, each page under its own deadline", async () => {
    const inFlight = new InFlight();
    const scheduler = new SyncScheduler({ maxConcurrentLists: 2 });
    // 5 pages of 120 ms: 600 ms in all, well past a 200 ms deadline that applies per page.
    const slow = new SlowCluster("slow", 2500, 120, inFlight);
    const reflector = new Reflector(slow, kindOf("Pod"), new CountingStore(), {
      scheduler,
      pageTimeoutMs: 200,
      listAttempts: 1,
      backoff: { initialMs: 20, maxMs: 50 },
    });
    running.push(reflector);
    reflector.start();
    await eventually(() => reflector.status().listedPages >= 2);
    expect(reflector.status()).toMatchObject({ synced: false, list: "listing", syncFailure: null });
    expect(reflector.isSettled).toBe(false);
    await eventually(() => reflector.isSynced, 5000);
    expect(slow.timeouts).toEqual([]);
    expect(reflector.status()).toMatchObject({ listedPages: 5, listedObjects: 2500, objects: 2500 });
    // Slower than its deadline, a page fails (and is retried), but only that page's wait counts.
    slow.pageMs = 300;
    const late = new Reflector(slow, kindOf("Service"), new CountingStore(), {
      scheduler,
      pageTimeoutMs: 200,
      listAttempts: 2,
      backoff: { initialMs: 20, maxMs: 50 },
    });
    running.push(late);
    late.start();
    await eventually(() => late.isSettled, 5000);
    expect(late.status().syncFailure).toMatchObject({ reason: "timeout", attempts: 2 });
    expect(slow.timeouts.length).toBeGreaterThanOrEqual(2);
  });
});
