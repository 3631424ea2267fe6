/**
 * Cluster outcome changes: a cluster's health, sync or staleness moved (a watch dropped, a relist
 * finished, the health probe gave up on it). Told by the composition root whenever a cluster's
 * caches or health change; each change is published once, as the cluster's outcome now, to the
 * subscribers that may read that cluster.
 */
import type { Scope } from "../cache/scope.js";
import { freshnessOf } from "../query-service/fan-out.js";
import type { ClusterStatus, FleetView } from "../query-service/fleet-view.js";
import { ClusterOutcomes, type PageOutcome } from "../query-service/outcomes.js";
import { EventQueue } from "./event-queue.js";
import { refreshScope } from "./scope-now.js";

export interface ClusterChange {
  readonly outcome: PageOutcome;
  readonly status: ClusterStatus;
}

export interface ClusterSubscription {
  /** Only these clusters (null: every one the subscriber may read). */
  clusters?: readonly string[] | null;
  scope(): Scope | Promise<Scope>;
}

type Listener = (change: ClusterChange) => void;

export class ClusterChanges {
  private readonly last = new Map<string, string>();
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly fleet: FleetView,
    private readonly maxQueued: number,
  ) {}

  /** A cluster's caches or health may have changed: publish it if its outcome did. */
  clusterChanged(cluster: string): void {
    const info = this.fleet.clusters().find((c) => c.name === cluster);
    if (!info) {
      this.last.delete(cluster);
      return;
    }
    const outcomes = new ClusterOutcomes();
    const [freshness] = freshnessOf(this.fleet, [info], outcomes);
    const [outcome] = outcomes.pageOutcomes(freshness ? [freshness] : [], "CACHE");
    if (!outcome) return;
    const status = this.fleet.health(cluster).status;
    // resourceVersion moves with every event: not a change of the cluster's outcome.
    const key = JSON.stringify([status, outcome.synced, outcome.staleSince, outcome.error?.message ?? null]);
    if (this.last.get(cluster) === key) return;
    this.last.set(cluster, key);
    const change: ClusterChange = { outcome, status };
    for (const listener of this.listeners) listener(change);
  }

  async subscribe(request: ClusterSubscription): Promise<AsyncIterableIterator<ClusterChange>> {
    let scope = await request.scope();
    const only = request.clusters ? new Set(request.clusters) : undefined;
    const listener: Listener = (change) => {
      const cluster = change.outcome.cluster;
      if (only && !only.has(cluster)) return;
      refreshScope(
        () => request.scope(),
        (s) => (scope = s),
      );
      if (scope.allowsCluster(cluster)) queue.push(change);
    };
    const queue: EventQueue<ClusterChange> = new EventQueue<ClusterChange>({
      maxQueued: this.maxQueued,
      // A reader that falls behind needs each cluster's latest outcome only.
      keyOf: (c) => c.outcome.cluster,
      merge: (_older, newer) => newer,
      onEnd: () => this.listeners.delete(listener),
    });
    this.listeners.add(listener);
    return queue;
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
