/**
 * The watch caches' figures as metrics, read at scrape time from what the reflectors already
 * count (ReflectorStatus): nothing is added to the per-event path. Counters are re-set from the
 * reflectors' totals on each scrape; a cluster that leaves the fleet takes its series with it,
 * and one that rejoins starts from zero (a counter reset, which rate() handles).
 */
import { Counter, Gauge } from "prom-client";
import type { ClusterCacheStatus } from "../cache/watch-cache.js";
import type { HealthStatus } from "../fleet/health.js";
import type { GatewayMetrics } from "./gateway-metrics.js";

/** What the collector reads: FleetCache's status and the registry's names and health. */
export interface CacheSource {
  clusters(): string[];
  status(cluster: string): ClusterCacheStatus | undefined;
  health(cluster: string): HealthStatus | undefined;
}

export const SYNC_STATES = ["syncing", "synced", "stale", "unreachable"] as const;
export type SyncState = (typeof SYNC_STATES)[number];

/**
 * syncing: an initial list is not done; synced: every watch is up; stale: synced, but a watch is
 * down and events may be missing; unreachable: the health probe gets no answer — unless a list
 * is under way: a cluster whose pages keep coming is slow (syncing), not unreachable.
 */
export function syncState(status: ClusterCacheStatus, health: HealthStatus | undefined): SyncState {
  const listing = Object.values(status.kinds).some((k) => k.list === "listing");
  if (health === "UNREACHABLE" && !(listing && !status.synced)) return "unreachable";
  if (!status.synced) return "syncing";
  return status.staleSince === null ? "synced" : "stale";
}

export function collectCacheMetrics(metrics: GatewayMetrics, source: CacheSource): void {
  const registers = [metrics.registry];
  const statuses = (): ClusterCacheStatus[] =>
    source.clusters().flatMap((c) => {
      const status = source.status(c);
      return status ? [status] : [];
    });
  // Every cluster's every cached kind, with the figures its reflector keeps.
  const kinds = () =>
    statuses().flatMap((status) =>
      Object.values(status.kinds).map((kind) => ({ cluster: status.cluster, kind })),
    );
  new Gauge({
    name: "fleetgraph_cluster_sync_state",
    help: "1 for the state each cluster's caches are in (syncing, synced, stale, unreachable), 0 for the others",
    labelNames: ["cluster", "state"] as const,
    registers,
    collect() {
      this.reset();
      for (const status of statuses()) {
        const state = syncState(status, source.health(status.cluster));
        for (const s of SYNC_STATES) this.set({ cluster: status.cluster, state: s }, s === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "fleetgraph_cache_objects",
    help: "Objects held by the watch caches, by cluster and kind",
    labelNames: ["cluster", "kind"] as const,
    registers,
    collect() {
      this.reset();
      for (const { cluster, kind } of kinds()) this.set({ cluster, kind: kind.kind }, kind.objects);
    },
  });
  new Counter({
    name: "fleetgraph_cache_events_applied_total",
    help: "Watch events applied to the caches (bookmarks included), by cluster and kind",
    labelNames: ["cluster", "kind"] as const,
    registers,
    collect() {
      this.reset();
      for (const { cluster, kind } of kinds()) this.inc({ cluster, kind: kind.kind }, kind.eventsApplied);
    },
  });
  new Counter({
    name: "fleetgraph_cache_watch_reconnects_total",
    help: "Watches reopened after the first one (resumed from their resourceVersion), by cluster and kind",
    labelNames: ["cluster", "kind"] as const,
    registers,
    collect() {
      this.reset();
      for (const { cluster, kind } of kinds()) this.inc({ cluster, kind: kind.kind }, kind.watchResumes);
    },
  });
  new Counter({
    name: "fleetgraph_cache_watch_lags_total",
    help: "Times a watch carried nothing, not even a bookmark, for longer than the lag threshold, by cluster and kind",
    labelNames: ["cluster", "kind"] as const,
    registers,
    collect() {
      this.reset();
      for (const { cluster, kind } of kinds()) this.inc({ cluster, kind: kind.kind }, kind.watchLags);
    },
  });
  new Gauge({
    name: "fleetgraph_cache_list_pages",
    help: "Pages of the list under way (or the last one), by cluster and kind",
    labelNames: ["cluster", "kind"] as const,
    registers,
    collect() {
      this.reset();
      for (const { cluster, kind } of kinds()) this.set({ cluster, kind: kind.kind }, kind.listedPages);
    },
  });
  new Counter({
    name: "fleetgraph_cache_relists_total",
    help: "Lists after the initial one, by cluster, kind and cause (expired: 410 Gone)",
    labelNames: ["cluster", "kind", "cause"] as const,
    registers,
    collect() {
      this.reset();
      for (const { cluster, kind } of kinds())
        for (const [cause, count] of Object.entries(kind.relistsByCause))
          this.inc({ cluster, kind: kind.kind, cause }, count ?? 0);
    },
  });
}
