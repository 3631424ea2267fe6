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
  adminPort?: number;
  bookmarkIntervalMs?: number;
  podStartDelayMs?: number;
  /** Changes each cluster keeps for watch resumption; default shrinks as the fleet grows (5000 down to 1000). */
  historySize?: number;
  /** Serve each cluster's Prometheus metrics on a port of its own (default true). */
  metrics?: boolean;
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
    churn = startChurn(clusters, { rate: options.churn ?? 0, seed });
    admin = await startAdminServer({
      clusters,
      churn,
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
    const fleetClusters: FleetFileCluster[] = clusters.map((c) => ({
      name: c.name,
      server: c.url,
      port: c.port,
      labels: c.labels,
      ...(c.tls ? { caPem: c.tls.caPem } : {}),
      ...(metricsServers.has(c.name) ? { metricsUrl: metricsServers.get(c.name)!.url } : {}),
    }));
    const files = await writeFleetFiles(kubeconfigOut, {
      seed,
      admin: admin.url,
      clusters: fleetClusters,
      users,
    });
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
      async stop() {
        activeChurn.stop();
        await activeAdmin.close();
        await closeMetrics();
        await Promise.all(clusters.map((c) => c.stop()));
        if (removeDir) await rm(removeDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    churn?.stop();
    await admin?.close();
    await closeMetrics();
    await Promise.all(clusters.map((c) => c.stop()));
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}
