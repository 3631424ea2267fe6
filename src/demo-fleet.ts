/**
 * The built-in demo: when no clusters are configured, `fleetgraph serve` starts a small simulated
 * fleet in its own process and serves it, so a fresh checkout answers queries at once — metrics
 * included when the machine has Prometheus, which then scrapes the simulated clusters as a
 * child process (src/demo-prometheus.ts) — and logs, events and audit from the simulator's log
 * store. The same Prometheus evaluates the default alert rules and sends to an Alertmanager child
 * process when the machine has one (src/demo-alertmanager.ts), and one pod of the fleet
 * crash-loops, so `alerts` has something to show within a minute. This is the only file of src/
 * that loads the simulator, and the server imports it on demand.
 */
import type { Logger } from "pino";
import { startFleet, type SimFleet } from "../sim/fleet.js";
import { GATEWAY_USER } from "../sim/generator/users.js";
import { prometheusScrapeConfig } from "../sim/metrics/scrape-config.js";
import {
  DEFAULT_LOG_STORE,
  DEFAULT_PROMETHEUS,
  DEFAULT_SETTINGS,
  type AlertsSettings,
  type ClusterConfig,
  type LogsSettings,
  type MetricsSettings,
  type PrometheusSettings,
} from "./config/index.js";
import { ALERT_RULES_PATH, DEMO_RULE_FOR, demoAlertRules } from "./demo-alert-rules.js";
import { startDemoAlertmanager, type DemoAlertmanager } from "./demo-alertmanager.js";
import { findExecutable } from "./demo-process.js";
import { PROMETHEUS_BINARY, startDemoPrometheus, type DemoPrometheus } from "./demo-prometheus.js";

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
  /**
   * Alerts (default true): that Prometheus evaluates the default rules and sends to an
   * Alertmanager the demo starts when the machine has one, and one pod crash-loops
   * (DEMO_CRASH_LOOP) so an alert fires.
   */
  alerts?: boolean;
}

export interface DemoFleet {
  /** One per simulated cluster, authenticating as the simulator's read-only gateway user. */
  readonly clusters: ClusterConfig[];
  readonly sim: SimFleet;
  /** The demo's shared Prometheus; undefined when metrics are off (no `prometheus` binary). */
  readonly metrics?: MetricsSettings;
  /** The demo's shared Alertmanager; undefined without one (alerts then come from Prometheus alone). */
  readonly alerts?: AlertsSettings;
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
  alerts: true,
});

/**
 * The fault that makes an alert fire: a pod of the payments database (workspace retail, so alice
 * sees the alert as well as admin) in the first cluster restarts every 30 s and waits in
 * CrashLoopBackOff between restarts. A StatefulSet's pod, because the churn scales and rolls out
 * Deployments only: this pod stays, and so does the alert.
 */
export const DEMO_CRASH_LOOP = Object.freeze({
  namespace: "payments",
  pod: "payments-db-0",
  intervalMs: 30_000,
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
  const { prometheus: withPrometheus, scrapeInterval, alerts: withAlerts, ...fleetSettings } = settings;
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
  let alertmanager: DemoAlertmanager | undefined;
  try {
    // The rules need a Prometheus to evaluate them: without one there are no alerts to manage.
    const rules =
      withPrometheus && withAlerts
        ? await alertRulesFor(findExecutable(PROMETHEUS_BINARY), logger)
        : undefined;
    if (rules !== undefined) {
      alertmanager = await startDemoAlertmanager({ logger });
      if (alertmanager)
        logger.info(
          { url: alertmanager.url, pid: alertmanager.pid },
          `demo alerts: Alertmanager (pid ${alertmanager.pid}) on ${alertmanager.url} receives the alerts of the demo's Prometheus`,
        );
      seedCrashLoop(sim, logger);
    }
    prometheus = withPrometheus
      ? await startPrometheus(sim, { scrapeInterval, rules, alertmanager }, logger)
      : undefined;
    if (prometheus === undefined && alertmanager !== undefined) {
      // It would not start after all (logged): nothing would send the Alertmanager anything.
      await alertmanager.stop();
      alertmanager = undefined;
    }
  } catch (error) {
    await alertmanager?.stop();
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
  const metrics: MetricsSettings | undefined = prometheus && { prometheus: sharedBackend(prometheus.url) };
  // The series carry the scrape's `cluster` target label, and so do the alerts of the rules.
  const alerts: AlertsSettings | undefined = alertmanager && {
    alertmanager: sharedBackend(alertmanager.url),
  };
  return {
    clusters,
    sim,
    ...(metrics ? { metrics } : {}),
    ...(alerts ? { alerts } : {}),
    logs,
    async stop() {
      await prometheus?.stop();
      await alertmanager?.stop();
      await sim.stop();
    },
  };
}

/** The demo's Prometheus or Alertmanager, shared by the clusters and told apart by CLUSTER_LABEL. */
function sharedBackend(url: string): PrometheusSettings {
  return {
    url,
    clusterLabel: CLUSTER_LABEL,
    tls: { insecureSkipVerify: false },
    auth: {},
    timeoutMs: DEFAULT_PROMETHEUS.timeoutMs,
    maxConcurrentRequests: DEFAULT_PROMETHEUS.maxConcurrentRequests,
  };
}

/**
 * The rules the demo's Prometheus is to evaluate; undefined, with the reason logged, when there
 * is no Prometheus to evaluate them (its own line says how to get one) or no rule file.
 */
async function alertRulesFor(
  prometheusBinary: string | undefined,
  logger: Logger,
): Promise<string | undefined> {
  if (prometheusBinary === undefined) {
    logger.info(`demo alerts are off: no ${PROMETHEUS_BINARY} on the PATH to evaluate the alert rules`);
    return undefined;
  }
  let rules: string | undefined;
  try {
    rules = await demoAlertRules();
  } catch (error) {
    // An edited rule file that does not parse costs the demo its alerts, not its start.
    logger.warn(
      { err: error },
      `demo alerts are off: ${ALERT_RULES_PATH} could not be read: ${(error as Error).message}`,
    );
    return undefined;
  }
  if (rules === undefined)
    logger.info(
      `demo alerts are off: this build has no ${ALERT_RULES_PATH} (it is read from the checkout, not from dist/)`,
    );
  return rules;
}

/** DEMO_CRASH_LOOP in the first cluster; a demo without it still runs (logged). */
function seedCrashLoop(sim: SimFleet, logger: Logger): void {
  const cluster = sim.clusters[0]!;
  const { namespace, pod, intervalMs } = DEMO_CRASH_LOOP;
  try {
    cluster.crashLoops.start(namespace, pod, undefined, intervalMs);
    logger.info(
      { cluster: cluster.name, namespace, pod, admin: sim.adminUrl },
      `demo alerts: pod ${namespace}/${pod} of ${cluster.name} crash-loops; KubePodCrashLooping fires about ${DEMO_RULE_FOR} later ` +
        `(the demo's rules wait ${DEMO_RULE_FOR} where deploy/'s wait 15m). More faults: the simulator's admin endpoint ${sim.adminUrl} (docs/simulator.md)`,
    );
  } catch (error) {
    logger.warn(
      { err: error, cluster: cluster.name },
      `demo alerts: could not crash-loop ${namespace}/${pod}`,
    );
  }
}

interface PrometheusPlan {
  scrapeInterval: string;
  /** The rule file's text, evaluated every scrape interval; undefined: no rules. */
  rules: string | undefined;
  /** Where the alerts go; undefined: they stay in Prometheus (its alerts API still lists them). */
  alertmanager: DemoAlertmanager | undefined;
}

const RULE_FILE = "alert-rules.yml";

async function startPrometheus(
  sim: SimFleet,
  { scrapeInterval, rules, alertmanager }: PrometheusPlan,
  logger: Logger,
): Promise<DemoPrometheus | undefined> {
  const targets = sim.clusters.flatMap((c) => {
    const metricsUrl = sim.metricsUrl(c.name);
    return metricsUrl === undefined ? [] : [{ cluster: c.name, metricsUrl }];
  });
  // The scrape config sets evaluation_interval to the scrape interval: rules see each scrape.
  let configYaml = prometheusScrapeConfig(targets, {
    clusterLabel: CLUSTER_LABEL,
    scrapeInterval,
    jobName: "fleetgraph-demo",
  });
  // Relative: Prometheus reads it from the config file's directory, where it is written.
  if (rules !== undefined) configYaml += `rule_files:\n  - ${JSON.stringify(RULE_FILE)}\n`;
  if (alertmanager !== undefined)
    configYaml +=
      "alerting:\n  alertmanagers:\n    - static_configs:\n" +
      `        - targets: [${JSON.stringify(alertmanager.address)}]\n`;
  const prometheus = await startDemoPrometheus({
    configYaml,
    ...(rules !== undefined ? { files: { [RULE_FILE]: rules } } : {}),
    logger,
  });
  if (prometheus)
    logger.info(
      { url: prometheus.url, pid: prometheus.pid, scrapeInterval, clusters: targets.length },
      `demo metrics: Prometheus (pid ${prometheus.pid}) on ${prometheus.url} scrapes the ${targets.length} simulated clusters every ${scrapeInterval}` +
        (rules !== undefined ? `, evaluating the alert rules of ${ALERT_RULES_PATH}` : ""),
    );
  return prometheus;
}
