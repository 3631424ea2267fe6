/**
 * The fleet's change feed: every change the watch caches apply, handed to the listeners of its
 * kind (client-go's SharedIndexInformer handlers) and kept in a bounded history per cluster, so a
 * subscriber that reconnects with a cursor can be told what it missed. Nothing else opens a
 * watch: a thousand subscribers share the one watch per cluster and kind the caches hold.
 *
 * Listeners are indexed by namespace when they name namespaces, so a change visits only the
 * listeners that can want it, not every subscriber of the kind.
 */
import type { CacheChange, ChangeListener } from "./change.js";
import type { CachedKind } from "./entry.js";
import { compareVersions } from "./resource-version.js";

export interface ChangeFeedOptions {
  /** Changes kept per cluster (all kinds together) for replay. Default 1,000. */
  historyPerCluster?: number;
  /** A listener threw: a bug in it, reported here; the other listeners are still told. */
  onListenerError?: (error: unknown) => void;
}

export interface ChangeInterest {
  kinds: readonly CachedKind[];
  /** Only changes of objects in these namespaces (namespaced kinds); undefined for any. */
  namespaces?: ReadonlySet<string> | undefined;
  /** Only changes in these clusters; undefined for any. */
  clusters?: ReadonlySet<string> | undefined;
}

/**
 * Listeners filed by what they name: clusters and namespaces, one of them, or neither. A change
 * visits only the sets its (cluster, namespace) can be in: a subscriber of one namespace in one
 * cluster is not asked about the namesake namespace in forty-nine others.
 */
interface Listeners {
  any: Set<ChangeListener>;
  byNamespace: Map<string, Set<ChangeListener>>;
}

interface KindListeners extends Listeners {
  byCluster: Map<string, Listeners>;
}

const noListeners = (): Listeners => ({ any: new Set(), byNamespace: new Map() });

class ClusterHistory {
  /** Grows to `capacity` as changes come (a quiet cluster costs nothing), then wraps around. */
  private readonly ring: CacheChange[] = [];
  private next = 0;
  /** Per kind: the resourceVersion from which every change of the kind is held. */
  readonly completeFrom = new Map<CachedKind, string>();

  constructor(private readonly capacity: number) {}

  record(change: CacheChange): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(change);
      return;
    }
    const evicted = this.ring[this.next];
    if (evicted) {
      // The evicted change is gone: from now on the history is complete only after it.
      const from = this.completeFrom.get(evicted.kind);
      if (from === undefined || compareVersions(evicted.resourceVersion, from) === 1)
        this.completeFrom.set(evicted.kind, evicted.resourceVersion);
    }
    this.ring[this.next] = change;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Changes of `kind` newer than `version`, oldest first. */
  after(kind: CachedKind, version: string): CacheChange[] {
    const out: CacheChange[] = [];
    const n = this.ring.length;
    // Oldest first: from `next` once the ring is full (next is 0 until then).
    for (let i = 0; i < n; i++) {
      const change = this.ring[(this.next + i) % n];
      if (change?.kind === kind && compareVersions(change.resourceVersion, version) === 1) out.push(change);
    }
    return out;
  }
}

export class ChangeFeed {
  private readonly listeners = new Map<CachedKind, KindListeners>();
  private readonly histories = new Map<string, ClusterHistory>();
  private readonly capacity: number;

  constructor(private readonly options: ChangeFeedOptions = {}) {
    this.capacity = Math.max(1, options.historyPerCluster ?? 1000);
  }

  /** From the reflectors: record, then tell every interested listener. */
  readonly publish = (change: CacheChange): void => {
    this.history(change.cluster).record(change);
    const listeners = this.listeners.get(change.kind);
    if (!listeners) return;
    this.tellAll(listeners, change);
    const inCluster = listeners.byCluster.get(change.cluster);
    if (inCluster) this.tellAll(inCluster, change);
  };

  private tellAll(listeners: Listeners, change: CacheChange): void {
    for (const listener of listeners.any) this.tell(listener, change);
    const inNamespace = listeners.byNamespace.get(change.entry.namespace);
    if (inNamespace) for (const listener of inNamespace) this.tell(listener, change);
  }

  /** From the reflectors, after each list: the first one starts the kind's history there. */
  listed(cluster: string, kind: CachedKind, resourceVersion: string): void {
    const history = this.history(cluster);
    if (!history.completeFrom.has(kind)) history.completeFrom.set(kind, resourceVersion);
  }

  /** A cluster left the fleet: its history goes with it. */
  dropCluster(cluster: string): void {
    this.histories.delete(cluster);
  }

  /** Calls `listener` for every change of interest until the returned function is called. */
  subscribe(interest: ChangeInterest, listener: ChangeListener): () => void {
    const sets: Set<ChangeListener>[] = [];
    for (const kind of interest.kinds) {
      let forKind = this.listeners.get(kind);
      if (!forKind) this.listeners.set(kind, (forKind = { ...noListeners(), byCluster: new Map() }));
      const places: Listeners[] = [];
      if (interest.clusters === undefined) places.push(forKind);
      else {
        for (const cluster of interest.clusters) {
          let inCluster = forKind.byCluster.get(cluster);
          if (!inCluster) forKind.byCluster.set(cluster, (inCluster = noListeners()));
          places.push(inCluster);
        }
      }
      for (const place of places) {
        if (interest.namespaces === undefined) sets.push(place.any);
        else sets.push(...setsOf(place.byNamespace, interest.namespaces));
      }
    }
    for (const set of sets) set.add(listener);
    return () => {
      for (const set of sets) set.delete(listener);
    };
  }

  /**
   * The changes of (cluster, kind) after `resourceVersion`, oldest first; undefined when the
   * history does not reach back that far (or never held the kind): the caller must re-list.
   */
  since(cluster: string, kind: CachedKind, resourceVersion: string): CacheChange[] | undefined {
    const history = this.histories.get(cluster);
    const from = history?.completeFrom.get(kind);
    if (!history || from === undefined) return undefined;
    const order = compareVersions(resourceVersion, from);
    if (order === undefined || order < 0) return undefined;
    return history.after(kind, resourceVersion);
  }

  /** Listener registrations (one per kind and namespace named): the gateway's own figures. */
  get registrations(): number {
    let count = 0;
    const countIn = (listeners: Listeners): void => {
      count += listeners.any.size;
      for (const set of listeners.byNamespace.values()) count += set.size;
    };
    for (const forKind of this.listeners.values()) {
      countIn(forKind);
      for (const inCluster of forKind.byCluster.values()) countIn(inCluster);
    }
    return count;
  }

  private tell(listener: ChangeListener, change: CacheChange): void {
    try {
      listener(change);
    } catch (error) {
      this.options.onListenerError?.(error);
    }
  }

  private history(cluster: string): ClusterHistory {
    let history = this.histories.get(cluster);
    if (!history) this.histories.set(cluster, (history = new ClusterHistory(this.capacity)));
    return history;
  }
}

function setsOf(index: Map<string, Set<ChangeListener>>, keys: ReadonlySet<string>): Set<ChangeListener>[] {
  const sets: Set<ChangeListener>[] = [];
  for (const key of keys) {
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    sets.push(set);
  }
  return sets;
}
