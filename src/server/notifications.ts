/**
 * The notifications of the config in force (docs/notifications.md): channels and deliveries in
 * the shared store, the delivery loop, and the Alertmanager webhook route feeding the sinks.
 * Started once the store is known (after identity); stopped before it closes.
 */
import type { Router } from "express";
import type { Logger } from "pino";
import {
  ConfigError,
  decodeSecretsKey,
  DEFAULT_NOTIFICATIONS,
  DEFAULT_WEBHOOK,
  SECRETS_KEY_FORMAT,
  type GatewayConfig,
  type NotificationSettings,
} from "../config/index.js";
import { Scope } from "../cache/scope.js";
import type { NamespaceData } from "../kinds/index.js";
import { alertmanagerWebhookRoutes, type AlertmanagerWebhookOptions } from "../http/alertmanager-webhook.js";
import type { FleetView } from "../query-service/index.js";
import { NotificationServices, type SealKeys } from "../notifications/index.js";
import type { ReadServices } from "../query-service/index.js";
import type { SharedStore } from "../store/shared-store.js";

export interface NotificationsLayer {
  readonly services: NotificationServices;
  /** POST /alertmanager/webhook[/<cluster>]. */
  readonly routes: Router;
  stop(): Promise<void>;
}

const EVERYTHING = Scope.everything();

export function startNotifications(
  config: () => GatewayConfig,
  store: SharedStore,
  reads: Pick<ReadServices, "reader" | "workspaceLabel">,
  clusters: () => readonly string[],
  logger: Logger,
  webhook: Pick<AlertmanagerWebhookOptions, "routable" | "skipped"> = {},
): NotificationsLayer {
  const settings = () => config().notifications ?? DEFAULT_NOTIFICATIONS;
  // Read once at start: every replica must seal with the same key, so a change takes a restart.
  const secretsKeys = secretsKeysAtStart(config(), logger);
  const services = new NotificationServices({
    store,
    secretsKeys,
    // Routing reads as the gateway: which workspace owns a namespace is not the caller's to see.
    workspaceOf: (cluster, namespace) =>
      reads.reader.getByName<NamespaceData>(cluster, "Namespace", "", namespace, EVERYTHING)?.labels[
        reads.workspaceLabel
      ],
    delivery: () => settings().delivery,
    logger: logger.child({ component: "notifications" }),
  });
  services.start();
  const routes = alertmanagerWebhookRoutes({
    settings: () => {
      const webhook = settings().webhook;
      return webhook && { ...webhook, clusterLabel: alertClusterLabel(config()) };
    },
    clusters,
    ...webhook,
    sink: services.sinks,
    logger: logger.child({ component: "alertmanager-webhook" }),
  });
  return { services, routes, stop: () => services.stop() };
}

/** The keys in force at start; without one, a warning when the config turns notifications on. */
export function secretsKeysAtStart(
  config: GatewayConfig,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): SealKeys {
  const keys = channelSecretsKeys(config.notifications ?? DEFAULT_NOTIFICATIONS, env);
  if (!keys.current && config.notifications)
    logger.warn(
      "notification channel secrets are stored in plain text: set notifications.secretsKey " +
        "(or secretsKeyFile, or FLEETGRAPH_NOTIFICATIONS_KEY)",
    );
  return keys;
}

/**
 * The keys sealing channel targets: the config's secretsKey (or its file), else
 * $FLEETGRAPH_NOTIFICATIONS_KEY; previousSecretsKeys only open what older keys sealed.
 */
export function channelSecretsKeys(
  settings: Pick<NotificationSettings, "secretsKey" | "previousSecretsKeys">,
  env: NodeJS.ProcessEnv = process.env,
): SealKeys {
  const previous = (settings.previousSecretsKeys ?? []).flatMap((k) => decodeSecretsKey(k) ?? []);
  const given = settings.secretsKey ?? (env.FLEETGRAPH_NOTIFICATIONS_KEY || undefined);
  if (given === undefined) {
    // Old keys alone would open every sealed target and write it back in plain text on the next
    // change: a configuration that means "sealing off" must say so by dropping them too.
    if (previous.length > 0)
      throw new ConfigError(
        "notifications.previousSecretsKeys needs notifications.secretsKey (or secretsKeyFile, or FLEETGRAPH_NOTIFICATIONS_KEY): " +
          "without a current key every channel's secrets would be written back unsealed",
        { field: "notifications.previousSecretsKeys" },
      );
    return { previous };
  }
  const current = decodeSecretsKey(given);
  if (!current)
    throw new ConfigError(`FLEETGRAPH_NOTIFICATIONS_KEY ${SECRETS_KEY_FORMAT}`, {
      field: "FLEETGRAPH_NOTIFICATIONS_KEY",
    });
  return { current, previous };
}

/**
 * Whether a cluster's alerts can be routed: its Namespaces (whose label names the workspace) are
 * loaded. Before, every namespaced alert would go to the fleet's channels instead of its
 * workspace's. A cluster whose sync failed is routed all the same — waiting would never end.
 */
export function namespacesLoaded(view: Pick<FleetView, "freshness" | "sync">, cluster: string): boolean {
  return view.freshness(cluster, ["Namespace"]).synced || view.sync?.(cluster).state === "FAILED";
}

/**
 * The label naming a pushed alert's cluster: the webhook's own `clusterLabel` when set, else the
 * one the alerts read from Alertmanager use (`alerts.alertmanager.clusterLabel`), so one setting
 * serves both; else "cluster".
 */
export function alertClusterLabel(config: GatewayConfig): string {
  return (
    config.notifications?.webhook?.clusterLabel ??
    config.alerts?.alertmanager?.clusterLabel ??
    DEFAULT_WEBHOOK.clusterLabel
  );
}
