/** The gateway's cluster configuration: loading, validating, resolving and reloading it. */
export type {
  AlertsSettings,
  AuditSettings,
  ClusterAuth,
  ClusterConfig,
  ClusterTls,
  ConfigSource,
  GatewayConfig,
  GatewayDefaults,
  MetricsSettings,
  LogIndices,
  LogsSettings,
  LogStoreSettings,
  ProductionSettings,
  PrometheusSettings,
  QueryLimitSettings,
  ReadinessSettings,
  SyncSettings,
  SubscriptionSettings,
  TelemetrySettings,
  TrustedDocumentsSettings,
  GraphQLSettings,
} from "./types.js";
export type {
  AuthSettings,
  OidcSettings,
  OpaSettings,
  RoleBindingSettings,
  SessionSettings,
  SigningKey,
} from "./auth-types.js";
export {
  DEFAULT_AUDIT,
  DEFAULT_LOG_STORE,
  DEFAULT_PORT,
  DEFAULT_PROMETHEUS,
  DEFAULT_SETTINGS,
  DEFAULT_WORKSPACE_LABEL,
} from "./types.js";
export {
  DEFAULT_NOTIFICATIONS,
  DEFAULT_WEBHOOK,
  decodeSecretsKey,
  SECRETS_KEY_FORMAT,
  type AlertmanagerWebhookSettings,
  type NotificationDeliverySettings,
  type NotificationSettings,
} from "./notifications-config.js";
export { ConfigError, formatFieldPath } from "./errors.js";
export type { ConfigIssue } from "./errors.js";
export { loadConfigFile, parseConfig } from "./load.js";
export { configFromKubeconfig } from "./kubeconfig.js";
export { demoConfig, resolveConfig } from "./resolve.js";
export type { ResolveOptions } from "./resolve.js";
export { watchConfig } from "./watch.js";
export type { WatchOptions } from "./watch.js";
export { diffClusters } from "./diff.js";
export type { ClusterDiff } from "./diff.js";
