/**
 * The watch caches of one cluster: a Reflector per cached kind, writing into the fleet index,
 * and the cluster's freshness as the API reports it. When the cluster's circuit breaker closes
 * again (it is back), reflectors waiting out a backoff retry at once instead of after up to 30 s.
 */
import type { ClusterConnection } from "../fleet/cluster-connection.js";
import type { BreakerState } from "../fleet/circuit-breaker.js";
import type { CachedKind } from "./entry.js";
import type { CachedKindSpec } from "./kind-spec.js";
import { newerVersion } from "./resource-version.js";
import type { SyncFailure } from "./sync-failure.js";
import {
  Reflector,
  type ReflectorOptions,
  type ReflectorSource,
  type ReflectorStatus,
  type ReflectorStore,
} from "./reflector.js";

export interface CacheFreshness {
  /** Every kind finished its initial list. */
  synced: boolean;
  /** The earliest `staleSince` of the cluster's kinds; null when every watch is up. */
  staleSince: Date | null;
  /** The newest resourceVersion seen across kinds (numeric order where they are numbers). */
  resourceVersion: string;
  /** The kinds the server does not serve (never synced, their list answered 404); absent when none. */
  unserved?: CachedKind[];
}

/** One cluster's initial sync, as /readyz and the sync log tell it. */
export interface ClusterSyncProgress {
  cluster: string;
  /**
   * synced: every kind listed; failed: some kind's initial list failed for a stated reason;
   * syncing: lists under way or waiting for a permit (however slow, the cluster answers).
   */
  state: "synced" | "syncing" | "failed";
  /** Objects the caches hold. */
  objects: number;
  /** Kinds listed, of all the cluster's kinds. */
  kindsSynced: number;
  kinds: number;
  /** Pages and objects of the lists under way. */
  listedPages: number;
  listedObjects: number;
  /** Kinds waiting for a list permit. */
  kindsQueued: number;
  /** The first failing kind's failure (or the health probe's verdict), when `state` is failed. */
  failure?: SyncFailure & { kind?: CachedKind };
}

export interface ClusterCacheStatus extends CacheFreshness {
  cluster: string;
  /** Every kind synced or failed its initial list (down, forbidden): waiting longer will not help. */
  settled: boolean;
  objects: number;
  kinds: Record<CachedKind, ReflectorStatus>;
}

export interface WatchCacheOptions extends Omit<ReflectorOptions, "onTransition"> {
  /** The kinds to keep in sync (src/kinds: every cached kind, in the gateway). */
  kinds: readonly CachedKindSpec[];
  /** Called when a reflector changes state (synced, connected, disconnected, failed). */
  onTransition?: (cache: WatchCache, reflector: Reflector) => void;
}

/** The store of one (cluster, kind); FleetIndex.store(cluster, kind) in the gateway. */
export type StoreFor = (cluster: string, kind: CachedKind) => ReflectorStore;

export class WatchCache {
  readonly cluster: string;
  private readonly reflectors = new Map<CachedKind, Reflector>();
  private readonly onBreaker: ((state: BreakerState, previous: BreakerState) => void) | undefined;
  private started = false;

  constructor(
    private readonly source: ReflectorSource | ClusterConnection,
    storeFor: StoreFor,
    options: WatchCacheOptions,
  ) {
    this.cluster = source.name;
    const { kinds, onTransition, ...reflectorOptions } = options;
    for (const spec of kinds) {
      const kind = spec.kind;
      const reflector = new Reflector(source, spec, storeFor(this.cluster, kind), {
        ...reflectorOptions,
        ...(onTransition ? { onTransition: (r: Reflector) => onTransition(this, r) } : {}),
      });
      this.reflectors.set(kind, reflector);
    }
    if ("breaker" in source) {
      this.onBreaker = (state, previous) => {
        if (state === "closed" && previous !== "closed") this.retryNow();
      };
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.onBreaker && "breaker" in this.source) this.source.on("breaker", this.onBreaker);
    for (const reflector of this.reflectors.values()) reflector.start();
  }

  /** Stops every reflector; the stores keep their contents (the caller drops them if it wants). */
  async stop(): Promise<void> {
    if (this.onBreaker && "breaker" in this.source) this.source.off("breaker", this.onBreaker);
    this.started = false;
    await Promise.all([...this.reflectors.values()].map((r) => r.stop()));
  }

  retryNow(): void {
    for (const reflector of this.reflectors.values()) reflector.retryNow();
  }

  reflector(kind: CachedKind): Reflector | undefined {
    return this.reflectors.get(kind);
  }

  get synced(): boolean {
    for (const r of this.reflectors.values()) if (!r.isSynced) return false;
    return true;
  }

  get settled(): boolean {
    for (const r of this.reflectors.values()) if (!r.isSettled) return false;
    return true;
  }

  get objects(): number {
    let total = 0;
    for (const r of this.reflectors.values()) total += r.objects;
    return total;
  }

  /** A list page arrived since `since` (epoch ms): the cluster answers, however slowly. */
  listedSince(since: number): boolean {
    for (const r of this.reflectors.values()) if (r.listedSince(since)) return true;
    return false;
  }

  /** Some kind not synced yet failed a list attempt (its server refused or did not answer). */
  get listFailed(): boolean {
    for (const r of this.reflectors.values()) if (!r.isSynced && r.failedLists > 0) return true;
    return false;
  }

  /** See Reflector.checkLag; returns how many kinds have just become lagging. */
  checkLag(now: number, thresholdMs: number): number {
    let lagging = 0;
    for (const r of this.reflectors.values()) if (r.checkLag(now, thresholdMs)) lagging++;
    return lagging;
  }

  /** The initial sync's progress: `failed` once every kind not synced failed for a stated reason. */
  syncProgress(): ClusterSyncProgress {
    const progress: ClusterSyncProgress = {
      cluster: this.cluster,
      state: "synced",
      objects: 0,
      kindsSynced: 0,
      kinds: this.reflectors.size,
      listedPages: 0,
      listedObjects: 0,
      kindsQueued: 0,
    };
    let unsettled = 0;
    for (const [kind, r] of this.reflectors) {
      const s = r.status();
      progress.objects += s.objects;
      if (s.synced) {
        progress.kindsSynced++;
        continue;
      }
      if (s.list === "queued") progress.kindsQueued++;
      progress.listedPages += s.listedPages;
      progress.listedObjects += s.listedObjects;
      if (!s.syncFailure) unsettled++;
      else progress.failure ??= { ...s.syncFailure, kind };
    }
    if (progress.kindsSynced < progress.kinds) progress.state = unsettled > 0 ? "syncing" : "failed";
    return progress;
  }

  /**
   * What every answer reports per cluster, read without building the per-kind status: of the
   * given kinds (a list of pods depends on the pod cache only, not on whether Secrets are
   * forbidden), or of every kind.
   */
  freshness(kinds?: readonly CachedKind[]): CacheFreshness {
    let synced = true;
    let staleSince: Date | null = null;
    let resourceVersion = "";
    let unserved: CachedKind[] | undefined;
    const reflectors =
      kinds === undefined
        ? this.reflectors.values()
        : kinds.map((k) => this.reflectors.get(k)).filter((r): r is Reflector => r !== undefined);
    for (const reflector of reflectors) {
      if (!reflector.isSynced) synced = false;
      if (reflector.isUnserved) (unserved ??= []).push(reflector.kind);
      const since = reflector.staleSinceDate;
      if (since && (!staleSince || since < staleSince)) staleSince = since;
      const version = reflector.lastResourceVersion;
      if (newerVersion(version, resourceVersion)) resourceVersion = version;
    }
    return unserved
      ? { synced, staleSince, resourceVersion, unserved }
      : { synced, staleSince, resourceVersion };
  }

  status(): ClusterCacheStatus {
    const kinds = {} as Record<CachedKind, ReflectorStatus>;
    let objects = 0;
    for (const [kind, reflector] of this.reflectors) {
      const s = reflector.status();
      kinds[kind] = s;
      objects += s.objects;
    }
    return {
      cluster: this.cluster,
      ...this.freshness(),
      settled: this.settled,
      objects,
      kinds,
    };
  }
}
