/**
 * One (cluster, kind) kept in sync, client-go `tools/cache` Reflector style:
 *   list (pages of 500 + continue) -> store.replace -> watch from the list's resourceVersion with
 *   bookmarks -> apply events -> on end resume from the last resourceVersion (backoff + jitter)
 *   -> on 410 Expired relist.
 * The store keeps serving its last contents while the watch is down; `staleSince` says since when
 * events may be missing. Nothing here logs or allocates per event beyond the projection itself.
 *
 * Lists (the first and every relist) run under a permit of the fleet's ListScheduler, each page
 * under its own deadline (`pageTimeoutMs`, not the queries' requestTimeoutMs: a busy server may
 * take longer for 500 pods), and each page is projected as it arrives, its raw objects dropped.
 * A page that times out says the server is slow: the list is retried, and the initial sync is
 * called failed only after `listAttempts` such failures (at once for a refusal or a TLS failure).
 */
import type {
  ListPage,
  ListPageOptions,
  WatchHandle,
  WatchHandlers,
  WatchOptions,
} from "../fleet/cluster-connection.js";
import { Backoff, type BackoffOptions } from "../fleet/backoff.js";
import { ClusterTimeoutError, toClusterError, type ClusterError } from "../fleet/errors.js";
import type { KubeObject } from "../kube/object.js";
import type { ResourcePath } from "../fleet/resources.js";
import type { ChangeListener } from "./change.js";
import { entryUid, toEntry, type CacheEntry, type CachedKind } from "./entry.js";
import type { CachedKindSpec } from "./kind-spec.js";
import { settlesSync, syncFailureReason, type SyncFailure } from "./sync-failure.js";
import type { ListPermit, ListScheduler } from "./sync-scheduler.js";

/** What a reflector needs of a cluster connection (ClusterConnection satisfies it). */
export interface ReflectorSource {
  readonly name: string;
  listPage(resource: ResourcePath, options: ListPageOptions): Promise<ListPage>;
  watch(
    resource: ResourcePath,
    resourceVersion: string,
    handlers: WatchHandlers,
    options?: WatchOptions,
  ): Promise<WatchHandle>;
}

/** What a reflector writes to (IndexedStore satisfies it). */
export interface ReflectorStore {
  upsert(entry: CacheEntry): void;
  remove(uid: string): void;
  replace(entries: Iterable<CacheEntry>): void;
  readonly size: number;
  /** What the change feed needs to say what a write changed. */
  get(uid: string): CacheEntry | undefined;
  getByName(namespace: string, name: string): CacheEntry | undefined;
  all(): Iterable<CacheEntry>;
}

export interface ReflectorOptions {
  /** Items per list page. Default 500. */
  pageSize?: number;
  /** Reconnect and retry delays; the cap defaults to 30 s. */
  backoff?: BackoffOptions;
  /** Between relists when watches expire again at once (410 storms). Default 100 ms to 2 s. */
  expiryBackoff?: BackoffOptions;
  /**
   * A relist the server asked for (410: our resourceVersion left its history) refreshes data that
   * was current when the watch ended: it is reported stale only if the refresh takes longer than
   * this. Default 5 s.
   */
  relistGraceMs?: number;
  /** A watch that lived this long (or delivered an event) counts as healthy. Default 1 s. */
  healthyWatchMs?: number;
  /** Server-side watch timeout range in seconds, picked at random per watch. Default [300, 600]. */
  watchTimeoutSeconds?: readonly [number, number];
  /** Called on state transitions (synced, connected, disconnected, failures): never per event. */
  onTransition?: (reflector: Reflector) => void;
  /**
   * Called for every change applied after the initial list, relists included (as the changes
   * they imply), synchronously and in order. Listeners must not throw or write to the store.
   */
  onChange?: ChangeListener;
  /** Tell the first list's objects as ADDED (a cluster that joined a running fleet). */
  tellFirstList?: boolean;
  /** Called after each successful list with its resourceVersion (the first one included). */
  onListed?: (reflector: Reflector, resourceVersion: string) => void;
  /** Whose permit every list waits for (the fleet's); without one, lists start at once. */
  scheduler?: ListScheduler;
  /** The deadline of each list page. Default: the connection's requestTimeoutMs. */
  pageTimeoutMs?: number;
  /** Failed list attempts in a row (unreachable, 5xx, timeouts) that fail the initial sync. Default 3. */
  listAttempts?: number;
}

/** Where a reflector's current list stands. */
export type ListState = "idle" | "queued" | "listing";

export interface ReflectorStatus {
  kind: CachedKind;
  /** The initial list has completed (stays true through later relists and outages). */
  synced: boolean;
  resourceVersion: string;
  /** A watch is open. */
  connected: boolean;
  /** Since when the watch has been down and events may be missing; null when connected. */
  staleSince: Date | null;
  lastError: ClusterError | null;
  /** List attempts that failed since the last successful list. */
  listFailures: number;
  objects: number;
  eventsApplied: number;
  /** Lists after the initial one (410 Expired, or any watch resume that could not continue). */
  relists: number;
  /** Watches opened after the first one (resumes from a resourceVersion). */
  watchResumes: number;
  /** `relists` by what made the list necessary. */
  relistsByCause: Partial<Record<RelistCause, number>>;
  /** Waiting for a list permit, listing, or neither. */
  list: ListState;
  /** Pages and objects of the list under way (or of the last one, once done). */
  listedPages: number;
  listedObjects: number;
  /** When the last list page arrived. */
  lastPageAt: Date | null;
  /** Why the initial sync failed; null while it may still succeed (or once it has). */
  syncFailure: SyncFailure | null;
  /** No bookmark or event for longer than the lag threshold while the watch is open. */
  lagging: boolean;
  /** Times the watch was found lagging. */
  watchLags: number;
}

/**
 * Why a reflector listed again: "expired", the watch's resourceVersion fell out of the server's
 * history (410 Gone).
 */
export type RelistCause = "expired";

interface WatchOutcome {
  error: ClusterError | undefined;
  /** Lived long enough or carried events: a later failure starts the backoff over. */
  healthy: boolean;
}

export class Reflector {
  readonly cluster: string;
  readonly kind: CachedKind;
  private running = false;
  private synced = false;
  private needsList = true;
  private resourceVersion = "";
  private connected = false;
  private staleSince: Date | null = null;
  /**
   * Set while a relist the server asked for (410) refreshes the store: when the data was last
   * known current (epoch ms). Not staleness unless it lasts past relistGraceMs.
   */
  private refreshingSince: number | null = null;
  /**
   * Fires when the grace of a refresh runs out: staleness past it is read off the clock, and
   * listeners (cluster outcomes, clusterChanges) hear of it when it begins, not when it ends.
   */
  private graceTimer: NodeJS.Timeout | undefined;
  /** When the last watch ended; a failure to resume dates the staleness from here. */
  private disconnectedAt: Date | null = null;
  private lastError: ClusterError | null = null;
  private listFailures = 0;
  private eventsApplied = 0;
  private lists = 0;
  private watches = 0;
  /** Why the next list is needed (undefined: the initial list). */
  private relistCause: RelistCause | undefined;
  private readonly relistsByCause: Partial<Record<RelistCause, number>> = {};
  private listState: ListState = "idle";
  private listedPages = 0;
  private listedObjects = 0;
  private lastPageAt = 0;
  private syncFailure: SyncFailure | null = null;
  /** When checkLag last saw the watch carry something (epoch ms), and eventsApplied then. */
  private lastHeardAt = 0;
  private heardEvents = 0;
  private lagging = false;
  private watchLags = 0;
  private readonly listAttempts: number;
  private readonly backoff: Backoff;
  /**
   * Between relists forced by watches that expired again at once (a 410 storm: the server keeps
   * less history than a list and its watch take). Capped low so that the cache is fresh again
   * within a few seconds of the storm's end.
   */
  private readonly expiryBackoff: Backoff;
  private readonly pageSize: number;
  private readonly healthyWatchMs: number;
  private readonly relistGraceMs: number;
  private readonly watchTimeout: readonly [number, number];
  private listAbort: AbortController | undefined;
  private endWatch: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly source: ReflectorSource,
    private readonly spec: CachedKindSpec,
    private readonly store: ReflectorStore,
    private readonly options: ReflectorOptions = {},
  ) {
    this.cluster = source.name;
    this.kind = spec.kind;
    this.backoff = new Backoff(options.backoff);
    this.expiryBackoff = new Backoff(options.expiryBackoff ?? { initialMs: 100, maxMs: 2000 });
    this.pageSize = options.pageSize ?? 500;
    this.healthyWatchMs = options.healthyWatchMs ?? 1000;
    this.relistGraceMs = options.relistGraceMs ?? 5000;
    this.watchTimeout = options.watchTimeoutSeconds ?? [300, 600];
    this.listAttempts = Math.max(1, options.listAttempts ?? 3);
  }

  get isSynced(): boolean {
    return this.synced;
  }

  /** Never listed because the server does not serve the kind (404): nothing to wait for. */
  get isUnserved(): boolean {
    return !this.synced && this.syncFailure?.reason === "not-served";
  }

  /** Since when the watch has been down (null while it is up); status() has the full report. */
  get staleSinceDate(): Date | null {
    if (this.staleSince !== null || this.refreshingSince === null) return this.staleSince;
    return Date.now() - this.refreshingSince >= this.relistGraceMs ? new Date(this.refreshingSince) : null;
  }

  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /** Synced, or the initial list failed for a stated reason (see sync-failure.ts). */
  get isSettled(): boolean {
    return this.synced || this.failedSync() !== null;
  }

  /** Pages arrived since `since` (epoch ms): the list is moving, however slowly. */
  listedSince(since: number): boolean {
    return this.lastPageAt >= since;
  }

  get listing(): ListState {
    return this.listState;
  }

  get objects(): number {
    return this.store.size;
  }

  /** List attempts that failed since the last successful list. */
  get failedLists(): number {
    return this.listFailures;
  }

  /**
   * Marks the open watch lagging when it carried nothing (not even a bookmark) for `thresholdMs`:
   * the server's bookmarks stopped, and its history may expire before the watch catches up.
   * Called on a timer, never per event. Returns whether it has just become lagging.
   */
  checkLag(now: number, thresholdMs: number): boolean {
    // Compared here, on the timer, so that the event path only counts.
    if (this.eventsApplied !== this.heardEvents) {
      this.heardEvents = this.eventsApplied;
      this.lastHeardAt = now;
      return false;
    }
    if (!this.connected || this.lagging || now - this.lastHeardAt < thresholdMs) return false;
    this.lagging = true;
    this.watchLags++;
    this.notify();
    return true;
  }

  private failedSync(): SyncFailure | null {
    const failure = this.syncFailure;
    if (this.synced || !failure) return null;
    return settlesSync(failure, this.listAttempts, Date.now()) ? failure : null;
  }

  status(): ReflectorStatus {
    return {
      kind: this.kind,
      synced: this.synced,
      resourceVersion: this.resourceVersion,
      connected: this.connected,
      staleSince: this.staleSinceDate,
      lastError: this.lastError,
      listFailures: this.listFailures,
      objects: this.store.size,
      eventsApplied: this.eventsApplied,
      relists: Math.max(0, this.lists - 1),
      watchResumes: Math.max(0, this.watches - 1),
      relistsByCause: { ...this.relistsByCause },
      list: this.listState,
      listedPages: this.listedPages,
      listedObjects: this.listedObjects,
      lastPageAt: this.lastPageAt === 0 ? null : new Date(this.lastPageAt),
      syncFailure: this.failedSync(),
      lagging: this.lagging,
      watchLags: this.watchLags,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops listing and watching; resolves when the loop has ended. The store keeps its contents. */
  async stop(): Promise<void> {
    this.running = false;
    this.listAbort?.abort();
    this.endWatch?.();
    this.wake?.();
    await this.loop;
    this.connected = false;
    clearTimeout(this.graceTimer);
  }

  /** Cuts a backoff wait short (the cluster is back, say the circuit breaker or health probe). */
  retryNow(): void {
    this.backoff.reset();
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.needsList) {
        try {
          await this.list();
        } catch (error) {
          if (!this.running) break;
          this.listFailures++;
          const typed = toClusterError(this.cluster, error);
          this.syncFailure = {
            reason: syncFailureReason(typed),
            message: typed.summary,
            attempts: this.listFailures,
            since: this.listFailures === 1 ? Date.now() : (this.syncFailure?.since ?? Date.now()),
          };
          this.failed(typed);
          await this.sleep(retryDelay(typed, this.backoff.next()), retryAfterMs(typed));
          continue;
        }
      }
      if (!this.running) break;
      const outcome = await this.watchOnce();
      if (!this.running) break;
      if (outcome.healthy) {
        this.backoff.reset();
        this.expiryBackoff.reset();
      }
      if (outcome.error?.expired) {
        // Our resourceVersion fell out of the server's history: only a relist can catch up. The
        // first expiry after a healthy watch relists at once; one right after a relist backs
        // off first (as client-go's reflector does between failed list-watch cycles).
        this.needsList = true;
        this.relistCause = "expired";
        this.expired(outcome.error);
        if (!outcome.healthy) await this.sleep(this.expiryBackoff.next(), 0);
        continue;
      }
      if (outcome.error) this.failed(outcome.error);
      else if (outcome.healthy) continue; // a clean end (server timeout, dropped watch): resume now
      await this.sleep(retryDelay(outcome.error, this.backoff.next()), retryAfterMs(outcome.error));
    }
  }

  private async list(): Promise<void> {
    const abort = new AbortController();
    this.listAbort = abort;
    let permit: ListPermit | undefined;
    try {
      const scheduler = this.options.scheduler;
      if (scheduler) {
        this.listState = "queued";
        permit = await scheduler.acquire(this.cluster, abort.signal);
      }
      this.listState = "listing";
      this.listedPages = 0;
      this.listedObjects = 0;
      const entries: CacheEntry[] = [];
      let resourceVersion = "";
      let token: string | undefined;
      do {
        const started = performance.now();
        let page: ListPage;
        try {
          page = await this.source.listPage(this.spec.path, {
            limit: this.pageSize,
            ...(token !== undefined ? { continue: token } : {}),
            ...(this.options.pageTimeoutMs !== undefined ? { timeoutMs: this.options.pageTimeoutMs } : {}),
            signal: abort.signal,
          });
        } catch (error) {
          if (error instanceof ClusterTimeoutError) permit?.pageTimedOut();
          throw error;
        }
        permit?.pageDone(performance.now() - started);
        // Every page of one list carries the snapshot's resourceVersion.
        resourceVersion = page.resourceVersion;
        for (const item of page.items) entries.push(toEntry(this.cluster, this.spec, item));
        this.listedPages++;
        this.listedObjects += page.items.length;
        this.lastPageAt = Date.now();
        token = page.continue;
      } while (token !== undefined && this.running);
      if (!this.running) return;
      const onChange = this.options.onChange;
      // A relist replaces what the store held: what changed meanwhile is told as changes, even
      // into an empty store (a cluster's first Ingress, made while the watch was down). So is a
      // first list into a store a predecessor filled (the cluster reconnected with new
      // settings); a first list into an empty store is the initial state, not a change — unless
      // the cluster joined a running fleet (`tellFirstList`): its objects are news to subscribers.
      const before =
        onChange && (this.synced || this.store.size > 0 || this.options.tellFirstList)
          ? new Map(uidsOf(this.store.all()))
          : undefined;
      this.store.replace(entries);
      this.resourceVersion = resourceVersion;
      if (before && onChange) this.tellRelist(before, entries, resourceVersion, onChange);
      this.options.onListed?.(this, resourceVersion);
      this.needsList = false;
      this.lists++;
      if (this.relistCause !== undefined) {
        this.relistsByCause[this.relistCause] = (this.relistsByCause[this.relistCause] ?? 0) + 1;
        this.relistCause = undefined;
      }
      this.listFailures = 0;
      this.syncFailure = null;
      // In a storm of expiries each relist leaves the data current again: the grace restarts.
      if (this.refreshingSince !== null) this.refreshing(Date.now());
      this.synced = true;
      this.listState = "idle";
      this.notify();
    } finally {
      this.listState = "idle";
      permit?.release();
      this.listAbort = undefined;
    }
  }

  private watchOnce(): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve) => {
      const openedAt = Date.now();
      let events = 0;
      let ended = false;
      let handle: WatchHandle | undefined;
      const finish = (error: ClusterError | undefined): void => {
        if (ended) return;
        ended = true;
        this.endWatch = undefined;
        if (this.connected) {
          this.connected = false;
          this.disconnectedAt = new Date();
          // A clean end is resumed at once: only a failure to resume makes the data stale (an
          // expiry is the server asking for a relist, see expired()).
          if (error && !error.expired) this.staleSince ??= this.disconnectedAt;
          this.notify();
        }
        resolve({ error, healthy: events > 0 || Date.now() - openedAt >= this.healthyWatchMs });
      };
      const handlers: WatchHandlers = {
        onEvent: (type, object) => {
          events++;
          if (this.lagging) this.caughtUp();
          try {
            this.apply(type, object);
          } catch (error) {
            // One malformed object must not end the watch; it is reported, not applied.
            this.lastError = toClusterError(this.cluster, error);
          }
        },
        onClose: finish,
      };
      this.endWatch = () => {
        handle?.stop();
        finish(undefined);
      };
      const [min, max] = this.watchTimeout;
      const timeoutSeconds = Math.round(min + Math.random() * (max - min));
      this.source.watch(this.spec.path, this.resourceVersion, handlers, { timeoutSeconds }).then(
        (opened) => {
          handle = opened;
          if (!this.running) opened.stop();
          if (ended || !this.running) return;
          this.watches++;
          this.connected = true;
          this.lastHeardAt = Date.now();
          this.lagging = false;
          this.staleSince = null;
          this.refreshingSince = null;
          clearTimeout(this.graceTimer);
          this.disconnectedAt = null;
          this.lastError = null;
          this.notify();
        },
        (error: unknown) => finish(toClusterError(this.cluster, error)),
      );
    });
  }

  private apply(type: string, object: KubeObject): void {
    const rv = object.metadata?.resourceVersion;
    switch (type) {
      case "ADDED":
      case "MODIFIED": {
        const entry = toEntry(this.cluster, this.spec, object);
        if (rv) this.resourceVersion = rv;
        const onChange = this.options.onChange;
        if (!onChange) {
          this.store.upsert(entry);
          break;
        }
        const previous = this.store.get(entry.uid);
        // The store evicts an object of the same name under another uid: it was deleted and
        // recreated while we were not looking, and its deletion is a change of its own.
        const sameName = previous ? undefined : this.store.getByName(entry.namespace, entry.name);
        this.store.upsert(entry);
        if (sameName) this.tell(onChange, "DELETED", sameName, sameName);
        this.tell(onChange, previous ? "MODIFIED" : "ADDED", entry, previous);
        break;
      }
      case "DELETED": {
        const uid = entryUid(object);
        const previous = this.options.onChange ? this.store.get(uid) : undefined;
        this.store.remove(uid);
        if (rv) this.resourceVersion = rv;
        if (previous && this.options.onChange) {
          this.tell(this.options.onChange, "DELETED", toEntry(this.cluster, this.spec, object), previous);
        }
        break;
      }
      case "BOOKMARK":
        if (rv) this.resourceVersion = rv;
        break;
      default:
        return;
    }
    this.eventsApplied++;
  }

  private tell(
    onChange: ChangeListener,
    type: "ADDED" | "MODIFIED" | "DELETED",
    entry: CacheEntry,
    previous: CacheEntry | undefined,
  ): void {
    onChange({
      type,
      cluster: this.cluster,
      kind: this.kind,
      entry,
      previous,
      resourceVersion: this.resourceVersion,
    });
  }

  /** DeltaFIFO's Replace: deletions first (a recreated name is deleted, then added), then the rest. */
  private tellRelist(
    before: Map<string, CacheEntry>,
    listed: readonly CacheEntry[],
    resourceVersion: string,
    onChange: ChangeListener,
  ): void {
    const after = new Set<string>();
    for (const entry of listed) after.add(entry.uid);
    const base = { cluster: this.cluster, kind: this.kind, resourceVersion };
    for (const [uid, previous] of before) {
      if (!after.has(uid)) onChange({ ...base, type: "DELETED", entry: previous, previous });
    }
    for (const entry of listed) {
      const previous = before.get(entry.uid);
      if (!previous) onChange({ ...base, type: "ADDED", entry, previous: undefined });
      else if (previous.resourceVersion !== entry.resourceVersion)
        onChange({ ...base, type: "MODIFIED", entry, previous });
    }
  }

  /** The lagging watch carried something again: one transition, not one per event. */
  private caughtUp(): void {
    this.lagging = false;
    this.notify();
  }

  /**
   * The server expired our resourceVersion. The store was current when the watch ended (or at the
   * last relist, in a storm of expiries), and the relist that follows refreshes it: not an outage.
   */
  private expired(error: ClusterError): void {
    this.lastError = error;
    if (this.staleSince === null && this.refreshingSince === null)
      this.refreshing(this.disconnectedAt?.getTime() ?? Date.now());
    this.notify();
  }

  /** The data was current at `since` and a relist is refreshing it; stale past the grace. */
  private refreshing(since: number): void {
    this.refreshingSince = since;
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(
      () => {
        this.graceTimer = undefined;
        if (!this.running || this.staleSince !== null || this.refreshingSince === null) return;
        // A timer may fire a little before the clock staleSinceDate reads says the grace is over.
        if (this.staleSinceDate === null) this.refreshing(this.refreshingSince);
        else this.notify();
      },
      Math.max(0, since + this.relistGraceMs - Date.now()),
    );
    this.graceTimer.unref();
  }

  private failed(error: ClusterError): void {
    this.lastError = error;
    // A refresh that fails leaves the data as it was when last current: at the watch's end, or
    // at the last relist of a storm of expiries (later than the watch's end).
    this.staleSince ??=
      this.refreshingSince !== null ? new Date(this.refreshingSince) : (this.disconnectedAt ?? new Date());
    this.notify();
  }

  /**
   * Waits `ms`, or until woken (retryNow, stop). A wait a throttling server asked for (Retry-After)
   * is not cut short by retryNow: the breaker closing or a health probe answering says the server
   * is up, not that it wants more requests.
   */
  private sleep(ms: number, retryAfterMs = 0): Promise<void> {
    const notBefore = Date.now() + retryAfterMs;
    return new Promise<void>((resolve) => {
      let timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        const left = notBefore - Date.now();
        if (left > 0 && this.running) {
          clearTimeout(timer);
          timer = setTimeout(done, left);
          timer.unref();
          return;
        }
        this.wake = undefined;
        done();
      };
    });
  }

  private notify(): void {
    this.options.onTransition?.(this);
  }
}

function* uidsOf(entries: Iterable<CacheEntry>): Generator<[string, CacheEntry]> {
  for (const entry of entries) yield [entry.uid, entry];
}

/** What a throttling server asked to wait (Retry-After), in ms; 0 when it asked nothing. */
function retryAfterMs(error: ClusterError | undefined): number {
  return (error?.retryAfterSeconds ?? 0) * 1000;
}

/** The backoff's delay, but never sooner than a throttling server's Retry-After. */
function retryDelay(error: ClusterError | undefined, backoffMs: number): number {
  return Math.max(backoffMs, retryAfterMs(error));
}
