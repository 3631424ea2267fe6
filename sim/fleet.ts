/**
 * A whole simulated fleet in one process: N generated clusters serving the Kubernetes API, the
 * fault admin endpoint, optional churn, and the kubeconfig + fleet file describing it all.
 * Used by the `fleetgraph sim` command, by tests and by the gateway's demo mode.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimCluster } from "./cluster.js";
import { startAdminServer, type AdminServer } from "./faults/admin-server.js";
import { planFleet } from "./generator/plan.js";
import { populateCluster } from "./generator/populate.js";
import { buildUsers, type FleetUser } from "./generator/users.js";
import { startChurn, type Churn } from "./generator/churn.js";
import { SeededRandom } from "./generator/random.js";
import { writeFleetFiles, type FleetFileCluster } from "./kubeconfig.js";
import { ClusterMetrics } from "./metrics/cluster-metrics.js";
import { MetricsServer } from "./metrics/metrics-server.js";
import { ClusterFeeders } from "./logstore/feeders/index.js";
import { LogStoreServer, type LogStoreServerOptions } from "./logstore/server.js";

export interface LogStoreFleetOptions extends LogStoreServerOptions {
  /** How often the feeders ship new lines, events and audit events (ms); default 1000. */
  tickMs?: number;
  /** How far back a container first seen is read (ms); default 5 minutes. */
  backfillMs?: number;
  /** At most this many lines of a container first seen; default 50. */
  backfillLines?: number;
  /** false: no feeders, the store holds only what clients write (benchmarks with their own data). */
  feed?: boolean;
}

/** Documents kept across the fleet's log store(s) unless `logStoreOptions.maxDocuments` says otherwise. */
export const FLEET_LOG_DOCUMENTS = 50_000;

export interface FleetOptions {
  clusters: number;
  /** Nodes per cluster. */
  nodes: number;
  /** About this many pods per cluster. */
  pods: number;
  seed: string | number;
  http?: boolean;
  /** Changes per second across the fleet (0 = none; changeable later through the admin endpoint). */
  churn?: number;
  /** Where to write the kubeconfig; default a new temporary directory (removed by stop). */
  kubeconfigOut?: string;
  /**
   * Whose token the kubeconfig's contexts carry (default "admin"). A deployment gives the gateway
   * "fleetgraph-gateway", which may only read and impersonate, as a member cluster would.
   */
  kubeconfigUser?: string;
  adminPort?: number;
  bookmarkIntervalMs?: number;
  podStartDelayMs?: number;
  /** Run the CronJob controller in every cluster (default false: the generated CronJobs would add Jobs mid-test). */
  cronJobs?: boolean;
  /** Changes each cluster keeps for watch resumption; default shrinks as the fleet grows (5000 down to 1000). */
  historySize?: number;
  /** Serve each cluster's Prometheus metrics on a port of its own (default true). */
  metrics?: boolean;
  /**
   * The Elasticsearch-compatible log store (sim/logstore) fed with the clusters' container logs,
   * events and audit events: one store for the fleet ("shared", the default), one per cluster, or
   * none (false).
   */
  logStore?: false | "shared" | "per-cluster";
  logStoreOptions?: LogStoreFleetOptions;
  /** Called as each cluster becomes ready (for progress logs). */
  onClusterReady?: (cluster: SimCluster, index: number) => void;
}

export interface SimFleet {
  readonly clusters: SimCluster[];
  readonly users: FleetUser[];
  readonly seed: string;
  readonly adminUrl: string;
  readonly kubeconfigPath: string;
  /** The JSON file beside the kubeconfig: users with tokens, cluster labels, admin URL. */
  readonly fleetFilePath: string;
  readonly churn: Churn;
  cluster(name: string): SimCluster;
  user(name: string): FleetUser;
  /** The cluster's Prometheus endpoint (`http://127.0.0.1:<port>/metrics`); undefined with `metrics: false`. */
  metricsUrl(cluster: string): string | undefined;
  /** The base URL of the log store holding the cluster's logs (`http://127.0.0.1:<port>`); undefined with `logStore: false`. */
  logStoreUrl(cluster: string): string | undefined;
  /** The log store server holding the cluster's logs (fault switches: goDown, comeBack, failNext). */
  logStore(cluster: string): LogStoreServer | undefined;
  /** Runs every cluster's feeders once now (tests: no waiting for the tick). */
  feedLogs(): void;
  stop(): Promise<void>;
}

export const FLEET_LIMITS = { clusters: 500, nodes: 5000, pods: 100_000 } as const;

function validate(options: FleetOptions): void {
  for (const key of ["clusters", "nodes", "pods"] as const) {
    const value = options[key];
    const min = key === "pods" ? 0 : 1;
    if (!Number.isInteger(value) || value < min || value > FLEET_LIMITS[key]) {
      throw new RangeError(`${key} must be an integer between ${min} and ${FLEET_LIMITS[key]}, got ${value}`);
    }
  }
}

export async function startFleet(options: FleetOptions): Promise<SimFleet> {
  validate(options);
  const seed = String(options.seed);
  const users = buildUsers(new SeededRandom(seed).fork("users"));
  const plans = planFleet(seed, options.clusters, options.nodes, options.pods);
  // One process holds every cluster's history: share a budget of about 150k retained changes.
  const historySize =
    options.historySize ?? Math.min(5000, Math.max(1000, Math.floor(150_000 / options.clusters)));
  const clusters: SimCluster[] = [];
  let admin: AdminServer | undefined;
  let tempDir: string | undefined;
  let churn: Churn | undefined;
  const metricsServers = new Map<string, MetricsServer>();
  const closeMetrics = () => Promise.all([...metricsServers.values()].map((m) => m.close()));
  const logStores = new Map<string, LogStoreServer>();
  const feeders: ClusterFeeders[] = [];
  let feedTimer: NodeJS.Timeout | undefined;
  const closeLogStores = async () => {
    if (feedTimer) clearInterval(feedTimer);
    for (const f of feeders) f.stop();
    await Promise.all([...new Set(logStores.values())].map((s) => s.close()));
  };
  try {
    for (const plan of plans) {
      const cluster = await SimCluster.create({
        name: plan.name,
        users,
        labels: plan.labels,
        historySize,
        ...(options.http ? { http: true } : {}),
        ...(options.bookmarkIntervalMs !== undefined
          ? { bookmarkIntervalMs: options.bookmarkIntervalMs }
          : {}),
        ...(options.podStartDelayMs !== undefined ? { podStartDelayMs: options.podStartDelayMs } : {}),
        ...(options.cronJobs ? { cronJobs: true } : {}),
      });
      clusters.push(cluster);
      populateCluster(cluster.store, {
        plan,
        users,
        settle: () => cluster.controllers.runUntilIdle(),
      });
      await cluster.start();
      if (options.metrics !== false) {
        const server = new MetricsServer(new ClusterMetrics({ store: cluster.store, seed }));
        metricsServers.set(cluster.name, server);
        await server.listen();
      }
      options.onClusterReady?.(cluster, plan.index);
    }
    if (options.logStore !== false) {
      const mode = options.logStore ?? "shared";
      const {
        tickMs,
        backfillMs,
        backfillLines,
        feed: feeding,
        ...serverOptions
      } = options.logStoreOptions ?? {};
      const maxDocuments =
        serverOptions.maxDocuments ??
        (mode === "shared"
          ? FLEET_LOG_DOCUMENTS
          : Math.max(5_000, Math.floor(FLEET_LOG_DOCUMENTS / clusters.length)));
      let shared: LogStoreServer | undefined;
      for (const cluster of clusters) {
        let server = shared;
        if (!server) {
          server = new LogStoreServer({
            ...serverOptions,
            maxDocuments,
            clusterName: mode === "shared" ? "fleetgraph-sim" : cluster.name,
          });
          await server.listen();
          if (mode === "shared") shared = server;
        }
        logStores.set(cluster.name, server);
        if (feeding !== false)
          feeders.push(
            new ClusterFeeders(cluster, server.store, {
              ...(backfillMs !== undefined ? { backfillMs } : {}),
              ...(backfillLines !== undefined ? { backfillLines } : {}),
            }),
          );
      }
      const feed = () => {
        const now = Date.now();
        for (const f of feeders) f.tick(now);
        for (const server of new Set(logStores.values())) server.store.enforceBounds();
      };
      feed();
      feedTimer = setInterval(feed, tickMs ?? 1000);
      feedTimer.unref();
    }
    churn = startChurn(clusters, { rate: options.churn ?? 0, seed });
    // The kubeconfig carries each cluster's CA: a CA rotation rewrites it, as an operator would.
    let rewriteFleetFiles: () => Promise<unknown> = () => Promise.resolve();
    admin = await startAdminServer({
      clusters,
      churn,
      onCaRotated: () => rewriteFleetFiles(),
      ...(options.adminPort !== undefined ? { port: options.adminPort } : {}),
      ...(metricsServers.size > 0
        ? {
            scrapeTargets: [...metricsServers].map(([cluster, server]) => ({
              cluster,
              metricsUrl: server.url,
            })),
          }
        : {}),
    });
    let kubeconfigOut = options.kubeconfigOut;
    if (!kubeconfigOut) {
      tempDir = await mkdtemp(join(tmpdir(), "fleetgraph-sim-"));
      kubeconfigOut = join(tempDir, "kubeconfig.yaml");
    }
    const fleetClusters = (): FleetFileCluster[] =>
      clusters.map((c) => ({
        name: c.name,
        server: c.url,
        port: c.port,
        labels: c.labels,
        ...(c.tls ? { caPem: c.tls.caPem } : {}),
        ...(metricsServers.has(c.name) ? { metricsUrl: metricsServers.get(c.name)!.url } : {}),
        ...(logStores.has(c.name) ? { logStoreUrl: logStores.get(c.name)!.url } : {}),
      }));
    const adminUrl = admin.url;
    const kubeconfigTarget = kubeconfigOut;
    rewriteFleetFiles = () =>
      writeFleetFiles(
        kubeconfigTarget,
        { seed, admin: adminUrl, clusters: fleetClusters(), users },
        options.kubeconfigUser,
      );
    const files = await writeFleetFiles(
      kubeconfigOut,
      { seed, admin: admin.url, clusters: fleetClusters(), users },
      options.kubeconfigUser,
    );
    const byName = new Map(clusters.map((c) => [c.name, c]));
    const activeChurn = churn;
    const activeAdmin = admin;
    const removeDir = tempDir;
    return {
      clusters,
      users,
      seed,
      adminUrl: admin.url,
      kubeconfigPath: files.kubeconfigPath,
      fleetFilePath: files.fleetFilePath,
      churn,
      cluster(name) {
        const c = byName.get(name);
        if (!c) throw new Error(`no cluster named ${name}`);
        return c;
      },
      user(name) {
        const u = users.find((candidate) => candidate.name === name);
        if (!u) throw new Error(`no user named ${name}`);
        return u;
      },
      metricsUrl(name) {
        return metricsServers.get(name)?.url;
      },
      logStoreUrl(name) {
        return logStores.get(name)?.url;
      },
      logStore(name) {
        return logStores.get(name);
      },
      feedLogs() {
        const now = Date.now();
        for (const f of feeders) f.tick(now);
      },
      async stop() {
        activeChurn.stop();
        await activeAdmin.close();
        await closeMetrics();
        await closeLogStores();
        await Promise.all(clusters.map((c) => c.stop()));
        if (removeDir) await rm(removeDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    churn?.stop();
    await admin?.close();
    await closeMetrics();
    await closeLogStores();
    await Promise.all(clusters.map((c) => c.stop()));
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}
