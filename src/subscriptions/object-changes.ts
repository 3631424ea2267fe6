/**
 * Object subscriptions over the change feed: the same filter fields as the lists, the caller's
 * Scope at the moment of each change (an RBAC change narrows a running subscription at once),
 * changes in and out of the filter told as ADDED and DELETED (as a Kubernetes watch with a
 * label selector does), an optional snapshot first, and resumption from a watch cursor.
 *
 * The Scope is applied by the query engine's matcher, as every list applies it; nothing here
 * decides what a caller may read.
 */
import type { CacheChange } from "../cache/change.js";
import type { ChangeFeed } from "../cache/change-feed.js";
import type { CacheEntry, CachedKind } from "../cache/entry.js";
import type { EntryMatcher, ObjectFilter, QueryEngine } from "../cache/query/index.js";
import { compareVersions } from "../cache/resource-version.js";
import type { Scope } from "../cache/scope.js";
import type { AnyKind } from "../kinds/index.js";
import type { ObjectFilterFields } from "../query-service/list-request.js";
import { changeKey, mergeChanges, type ChangeEvent, type ObjectChange } from "./change-event.js";
import { EventQueue } from "./event-queue.js";
import { WatchPositions } from "../cache/watch-cursor.js";

export interface ObjectChangesOptions {
  feed: Pick<ChangeFeed, "subscribe" | "since">;
  engine: Pick<QueryEngine, "matcher" | "forEach">;
  /** A list's filter fields as the engine's filter (ObjectLists.filterFor). */
  filterFor(spec: AnyKind, fields: ObjectFilterFields, scope: Scope): ObjectFilter;
  /** The resourceVersion a cluster's cache of a kind is at now ("" or undefined: not listed yet). */
  versionOf(cluster: string, kind: CachedKind): string | undefined;
  clusters(): readonly string[];
  /** Moves when any namespace changes: workspace filters are resolved again. */
  namespaceChanges(): number;
  /** Events a subscriber may fall behind before it is coalesced, then closed. */
  maxQueued: number;
  /**
   * Kinds whose changes may change what a subscriber may read (RBAC objects, namespaces and
   * their workspace labels): each re-asks the subscriber's Scope, so access changes act at once.
   */
  accessKinds?: readonly CachedKind[];
}

export interface ObjectSubscription {
  /** One kind, or several sharing a list (the workload kinds). */
  kinds: readonly AnyKind[];
  filter?: ObjectFilterFields | null;
  /** A list's watchCursor or an event's cursor: deliver exactly what changed since. */
  after?: string | null;
  /** Without `after`: the objects that match now, as ADDED, then SYNCED. */
  sendInitial?: boolean | null;
  /** The subscriber's Scope now; asked at every change. */
  scope(): Scope | Promise<Scope>;
  /** The stream failed (a subscriber too slow): told at once, even to a reader that stalled. */
  onFail?(error: unknown): void;
  /** Whether events' cursors are read (default true); without, no position is copied per event. */
  cursors?: boolean;
}

/** What the subscriptions hold now: the bound on slow consumers, observable. */
export interface ObjectChangeStats {
  subscriptions: number;
  /** Events queued and not yet read, over every subscription. */
  queued: number;
  /** The most any one subscription holds (never above maxQueued). */
  largestQueue: number;
  /** Subscriptions reading a coalesced backlog. */
  coalescing: number;
  maxQueued: number;
}

export class ObjectChanges {
  private readonly streams = new Set<ObjectStream>();

  constructor(private readonly options: ObjectChangesOptions) {}

  /** Throws QueryInputError for a bad filter or cursor before anything is registered. */
  async subscribe(request: ObjectSubscription): Promise<AsyncIterableIterator<ChangeEvent>> {
    const first = await request.scope();
    const stream = new ObjectStream(this.options, request, first, () => this.streams.delete(stream));
    this.streams.add(stream);
    return stream;
  }

  stats(): ObjectChangeStats {
    let queued = 0;
    let largestQueue = 0;
    let coalescing = 0;
    for (const stream of this.streams) {
      const length = stream.queued;
      queued += length;
      largestQueue = Math.max(largestQueue, length);
      if (stream.coalescing) coalescing++;
    }
    return {
      subscriptions: this.streams.size,
      queued,
      largestQueue,
      coalescing,
      maxQueued: this.options.maxQueued,
    };
  }
}

/**
 * The positions of the caches of `kinds` now, in the clusters the filter names (a subscription
 * of one cluster keeps one position, not the fleet's), or in every cluster.
 */
function currentPositions(
  options: ObjectChangesOptions,
  kinds: readonly CachedKind[],
  only: readonly string[] | null | undefined,
): WatchPositions {
  const positions = WatchPositions.empty();
  for (const cluster of only ?? options.clusters()) {
    for (const kind of kinds) {
      const version = options.versionOf(cluster, kind);
      if (version) positions.set(cluster, kind, version);
    }
  }
  return positions;
}

class ObjectStream implements AsyncIterableIterator<ChangeEvent> {
  private readonly kinds: readonly CachedKind[];
  private readonly specs: ReadonlyMap<CachedKind, AnyKind>;
  private scope: Scope;
  private matchers: ReadonlyMap<CachedKind, EntryMatcher>;
  private matchersAt: number;
  /** Up to where changes have been queued (or skipped as outside the filter). */
  private readonly seen: WatchPositions;
  /**
   * Up to where the reader has been handed every change, while it has some left to read; with
   * nothing queued it stands at `seen` (an idle subscriber keeps one map, not two).
   */
  private delivered: WatchPositions | undefined;
  /** With `after:`, the cursor's positions: live changes up to them were told already. */
  private toldElsewhere: WatchPositions | undefined;
  private readonly queue: EventQueue<ObjectChange | Marker>;
  private unsubscribe: () => void;
  private initial: CacheEntry[] = [];
  private initialAt = 0;
  private initialSynced = false;

  constructor(
    private readonly options: ObjectChangesOptions,
    private readonly request: ObjectSubscription,
    scope: Scope,
    ended: () => void,
  ) {
    this.kinds = request.kinds.map((k) => k.kind);
    this.specs = new Map(request.kinds.map((k) => [k.kind, k]));
    this.scope = scope;
    this.matchersAt = options.namespaceChanges();
    this.matchers = this.buildMatchers();
    const after = request.after != null ? WatchPositions.decode(request.after) : undefined;
    this.queue = new EventQueue<ObjectChange | Marker>({
      maxQueued: options.maxQueued,
      keyOf: (e) => ("entry" in e ? changeKey(e) : undefined),
      merge: (older, newer) => ("entry" in older && "entry" in newer ? mergeChanges(older, newer) : newer),
      caughtUp: () => {
        this.delivered = undefined;
        return { type: "SYNCED" };
      },
      delivered: (e, coalesced) => {
        if (coalesced || !("entry" in e) || !this.delivered) return;
        this.delivered.set(e.cluster, e.kind, e.resourceVersion);
        if (this.queue.length === 0 && !this.queue.isCoalescing) this.delivered = undefined;
      },
      onFail: (error) => request.onFail?.(error),
      onEnd: () => {
        this.unsubscribe();
        ended();
      },
    });

    // From here to the end of the constructor nothing yields: the snapshot or the replay and
    // the registration happen at one point of the feed, so nothing is missed or told twice.
    this.seen = currentPositions(options, this.kinds, request.filter?.clusters);
    const namespaces = this.indexableNamespaces();
    const clusters = request.filter?.clusters;
    this.unsubscribe = options.feed.subscribe(
      {
        kinds: this.kinds,
        ...(namespaces ? { namespaces } : {}),
        ...(clusters != null ? { clusters: new Set(clusters) } : {}),
      },
      (change) => this.onChange(change),
    );
    const accessKinds = options.accessKinds ?? [];
    const unsubscribeAccess =
      accessKinds.length > 0
        ? options.feed.subscribe({ kinds: accessKinds }, () => this.refreshScope())
        : undefined;
    if (unsubscribeAccess) {
      const objects = this.unsubscribe;
      this.unsubscribe = () => {
        objects();
        unsubscribeAccess();
      };
    }
    if (after) this.replay(after);
    else if (request.sendInitial) this.snapshot();
  }

  get queued(): number {
    return this.queue.length;
  }

  get coalescing(): boolean {
    return this.queue.isCoalescing;
  }

  next(): Promise<IteratorResult<ChangeEvent>> {
    if (this.initialAt < this.initial.length) {
      const entry = this.initial[this.initialAt]!;
      this.initial[this.initialAt++] = undefined as unknown as CacheEntry;
      return Promise.resolve({
        value: this.event({
          type: "ADDED",
          cluster: entry.cluster,
          kind: entry.kind,
          entry,
          resourceVersion: String(entry.resourceVersion),
        }),
        done: false,
      });
    }
    if (!this.initialSynced && this.initial.length > 0) {
      this.initialSynced = true;
      this.initial = [];
      return Promise.resolve({ value: this.event({ type: "SYNCED" }), done: false });
    }
    return this.queue.next().then((r) => (r.done ? r : { value: this.event(r.value), done: false }));
  }

  return(): Promise<IteratorResult<ChangeEvent>> {
    this.initial = [];
    return this.queue.return().then(() => ({ value: undefined, done: true }));
  }

  throw(error?: unknown): Promise<IteratorResult<ChangeEvent>> {
    this.initial = [];
    return this.queue.throw(error).then(() => ({ value: undefined, done: true }));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ChangeEvent> {
    return this;
  }

  /** Ends the stream with `error` (a token that expired, a subscriber too slow). */
  fail(error: unknown): void {
    this.queue.fail(error);
  }

  private onChange(change: CacheChange): void {
    const { cluster, kind, resourceVersion } = change;
    // Changes a replica ahead of this one told before the reader came here with its cursor.
    // Strictly older only: a relist's changes all carry one resourceVersion, and a cursor taken
    // among them must not lose the rest (at worst one change is told twice).
    const skip = this.toldElsewhere?.get(cluster, kind);
    if (skip !== undefined && compareVersions(resourceVersion, skip) === -1) return;
    const told = this.asSeen(change);
    // The first change the reader will not take at once: it stands where the feed is now.
    if (told && !this.delivered && !this.queue.hasReader) this.delivered = this.seen.copy();
    this.seen.set(cluster, kind, resourceVersion);
    if (told) this.queue.push(told);
  }

  /** What a change is to this subscriber: in and out of its filter and Scope, or nothing. */
  private asSeen(change: CacheChange): ObjectChange | undefined {
    this.refreshScope();
    const match = this.matchers.get(change.kind);
    if (!match) return undefined;
    const was = change.previous !== undefined && match(change.previous, this.scope);
    const is = change.type !== "DELETED" && match(change.entry, this.scope);
    const type = is ? (was ? "UPDATED" : "ADDED") : was ? "DELETED" : undefined;
    if (!type) return undefined;
    return {
      type,
      cluster: change.cluster,
      kind: change.kind,
      entry: change.entry,
      resourceVersion: change.resourceVersion,
    };
  }

  private replay(after: WatchPositions): void {
    const replayed: CacheChange[] = [];
    for (const [cluster, kind, version] of after.entries()) {
      if (!this.specs.has(kind)) continue;
      const since = this.options.feed.since(cluster, kind, version);
      if (since === undefined) {
        // The history no longer reaches back: the reader must list again.
        this.queue.push({ type: "RESET" });
        return;
      }
      replayed.push(...since);
    }
    // The cursor's clusters resume from it (skipping what a replica ahead of this one already
    // told); the others (joined since) start from now.
    for (const [cluster, kind, version] of after.entries()) {
      if (this.specs.has(kind)) this.seen.set(cluster, kind, version);
    }
    this.toldElsewhere = after;
    for (const change of replayed) this.onChange(change);
  }

  private snapshot(): void {
    for (const kind of this.kinds) {
      const spec = this.specs.get(kind)!;
      const filter = this.options.filterFor(spec, this.request.filter ?? {}, this.scope);
      this.options.engine.forEach(kind, filter, this.scope, (entry) => this.initial.push(entry));
    }
    if (this.initial.length === 0) this.queue.push({ type: "SYNCED" });
  }

  private event(e: ObjectChange | Marker): ChangeEvent {
    // With nothing left unread, the reader stands where the feed is (changes outside its filter
    // included). Copied now: the feed moves on before the event is executed.
    const now = (): WatchPositions => this.delivered ?? this.seen;
    const at = this.request.cursors === false ? undefined : now().copy();
    let cursor: string | undefined;
    return {
      type: e.type,
      cluster: "entry" in e ? e.cluster : null,
      kind: "entry" in e ? e.kind : null,
      entry: "entry" in e ? e.entry : undefined,
      resourceVersion: "entry" in e ? e.resourceVersion : undefined,
      get cursor() {
        return (cursor ??= (at ?? now()).encode());
      },
    };
  }

  private refreshScope(): void {
    const scope = this.request.scope();
    if (scope instanceof Promise) {
      // A policy service is asked: the change is judged by the last answer, the next by this one.
      scope.then(
        (s) => this.rescope(s),
        (error: unknown) => this.queue.fail(error),
      );
    } else this.rescope(scope);
    const namespaces = this.options.namespaceChanges();
    if (namespaces !== this.matchersAt) {
      this.matchersAt = namespaces;
      this.matchers = this.buildMatchers();
    }
  }

  /**
   * The subscriber's access changed (a RoleBinding, a role, a namespace's workspace): what it
   * may now read of the filter arrives as ADDED, what it no longer may as DELETED, as a relist
   * would tell them. A new Scope object with the same grants (another subject's RBAC moved) costs
   * a comparison only.
   */
  private rescope(next: Scope): void {
    const before = this.scope;
    if (next === before) return;
    this.scope = next;
    if (sameGrants(before, next)) return;
    this.matchers = this.buildMatchers();
    const fields = this.request.filter ?? {};
    const { engine } = this.options;
    const filterFor = (spec: AnyKind, scope: Scope) => this.options.filterFor(spec, fields, scope);
    for (const [kind, spec] of this.specs) {
      const was = new Map<string, CacheEntry>();
      engine.forEach(kind, filterFor(spec, before), before, (e) => was.set(`${e.cluster}\u0000${e.uid}`, e));
      const gained: CacheEntry[] = [];
      engine.forEach(kind, filterFor(spec, next), next, (e) => {
        if (!was.delete(`${e.cluster}\u0000${e.uid}`)) gained.push(e);
      });
      for (const entry of was.values()) this.tellAccess("DELETED", entry);
      for (const entry of gained) this.tellAccess("ADDED", entry);
    }
  }

  private tellAccess(type: "ADDED" | "DELETED", entry: CacheEntry): void {
    const resourceVersion = this.seen.get(entry.cluster, entry.kind) ?? String(entry.resourceVersion);
    if (!this.delivered && !this.queue.hasReader) this.delivered = this.seen.copy();
    this.queue.push({ type, cluster: entry.cluster, kind: entry.kind, entry, resourceVersion });
  }

  private buildMatchers(): ReadonlyMap<CachedKind, EntryMatcher> {
    const fields = this.request.filter ?? {};
    const matchers = new Map<CachedKind, EntryMatcher>();
    for (const [kind, spec] of this.specs) {
      matchers.set(kind, this.options.engine.matcher(kind, this.options.filterFor(spec, fields, this.scope)));
    }
    return matchers;
  }

  /** The filter's namespaces, when they can index the registration (namespaced kinds only). */
  private indexableNamespaces(): ReadonlySet<string> | undefined {
    const namespaces = this.request.filter?.namespaces;
    if (namespaces == null) return undefined;
    for (const spec of this.specs.values()) if (!spec.path.namespaced) return undefined;
    return new Set(namespaces);
  }
}

interface Marker {
  readonly type: "SYNCED" | "RESET";
}

/** Whether two Scopes grant the same (the cheap test before comparing what they let one read). */
function sameGrants(a: Scope, b: Scope): boolean {
  if (a.unrestricted || b.unrestricted) return a.unrestricted === b.unrestricted;
  return JSON.stringify(a.toGrants()) === JSON.stringify(b.toGrants());
}
