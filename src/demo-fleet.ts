/**
 * The built-in demo: when no clusters are configured, `fleetgraph serve` starts a small simulated
 * fleet in its own process and serves it, so a fresh checkout answers queries at once. This is
 * the only file of src/ that loads the simulator, and the server imports it on demand.
 */
import type { Logger } from "pino";
import { startFleet, type SimFleet } from "../sim/fleet.js";
import { GATEWAY_USER } from "../sim/generator/users.js";
import { DEFAULT_SETTINGS, type ClusterConfig } from "./config/index.js";

export interface DemoFleetOptions {
  clusters?: number;
  nodes?: number;
  /** About this many pods per cluster. */
  pods?: number;
  seed?: string;
  /** Changes per second across the fleet, so the caches have something to follow. */
  churn?: number;
}

export interface DemoFleet {
  /** One per simulated cluster, authenticating as the simulator's read-only gateway user. */
  readonly clusters: ClusterConfig[];
  readonly sim: SimFleet;
  stop(): Promise<void>;
}

export const DEMO_FLEET: Readonly<Required<DemoFleetOptions>> = Object.freeze({
  clusters: 3,
  nodes: 3,
  pods: 150,
  seed: "demo",
  churn: 2,
});

export async function startDemoFleet(options: DemoFleetOptions, logger: Logger): Promise<DemoFleet> {
  const settings = { ...DEMO_FLEET, ...options };
  logger.info(
    {
      clusters: settings.clusters,
      nodesPerCluster: settings.nodes,
      podsPerCluster: settings.pods,
      churnPerSecond: settings.churn,
    },
    `no clusters configured: serving the built-in demo fleet (${settings.clusters} simulated clusters)`,
  );
  const sim = await startFleet({ ...settings });
  const gateway = sim.user(GATEWAY_USER);
  const clusters = sim.clusters.map((c): ClusterConfig => ({
    name: c.name,
    displayName: `${c.name} (simulated)`,
    labels: { ...c.labels },
    server: c.url,
    tls: { ...(c.tls ? { caData: c.tls.caPem } : {}), insecureSkipVerify: false },
    auth: { token: gateway.token },
    requestTimeoutMs: DEFAULT_SETTINGS.requestTimeoutMs,
    maxConcurrentRequests: DEFAULT_SETTINGS.maxConcurrentRequests,
    source: "config",
  }));
  return { clusters, sim, stop: () => sim.stop() };
}
