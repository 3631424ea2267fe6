/**
 * The alerts layer of the composition root: the Alertmanager backends of the config in force
 * (rebuilt on reload, keeping unchanged clients), the Prometheus rules API through the metrics
 * layer's clients, and the one AlertFeed every alertChanges subscriber and the webhook share.
 */
import type { Logger } from "pino";
import { AlertmanagerBackends } from "../backends/alertmanager/backends.js";
import type { PrometheusBackends } from "../backends/prometheus/backends.js";
import type { GatewayConfig } from "../config/index.js";
import { AlertFeed, DEFAULT_ALERT_POLL_INTERVAL_MS } from "../alerts/alert-feed.js";
import type { AlertsSetup } from "../alerts/context.js";
import type { AlertSources } from "../alerts/sources.js";
import type { SilenceSources } from "../alerts/silence.js";
import { resolveSubscriptionSettings } from "../subscriptions/settings.js";
import type { BackendCallObserver } from "../telemetry/backend-call.js";

export interface AlertsLayer {
  readonly setup: AlertsSetup;
  /** Requests sent to every Alertmanager so far (tests). */
  requests(): number;
  reload(config: GatewayConfig): void;
  stop(): void;
}

export function startAlerts(
  initial: GatewayConfig,
  prometheus: () => Pick<PrometheusBackends, "forCluster">,
  logger: Logger,
  observer?: BackendCallObserver,
): AlertsLayer {
  let config = initial;
  let backends = AlertmanagerBackends.fromConfig(config, observer ? { observer } : {});
  const sources: AlertSources = {
    forCluster(cluster) {
      const alertmanager = backends.forCluster(cluster);
      const metrics = prometheus().forCluster(cluster);
      return {
        ...(alertmanager ? { alertmanager } : {}),
        ...(metrics ? { prometheus: metrics } : {}),
      };
    },
  };
  // The same clients: a silence and the alerts it mutes are asked of one Alertmanager.
  const silences: SilenceSources = { forCluster: (cluster) => backends.forCluster(cluster) };
  const feed = new AlertFeed({
    sources: () => sources,
    clusters: () => config.clusters.map((c) => c.name),
    pollIntervalMs: () => config.alerts?.pollIntervalMs ?? DEFAULT_ALERT_POLL_INTERVAL_MS,
    logger: logger.child({ component: "alerts" }),
  });
  logger.info(
    { alerts: backends.configured ? "Alertmanager configured" : "no Alertmanager configured" },
    `alerts: ${backends.configured ? "Alertmanager configured" : "no Alertmanager configured"}`,
  );
  return {
    setup: {
      sources,
      silences,
      feed,
      maxQueued: () => resolveSubscriptionSettings(config.subscriptions).maxQueuedEvents,
    },
    requests: () => backends.requests,
    reload(next) {
      config = next;
      backends = backends.reload(next);
      feed.clustersChanged();
    },
    stop() {
      feed.stop();
      backends.close();
    },
  };
}
