/**
 * The built-in demo: when no clusters are configured, `fleetgraph serve` starts a small simulated
 * fleet in its own process and serves it, so a fresh checkout answers queries at once — metrics
 * included when the machine has Prometheus, which then scrapes the simulated clusters as a
 * child process (src/demo-prometheus.ts) — and logs, events and audit from the simulator's log
 * store. This is the only file of src/ that loads the
 * simulator, and the server imports it on demand.
 */
import type { Logger } from "pino";
import { startFleet, type SimFleet } from "../sim/fleet.js";
import { GATEWAY_USER } from "../sim/generator/users.js";
import { prometheusScrapeConfig } from "../sim/metrics/scrape-config.js";
import {
  DEFAULT_LOG_STORE,
  DEFAULT_PROMETHEUS,
  DEFAULT_SETTINGS,
  type ClusterConfig,
  type LogsSettings,
  type MetricsSettings,
} from "./config/index.js";
import { startDemoPrometheus, type DemoPrometheus } from "./demo-prometheus.js";

export interface DemoFleetOptions {
  clusters?: number;
  nodes?: number;
  /** About this many pods per cluster. */
  pods?: number;
  seed?: string;
  /** Changes per second across the fleet, so the caches have something to follow. */
  churn?: number;
  /** Start Prometheus when the machine has it (default true). */
  prometheus?: boolean;
  /**
   * How often that Prometheus scrapes (a Prometheus duration). Short, so rate() over two scrapes
   * has data seconds after the start rather than half a minute.
   */
  scrapeInterval?: string;
}

export interface DemoFleet {
  /** One per simulated cluster, authenticating as the simulator's read-only gateway user. */
  readonly clusters: ClusterConfig[];
  readonly sim: SimFleet;
  /** The demo's shared Prometheus; undefined when metrics are off (no `prometheus` binary). */
  readonly metrics?: MetricsSettings;
  /** The simulator's shared log store: the containers' logs, the events and the audit events. */
  readonly logs: LogsSettings;
  stop(): Promise<void>;
}

export const DEMO_FLEET: Readonly<Required<DemoFleetOptions>> = Object.freeze({
  clusters: 3,
  nodes: 3,
  pods: 150,
  seed: "demo",
  churn: 2,
  prometheus: true,
  scrapeInterval: "5s",
});

/** The label the demo's Prometheus gives each cluster's series (the shared Prometheus default). */
const CLUSTER_LABEL = DEFAULT_PROMETHEUS.clusterLabel;

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
  const { prometheus: withPrometheus, scrapeInterval, ...fleetSettings } = settings;
  const sim = await startFleet({ ...fleetSettings, logStore: "shared" });
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
  let prometheus: DemoPrometheus | undefined;
  try {
    prometheus = withPrometheus ? await startPrometheus(sim, scrapeInterval, logger) : undefined;
  } catch (error) {
    await sim.stop();
    throw error;
  }
  const storeUrl = sim.logStoreUrl(sim.clusters[0]!.name)!;
  logger.info({ url: storeUrl }, `demo logs: the simulator's log store on ${storeUrl}`);
  const logs: LogsSettings = {
    elasticsearch: {
      url: storeUrl,
      flavor: "elasticsearch",
      clusterField: DEFAULT_LOG_STORE.clusterField,
      indices: { ...DEFAULT_LOG_STORE.indices },
      tls: { insecureSkipVerify: false },
      auth: {},
      timeoutMs: DEFAULT_LOG_STORE.timeoutMs,
      maxConcurrentRequests: DEFAULT_LOG_STORE.maxConcurrentRequests,
    },
  };
  const metrics: MetricsSettings | undefined = prometheus && {
    prometheus: {
      url: prometheus.url,
      clusterLabel: CLUSTER_LABEL,
      tls: { insecureSkipVerify: false },
      auth: {},
      timeoutMs: DEFAULT_PROMETHEUS.timeoutMs,
      maxConcurrentRequests: DEFAULT_PROMETHEUS.maxConcurrentRequests,
    },
  };
  return {
    clusters,
    sim,
    ...(metrics ? { metrics } : {}),
    logs,
    async stop() {
      await prometheus?.stop();
      await sim.stop();
    },
  };
}

async function startPrometheus(
  sim: SimFleet,
  scrapeInterval: string,
  logger: Logger,
): Promise<DemoPrometheus | undefined> {
  const targets = sim.clusters.flatMap((c) => {
    const metricsUrl = sim.metricsUrl(c.name);
    return metricsUrl === undefined ? [] : [{ cluster: c.name, metricsUrl }];
  });
  const configYaml = prometheusScrapeConfig(targets, {
    clusterLabel: CLUSTER_LABEL,
    scrapeInterval,
    jobName: "fleetgraph-demo",
  });
  const prometheus = await startDemoPrometheus({ configYaml, logger });
  if (prometheus)
    logger.info(
      { url: prometheus.url, pid: prometheus.pid, scrapeInterval, clusters: targets.length },
      `demo metrics: Prometheus (pid ${prometheus.pid}) on ${prometheus.url} scrapes the ${targets.length} simulated clusters every ${scrapeInterval}`,
    );
  return prometheus;
}
