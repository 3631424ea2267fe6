/**
 * The alerts tests' world: a simulated fleet, a real Prometheus scraping it each second and
 * evaluating a test copy of deploy/prometheus/alert-rules.yml (every `for:` 1 s, every range 3 s),
 * alerting to one real Alertmanager per cluster (each receives every alert; the gateway reads a
 * cluster's by its `cluster` label), and a gateway with authentication reading them.
 */
import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SimFleet } from "../../sim/fleet.js";
import { DEFAULT_AUDIT, DEFAULT_NOTIFICATIONS } from "../../src/config/index.js";
import { freeLoopbackPort } from "../../src/free-port.js";
import { startAlertmanager, webhookConfig, type RunningAlertmanager } from "../support/alertmanager.js";
import { startPrometheus, type RunningPrometheus } from "../support/prometheus.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import { CLUSTER_LABEL, prometheusSettings } from "./metrics-fixture.js";
import { fleetConfig } from "./server-fixture.js";

const RULES = new URL("../../deploy/prometheus/alert-rules.yml", import.meta.url);

/** The deployed rules with their durations shortened, so alerts fire and resolve within seconds. */
export async function testRules(): Promise<string> {
  const rules = await readFile(RULES, "utf8");
  const shortened = rules.replace(/^(\s+for:) \S+$/gm, "$1 1s").replace(/\[\d+[smh]\]/g, "[3s]");
  if (shortened === rules) throw new Error("the rule file has no `for:` or ranges to shorten");
  return shortened;
}

export interface AlertsWorld {
  readonly fixture: AuthGateway;
  readonly prometheus: RunningPrometheus;
  /** One per cluster, in the fleet's order. */
  readonly alertmanagers: readonly RunningAlertmanager[];
  stop(): Promise<void>;
}

export interface AlertsWorldOptions {
  /** How often the gateway polls each Alertmanager while someone subscribes; default 300 ms. */
  pollIntervalMs?: number;
  /**
   * The Alertmanagers also push every alert to the gateway's /alertmanager/webhook with this
   * secret (firing and resolved, at once), the cluster named by the `cluster` label.
   */
  webhookSecret?: string;
  /** The gateway's audit trail goes to this JSON-lines file, each event flushed at once. */
  auditFile?: string;
}

export async function startAlertsWorld(seed: string, options: AlertsWorldOptions = {}): Promise<AlertsWorld> {
  const { pollIntervalMs = 300, webhookSecret, auditFile } = options;
  const dir = await mkdtemp(join(tmpdir(), "fleetgraph-rules-"));
  const alertmanagers: RunningAlertmanager[] = [];
  let prometheus: RunningPrometheus | undefined;
  const cleanup = async () => {
    await prometheus?.stop().catch(() => {});
    for (const am of alertmanagers) await am.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // The gateway's port is chosen first: the Alertmanagers start before it and push to it.
    const port = await freeLoopbackPort();
    const webhook = webhookSecret
      ? { url: `http://127.0.0.1:${port}/alertmanager/webhook`, secret: webhookSecret }
      : undefined;
    const fixture = await startAuthGateway({
      seed,
      port,
      fleet: { clusters: 2, nodes: 2, pods: 30, http: true },
      configFor: async (sim: SimFleet) => {
        for (let i = 0; i < sim.clusters.length; i++)
          alertmanagers.push(
            await startAlertmanager(
              webhook
                ? webhookConfig(webhook.url, webhook.secret, [
                    "alertname",
                    "cluster",
                    "namespace",
                    "pod",
                    "node",
                  ])
                : undefined,
            ),
          );
        await writeFile(join(dir, "rules.yml"), await testRules());
        const scrape = await fetch(`${sim.adminUrl}/prometheus.yml?interval=1s&label=${CLUSTER_LABEL}`);
        if (!scrape.ok) throw new Error(`GET /prometheus.yml: ${scrape.status}`);
        const configYaml =
          (await scrape.text()) +
          `rule_files:\n  - ${JSON.stringify(join(dir, "rules.yml"))}\n` +
          "alerting:\n  alertmanagers:\n    - static_configs:\n" +
          `        - targets: ${JSON.stringify(alertmanagers.map((am) => am.target))}\n`;
        prometheus = await startPrometheus({ configYaml });
        const base = fleetConfig(sim);
        return {
          clusters: base.clusters.map((cluster, i) => ({
            ...cluster,
            alertmanager: prometheusSettings(alertmanagers[i]!.url),
          })),
          metrics: { prometheus: prometheusSettings(prometheus.url) },
          alerts: { pollIntervalMs },
          ...(auditFile
            ? { audit: { ...DEFAULT_AUDIT, file: auditFile, flushIntervalMs: 50, batchSize: 1 } }
            : {}),
          ...(webhook
            ? {
                notifications: {
                  webhook: {
                    bearerToken: webhook.secret,
                    clusterLabel: CLUSTER_LABEL,
                    maxBodyBytes: 1024 * 1024,
                  },
                  delivery: DEFAULT_NOTIFICATIONS.delivery,
                },
              }
            : {}),
        };
      },
    });
    return {
      fixture,
      prometheus: prometheus!,
      alertmanagers,
      async stop() {
        await fixture.stop();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
