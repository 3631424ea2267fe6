/**
 * The read services' view of the fleet (FleetView), backed by the live registry and fleet cache.
 * Everything is read at call time, so a config reload shows up in the next query without the
 * services being rebuilt.
 */
import type { ClusterConfig } from "../config/index.js";
import type { FleetCache } from "../cache/fleet-cache.js";
import type { FleetRegistry } from "../fleet/registry.js";
import type {
  ClusterFreshness,
  ClusterHealth,
  ClusterInfo,
  ClusterSync,
  FleetView,
} from "../query-service/index.js";
import { withoutAddresses } from "../http/error-masking.js";

type Registry = Pick<FleetRegistry, "names" | "config" | "health">;
type Caches = Pick<FleetCache, "freshness" | "syncProgress">;

const SYNC_STATES = { synced: "SYNCED", syncing: "SYNCING", failed: "FAILED" } as const;

/** `hideAddresses`: production mode, where every tenant reads the failures (docs/security.md). */
export function liveFleetView(registry: Registry, caches: Caches, hideAddresses = false): FleetView {
  const shown = (message: string): string => (hideAddresses ? withoutAddresses(message) : message);
  // Asked on every list: one ClusterInfo per config object (a reload replaces the config).
  const infos = new WeakMap<ClusterConfig, ClusterInfo>();
  const infoOf = (config: ClusterConfig): ClusterInfo => {
    let info = infos.get(config);
    if (!info) {
      info = { name: config.name, displayName: config.displayName, labels: config.labels };
      infos.set(config, info);
    }
    return info;
  };
  return {
    shownFailure: shown,

    clusters(): ClusterInfo[] {
      const result: ClusterInfo[] = [];
      for (const name of registry.names()) {
        const config = registry.config(name);
        if (config) result.push(infoOf(config));
      }
      return result;
    },

    freshness(cluster: string, kinds?: readonly string[]): ClusterFreshness {
      const status = caches.freshness(cluster, kinds);
      // No cache yet (the cluster was added a moment ago): nothing is synced, nothing is stale.
      if (!status) return { cluster, synced: false, staleSince: null, resourceVersion: "" };
      return {
        cluster,
        synced: status.synced,
        staleSince: status.staleSince,
        resourceVersion: status.resourceVersion,
        ...(status.unserved ? { unserved: status.unserved } : {}),
      };
    },

    sync(cluster: string): ClusterSync {
      const progress = caches.syncProgress(cluster);
      if (!progress)
        return {
          state: "SYNCING",
          kindsSynced: 0,
          kinds: 0,
          listedObjects: 0,
          listedPages: 0,
          failure: null,
        };
      const failure = progress.failure;
      return {
        state: SYNC_STATES[progress.state],
        kindsSynced: progress.kindsSynced,
        kinds: progress.kinds,
        listedObjects: progress.listedObjects,
        listedPages: progress.listedPages,
        failure:
          progress.state === "failed" && failure
            ? `${failure.reason}: ${failure.kind ? `${failure.kind}: ` : ""}${shown(failure.message)}`
            : null,
      };
    },

    health(cluster: string): ClusterHealth {
      const health = registry.health(cluster);
      // Probes off (or an unknown name): say so rather than guess READY.
      if (!health)
        return {
          status: "UNKNOWN",
          lastProbeAt: null,
          latencyMs: null,
          kubernetesVersion: null,
          lastError: null,
        };
      return {
        status: health.status,
        lastProbeAt: health.lastProbeAt,
        latencyMs: health.latencyMs,
        kubernetesVersion: health.kubernetesVersion,
        lastError: health.lastError ? shown(health.lastError.message) : null,
      };
    },
  };
}
