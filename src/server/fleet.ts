/**
 * The fleet layer of the gateway: connections (registry), caches (index + watch caches over
 * every kind in src/kinds), the query engine, and the read services over them. Knows nothing of
 * GraphQL or HTTP.
 */
import type { Logger } from "pino";
import { ChangeFeed } from "../cache/change-feed.js";
import { DEFAULT_LIST_PAGE_TIMEOUT_MS, FleetCache, type FleetCacheOptions } from "../cache/fleet-cache.js";
import { FleetIndex } from "../cache/fleet-index.js";
import { QueryEngine } from "../cache/query/index.js";
import type { GatewayConfig } from "../config/index.js";
import type { DemoFleet, DemoFleetOptions } from "../demo-fleet.js";
import { FleetDiscovery } from "../discovery/index.js";
import { FleetRegistry, type FleetRegistryOptions } from "../fleet/registry.js";
import { KINDS, RBAC_KINDS } from "../kinds/index.js";
import { ApiServerReader, ResourceReads } from "../live-read/index.js";
import { createReadServices, type FleetView, type ReadServices } from "../query-service/index.js";
import { ClusterChanges } from "../subscriptions/cluster-changes.js";
import { ObjectChanges } from "../subscriptions/object-changes.js";
import { PodLogs } from "../subscriptions/pod-logs.js";
import { resolveSubscriptionSettings } from "../subscriptions/settings.js";
import { liveFleetView } from "./fleet-view.js";
import { resolveProductionMode } from "../http/production-mode.js";

export interface FleetOptions {
  /** Registry settings (health probe interval, breaker); tests make them faster. */
  fleet?: FleetRegistryOptions;
  /** Reflector settings for every cluster (page size, backoff). */
  cache?: FleetCacheOptions["cache"];
  /** Size of the built-in demo fleet, when the config's source is "demo". */
  demo?: DemoFleetOptions;
}

export interface Fleet {
  /** The config with the demo fleet's clusters (and its Prometheus, Alertmanager) filled in, when it is served. */
  readonly config: GatewayConfig;
  readonly registry: FleetRegistry;
  readonly caches: FleetCache;
  /** Every cluster's cached objects, RBAC included (what access is computed from). */
  readonly index: FleetIndex;
  /** The query engine over it (access reads workspaces' namespaces through it). */
  readonly engine: QueryEngine;
  readonly view: FleetView;
  readonly services: ReadServices;
  /** Any other kind (custom resources included), read from one cluster's API server. */
  readonly resources: ResourceReads;
  /** What each cluster serves (shared by the resources path and the mutations). */
  readonly discovery: FleetDiscovery;
  /** Every change the caches apply, with a bounded history (subscriptions read it). */
  readonly feed: ChangeFeed;
  /** Object and cluster subscriptions over the feed. */
  readonly changes: ObjectChanges;
  readonly clusterChanges: ClusterChanges;
  /** Followed pod logs, one upstream request per subscription. */
  readonly podLogs: PodLogs;
  /** Scale and restart of workloads, sent to the API servers as the caller. */
  /** Stops the caches, the connections and the demo fleet. */
  stop(): Promise<void>;
}

export async function startFleet(
  config: GatewayConfig,
  options: FleetOptions,
  logger: Logger,
): Promise<Fleet> {
  let demo: DemoFleet | undefined;
  if (config.source.kind === "demo" && config.clusters.length === 0) {
    // Loaded on demand: the simulator is not part of a gateway serving real clusters.
    const { startDemoFleet } = await import("../demo-fleet.js");
    demo = await startDemoFleet(options.demo ?? {}, logger.child({ component: "demo" }));
    // The demo's own Prometheus and Alertmanager, when it has them, are the fleet's shared ones; its log store the shared store.
    config = {
      ...config,
      clusters: demo.clusters,
      ...(demo.metrics ? { metrics: demo.metrics } : {}),
      ...(demo.alerts ? { alerts: demo.alerts } : {}),
      logs: demo.logs,
    };
  }
  const registry = new FleetRegistry(config.clusters, {
    logger: logger.child({ component: "fleet" }),
    ...options.fleet,
  });
  // The schema's kinds, and the RBAC objects access is computed from (never served).
  const cached = [...KINDS, ...RBAC_KINDS];
  const index = new FleetIndex(cached);
  const live = resolveSubscriptionSettings(config.subscriptions);
  const feedLogger = logger.child({ component: "changes" });
  const feed = new ChangeFeed({
    historyPerCluster: live.historyPerCluster,
    onListenerError: (error) => feedLogger.error({ err: error }, "a change listener failed"),
  });
  // Set below: the cache tells it about clusters from its first transition on.
  const outcomeChanges: { of?: ClusterChanges } = {};
  const caches = new FleetCache(registry, index, {
    kinds: cached,
    changes: feed,
    onClusterChange: (cluster) => outcomeChanges.of?.clusterChanged(cluster),
    logger: logger.child({ component: "cache" }),
    cache: {
      pageTimeoutMs: config.sync?.listPageTimeoutMs ?? DEFAULT_LIST_PAGE_TIMEOUT_MS,
      ...(config.sync?.listAttempts !== undefined ? { listAttempts: config.sync.listAttempts } : {}),
      ...options.cache,
      backoff: { maxMs: config.defaults.resyncBackoffMaxMs, ...options.cache?.backoff },
    },
    lists: {
      ...(config.sync?.maxConcurrentLists !== undefined
        ? { maxConcurrentLists: config.sync.maxConcurrentLists }
        : {}),
      ...(config.sync?.maxListsPerCluster !== undefined
        ? { maxListsPerCluster: config.sync.maxListsPerCluster }
        : {}),
    },
    ...(config.sync?.watchLagMs !== undefined ? { watchLagMs: config.sync.watchLagMs } : {}),
  });
  const engine = new QueryEngine(index, {
    clusterLabels: (cluster) => ({ ...registry.clusterLabels(cluster) }),
    isKnown: (cluster) => registry.get(cluster) !== undefined,
  });
  const view = liveFleetView(registry, caches, resolveProductionMode(config.production).maskErrors);
  const services = createReadServices({
    reader: engine,
    fleet: view,
    // consistency: STRONG lists from the API servers through the same connections.
    strongReader: new ApiServerReader(registry),
    workspaceLabel: config.workspaceLabel,
    fleetWorkloadLabel: config.fleetWorkloads?.groupLabel,
  });
  const discovery = new FleetDiscovery(registry);
  const resources = new ResourceReads(registry, discovery);
  const changes = new ObjectChanges({
    feed,
    engine,
    filterFor: (spec, fields, scope) => services.objects.filterFor(spec, fields, scope),
    versionOf: (cluster, kind) => caches.cache(cluster)?.reflector(kind)?.lastResourceVersion,
    clusters: () => registry.names(),
    namespaceChanges: () => index.changesOf("Namespace"),
    maxQueued: live.maxQueuedEvents,
    accessKinds: [...RBAC_KINDS.map((k) => k.kind), "Namespace"],
  });
  const clusterChanges = new ClusterChanges(view, live.maxQueuedEvents);
  const podLogs = new PodLogs(registry, { maxQueuedLines: live.maxQueuedEvents });
  outcomeChanges.of = clusterChanges;
  registry.on("health", (name: string) => clusterChanges.clusterChanged(name));
  caches.start();
  return {
    config,
    registry,
    caches,
    index,
    engine,
    view,
    services,
    resources,
    discovery,
    feed,
    changes,
    clusterChanges,
    podLogs,
    async stop() {
      await caches.stop();
      registry.close();
      await demo?.stop();
    },
  };
}
