/**
 * The watch caches of the whole fleet: one WatchCache per registered cluster, started and stopped
 * as the registry's clusters come and go, writing into one FleetIndex. It reports sync progress
 * (clusters synced of total, objects, each cluster's lists under way) and answers /readyz through
 * `whenSynced`. Every list of every cluster waits for a permit of one SyncScheduler, and a timer
 * looks for watches that stopped carrying bookmarks (lagging: their history may expire).
 */
import { pino, type Logger } from "pino";
import type { ClusterConnection } from "../fleet/cluster-connection.js";
import type { FleetRegistry } from "../fleet/registry.js";
import type { ChangeFeed } from "./change-feed.js";
import type { CachedKind } from "./entry.js";
import type { FleetIndex } from "./fleet-index.js";
import type { CachedKindSpec } from "./kind-spec.js";
import type { Reflector } from "./reflector.js";
import type { SyncFailureReason } from "./sync-failure.js";
import { SyncLog } from "./sync-log.js";
import { SyncScheduler, type SyncSchedulerOptions, type SyncSchedulerStatus } from "./sync-scheduler.js";
import {
  WatchCache,
  type CacheFreshness,
  type ClusterCacheStatus,
  type ClusterSyncProgress,
  type WatchCacheOptions,
} from "./watch-cache.js";

export interface SyncProgress {
  clustersTotal: number;
  clustersSynced: number;
  /** Settled without syncing: unreachable, or some kind forbidden. */
  clustersGaveUp: number;
  objects: number;
}

/** Why a cluster's initial sync was given up: a list's failure, or its health probe's verdict. */
export interface SyncGiveUp {
  cluster: string;
  reason: SyncFailureReason;
  message: string;
}

export interface SyncReport extends SyncProgress {
  /** Every cluster synced or gave up before the timeout. */
  complete: boolean;
  synced: string[];
  gaveUp: string[];
  pending: string[];
  /** Why each of `gaveUp` gave up, in the same order. */
  failures: SyncGiveUp[];
  /** The initial sync of each pending cluster, how far it got. */
  syncing: ClusterSyncProgress[];
  /** The fleet's list permits. */
  lists: SyncSchedulerStatus;
}

export interface FleetCacheOptions {
  /** The kinds every cluster's cache keeps (src/kinds). */
  kinds: readonly CachedKindSpec[];
  logger?: Logger;
  /** Called when a cluster syncs, gives up, or joins or leaves the fleet. */
  onProgress?: (progress: SyncProgress) => void;
  /** Called when one of a cluster's reflectors changes state, or the cluster joins or leaves. */
  onClusterChange?: (cluster: string) => void;
  /** Settings for every cluster's reflectors. */
  cache?: Omit<WatchCacheOptions, "onTransition" | "kinds" | "onChange" | "onListed">;
  /** Where every applied change goes (subscriptions read it). */
  changes?: Pick<ChangeFeed, "publish" | "listed" | "dropCluster">;
  /** Bounds on the fleet's concurrent lists (SyncScheduler). */
  lists?: SyncSchedulerOptions;
  /** A watch that carries nothing, bookmarks included, for this long is lagging. Default 150 s. */
  watchLagMs?: number;
}

/** A page of 500 objects from a busy server: far longer than a query's requestTimeoutMs. */
export const DEFAULT_LIST_PAGE_TIMEOUT_MS = 60_000;

type Index = Pick<FleetIndex, "store" | "dropCluster">;

export class FleetCache {
  private readonly caches = new Map<string, WatchCache>();
  private readonly waiters = new Set<() => void>();
  private readonly logger: Logger;
  private readonly syncLog: SyncLog;
  // A cluster added to a running fleet: subscribers hear of its objects as ADDED.
  private readonly onAdded = (c: ClusterConnection): void => this.startCluster(c, true);
  private readonly onRemoved = (c: ClusterConnection): void => void this.stopCluster(c.name);
  private readonly onHealth = (): void => this.progressChanged();
  private running = false;
  private reportedComplete = false;
  private lastProgress: SyncProgress | undefined;
  private readonly scheduler: SyncScheduler;
  private readonly watchLagMs: number;
  private lagTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: FleetRegistry,
    private readonly index: Index,
    private readonly options: FleetCacheOptions,
  ) {
    this.logger = options.logger ?? pino({ level: "silent" });
    this.syncLog = new SyncLog(this.logger);
    const pageTimeoutMs = options.cache?.pageTimeoutMs ?? DEFAULT_LIST_PAGE_TIMEOUT_MS;
    // Pages nearing their deadline are what fewer lists at once would help.
    this.scheduler = new SyncScheduler({ pageTargetMs: pageTimeoutMs / 4, ...options.lists });
    this.watchLagMs = options.watchLagMs ?? 150_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.registry.on("added", this.onAdded);
    this.registry.on("removed", this.onRemoved);
    this.registry.on("health", this.onHealth);
    for (const connection of this.registry.list()) this.startCluster(connection);
    this.logger.info({ clusters: this.caches.size, lists: this.scheduler.status() }, "cache sync started");
    // A quarter of the threshold: a lagging watch is noticed within 1.25 thresholds.
    this.lagTimer = setInterval(() => this.checkLag(), Math.max(250, this.watchLagMs / 4));
    this.lagTimer.unref();
  }

  private checkLag(): void {
    const now = Date.now();
    for (const cache of this.caches.values()) cache.checkLag(now, this.watchLagMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.lagTimer);
    this.registry.off("added", this.onAdded);
    this.registry.off("removed", this.onRemoved);
    this.registry.off("health", this.onHealth);
    await Promise.all([...this.caches.values()].map((cache) => cache.stop()));
    this.caches.clear();
    this.wakeWaiters();
  }

  cache(cluster: string): WatchCache | undefined {
    return this.caches.get(cluster);
  }

  /** The per-cluster freshness the API reports; undefined for an unknown cluster. */
  status(cluster: string): ClusterCacheStatus | undefined {
    return this.caches.get(cluster)?.status();
  }

  /** The cluster's initial sync, `failed` as /readyz counts it (its health probe included). */
  syncProgress(cluster: string): ClusterSyncProgress | undefined {
    const cache = this.caches.get(cluster);
    if (!cache) return undefined;
    const progress = cache.syncProgress();
    if (progress.state !== "syncing" || !this.gaveUp(cache)) return progress;
    const { reason, message } = this.giveUpOf(cache);
    return { ...progress, state: "failed", failure: { reason, message, attempts: 0, since: Date.now() } };
  }

  freshness(cluster: string, kinds?: readonly CachedKind[]): CacheFreshness | undefined {
    return this.caches.get(cluster)?.freshness(kinds);
  }

  progress(): SyncProgress {
    let clustersSynced = 0;
    let clustersGaveUp = 0;
    let objects = 0;
    for (const cache of this.caches.values()) {
      if (cache.synced) clustersSynced++;
      else if (this.gaveUp(cache)) clustersGaveUp++;
      objects += cache.objects;
    }
    return { clustersTotal: this.caches.size, clustersSynced, clustersGaveUp, objects };
  }

  /**
   * Resolves when every cluster is synced or has given up (its initial lists failed, or its
   * health probe calls it UNREACHABLE), or when `timeoutMs` passes. Never rejects: the report
   * says which clusters are still pending.
   */
  whenSynced(timeoutMs: number): Promise<SyncReport> {
    if (this.complete()) return Promise.resolve(this.report());
    return new Promise<SyncReport>((resolve) => {
      const check = (): void => {
        if (this.complete() || !this.running) finish();
      };
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(this.report());
      };
      const timer = setTimeout(finish, timeoutMs);
      timer.unref();
      this.waiters.add(check);
    });
  }

  private startCluster(connection: ClusterConnection, joined = false): void {
    if (!this.running) return;
    // A reconnected cluster (settings changed) replaces its predecessor's cache.
    const previous = this.caches.get(connection.name);
    if (previous) void previous.stop();
    const feed = this.options.changes;
    const cache: WatchCache = new WatchCache(
      connection,
      (cluster, kind: CachedKind) => this.index.store(cluster, kind),
      {
        ...this.options.cache,
        kinds: this.options.kinds,
        scheduler: this.scheduler,
        onTransition: (c, r) => this.transition(c, r),
        ...(joined ? { tellFirstList: true } : {}),
        ...(feed
          ? {
              // A predecessor still stopping must not speak for the cluster.
              onChange: (change) => {
                if (this.caches.get(change.cluster) === cache) feed.publish(change);
              },
              onListed: (r, version) => feed.listed(r.cluster, r.kind, version),
            }
          : {}),
      },
    );
    this.caches.set(connection.name, cache);
    cache.start();
    this.reportedComplete = false;
    this.progressChanged();
  }

  private async stopCluster(name: string): Promise<void> {
    const cache = this.caches.get(name);
    if (!cache) return;
    this.caches.delete(name);
    this.syncLog.forget(name);
    await cache.stop();
    // A removed cluster's objects must not be served; a reconnected one relists into fresh stores.
    if (!this.caches.has(name)) {
      this.index.dropCluster(name);
      this.options.changes?.dropCluster(name);
    }
    this.progressChanged();
  }

  /**
   * Its kinds each synced or failed for a stated reason; or its health probe gets no answer, a
   * list failed too, and no list page came since the probe said so. A cluster whose lists are
   * merely slow (no failure) or whose pages keep coming is syncing, not gone.
   */
  private gaveUp(cache: WatchCache): boolean {
    if (cache.synced) return false;
    if (cache.settled) return true;
    const health = this.registry.health(cache.cluster);
    if (health?.status !== "UNREACHABLE" || !cache.listFailed) return false;
    return !cache.listedSince(health.since.getTime());
  }

  private giveUpOf(cache: WatchCache): SyncGiveUp {
    const failure = cache.syncProgress().failure;
    if (failure) {
      return {
        cluster: cache.cluster,
        reason: failure.reason,
        message: failure.kind ? `${failure.kind}: ${failure.message}` : failure.message,
      };
    }
    const health = this.registry.health(cache.cluster);
    const why = health?.lastError ? `: ${health.lastError.summary}` : "";
    return {
      cluster: cache.cluster,
      reason: "unreachable",
      message: `health probe: no answer since ${health?.since.toISOString()}${why}`,
    };
  }

  private complete(): boolean {
    for (const cache of this.caches.values()) if (!cache.synced && !this.gaveUp(cache)) return false;
    return true;
  }

  private report(): SyncReport {
    const synced: string[] = [];
    const gaveUp: string[] = [];
    const pending: string[] = [];
    const failures: SyncGiveUp[] = [];
    const syncing: ClusterSyncProgress[] = [];
    for (const cache of this.caches.values()) {
      if (cache.synced) synced.push(cache.cluster);
      else if (this.gaveUp(cache)) {
        gaveUp.push(cache.cluster);
        failures.push(this.giveUpOf(cache));
      } else {
        pending.push(cache.cluster);
        syncing.push(cache.syncProgress());
      }
    }
    return {
      ...this.progress(),
      complete: pending.length === 0,
      synced,
      gaveUp,
      pending,
      failures,
      syncing,
      lists: this.scheduler.status(),
    };
  }

  private transition(cache: WatchCache, reflector: Reflector): void {
    if (this.caches.get(cache.cluster) !== cache) return;
    this.syncLog.reflector(reflector);
    this.progressChanged();
    this.options.onClusterChange?.(cache.cluster);
  }

  /** Called on reflector transitions and health changes, never per event; logs only count changes. */
  private progressChanged(): void {
    const progress = this.progress();
    for (const cache of this.caches.values())
      this.syncLog.cluster(cache, this.gaveUp(cache), this.registry.health(cache.cluster));
    const last = this.lastProgress;
    this.lastProgress = progress;
    const changed =
      !last ||
      last.clustersTotal !== progress.clustersTotal ||
      last.clustersSynced !== progress.clustersSynced ||
      last.clustersGaveUp !== progress.clustersGaveUp;
    if (changed) {
      this.options.onProgress?.(progress);
      const complete = this.complete();
      if (complete && !this.reportedComplete && this.caches.size > 0) {
        this.reportedComplete = true;
        // "complete" only when it is: every cluster synced; otherwise it ended with failures.
        if (progress.clustersGaveUp === 0) this.logger.info(progress, "cache sync complete");
        else {
          const failures = this.report().failures.map((f) => `${f.cluster} (${f.reason})`);
          this.logger.warn(
            { ...progress, failures },
            `cache sync ended: ${progress.clustersSynced} of ${progress.clustersTotal} clusters synced, ` +
              `${progress.clustersGaveUp} failed: ${failures.join(", ")}`,
          );
        }
      } else if (!complete) {
        this.logger.info(progress, "cache sync progress");
      }
    }
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    for (const check of [...this.waiters]) check();
  }
}
