import type { AuthSettings } from "./auth-types.js";
import type { NotificationSettings } from "./notifications-config.js";

/**
 * The gateway's configuration as the rest of the code sees it: every default applied, every file
 * read, every credential decoded to PEM. How it was written (YAML file, kubeconfig) stays here.
 */

/** TLS towards one API server. PEM strings; files named in the YAML were read at load time. */
export interface ClusterTls {
  caData?: string;
  certData?: string;
  keyData?: string;
  /** Only true when the file said so explicitly. */
  insecureSkipVerify: boolean;
}

/**
 * Bearer-token authentication (a client certificate lives in `tls`). `tokenFile` is an absolute
 * path that was readable at load time; the connection re-reads it, because projected
 * service-account tokens rotate while the gateway runs.
 */
export interface ClusterAuth {
  token?: string;
  tokenFile?: string;
}

/**
 * One Prometheus-compatible query API (Prometheus, Thanos Query, VictoriaMetrics) the gateway
 * reads metrics from. TLS and auth are resolved like a cluster's: PEM strings, a checked token path.
 */
export interface PrometheusSettings {
  /** http(s)://host:port, optionally with a path prefix, without a trailing slash. */
  url: string;
  /**
   * The label whose value is a cluster's name, when this Prometheus holds several clusters.
   * Always set on the shared `metrics.prometheus`; on a cluster's own, only when its entry says so.
   */
  clusterLabel?: string;
  tls: ClusterTls;
  auth: ClusterAuth;
  /** Deadline of one query, waiting for a free slot included. */
  timeoutMs: number;
  /** Queries in flight to this Prometheus at a time. */
  maxConcurrentRequests: number;
}

/**
 * Where alerts come from, as the file's `alerts` section sets it (docs/alerts.md). An
 * Alertmanager is reached as a Prometheus is; the Prometheus rules API is the metrics one's.
 */
export interface AlertsSettings {
  /** One Alertmanager for every cluster that has none of its own, its alerts told apart by `clusterLabel`. */
  alertmanager?: PrometheusSettings;
  /** How often each cluster's Alertmanager is polled while someone subscribes to alertChanges. */
  pollIntervalMs?: number;
}

/** Where metrics come from, as the file's `metrics` section sets it. */
export interface MetricsSettings {
  /** One Prometheus for every cluster that has none of its own. */
  prometheus?: PrometheusSettings;
}

/**
 * One Elasticsearch (8) or OpenSearch the gateway searches logs, event history and audit in. TLS
 * and auth are resolved like a cluster's; basic auth may ride in the URL (`https://user:pass@host`).
 */
export interface LogStoreSettings {
  /** http(s)://host:port, optionally with a path prefix and credentials, without a trailing slash. */
  url: string;
  flavor: "elasticsearch" | "opensearch";
  /**
   * The field whose value is a cluster's name, when this store holds several clusters. Always set
   * on the shared `logs.elasticsearch`; on a cluster's own, only when its entry says so.
   */
  clusterField?: string;
  /** Prefixes of the daily indices (`<prefix>-YYYY.MM.DD`). */
  indices: LogIndices;
  tls: ClusterTls;
  auth: ClusterAuth;
  /** An Elasticsearch API key (the base64 `id:key`), sent as `Authorization: ApiKey ...`. */
  apiKey?: string;
  /** Deadline of one search, waiting for a free slot included. */
  timeoutMs: number;
  /** Searches in flight to this store at a time. */
  maxConcurrentRequests: number;
}

export interface LogIndices {
  logs: string;
  events: string;
  auditing: string;
}

/** Where logs, event history and audit come from, as the file's `logs` section sets it. */
export interface LogsSettings {
  /** One store for every cluster that has none of its own. */
  elasticsearch?: LogStoreSettings;
}

/** The gateway's own audit trail, as the file's `audit` section sets it. */
export interface AuditSettings {
  /** False: nothing is recorded. */
  enabled: boolean;
  /** The replica's spool (absolute); undefined: <tmpdir>/fleetgraph-audit-<port>. */
  spoolDir?: string;
  /** Index prefix: events go to `<index>-YYYY.MM.DD`. */
  index: string;
  /** Where events are shipped: the section's own store, else the shared `logs.elasticsearch`. */
  logStore?: LogStoreSettings;
  /** A JSON-lines file events are also written to (absolute). */
  file?: string;
  /** Also write each event to the gateway's log; default: only when there is no store and no file. */
  log?: boolean;
  /** The replica's name in events; default $HOSTNAME, else the host name. */
  replica?: string;
  batchSize: number;
  flushIntervalMs: number;
  maxSpoolBytes: number;
  segmentBytes: number;
  /** How long a stop may spend shipping what is spooled. */
  stopTimeoutMs: number;
}

export interface ClusterConfig {
  /** Unique within the fleet; a DNS-1123 label when it comes from a config file. */
  name: string;
  displayName: string;
  /** Kubernetes-valid label keys and values (region, provider, environment, ...). */
  labels: Record<string, string>;
  /** https://host:port (optionally with a path prefix), without a trailing slash. */
  server: string;
  tls: ClusterTls;
  auth: ClusterAuth;
  requestTimeoutMs: number;
  maxConcurrentRequests: number;
  /**
   * True when the file says the cluster trusts the gateway's grants: calls made for a caller then
   * go as the gateway itself, without impersonation headers. Absent (the default): impersonated.
   */
  trustGatewayGrants?: boolean;
  /** The cluster's own Prometheus; it wins over the shared `metrics.prometheus`. */
  prometheus?: PrometheusSettings;
  /** The cluster's own log store; it wins over the shared `logs.elasticsearch`. */
  logStore?: LogStoreSettings;
  /** The cluster's own Alertmanager; it wins over the shared `alerts.alertmanager`. */
  alertmanager?: PrometheusSettings;
  /** "config" when listed in a config file, "kubeconfig" when every context of a kubeconfig was taken. */
  source: "config" | "kubeconfig";
}

export interface GatewayDefaults {
  requestTimeoutMs: number;
  maxConcurrentRequests: number;
  resyncBackoffMaxMs: number;
}

export type ConfigSource =
  { kind: "file"; path: string } | { kind: "kubeconfig"; path: string } | { kind: "demo" };

/**
 * Limits on one GraphQL operation, as the file sets them; a key left out takes the gateway's
 * default (src/limits: depth 12, cost 50,000).
 */
export interface QueryLimitSettings {
  maxDepth?: number;
  maxCost?: number;
  maxAliases?: number;
  maxRootFields?: number;
  maxTokens?: number;
  maxVariablesBytes?: number;
  maxBodyBytes?: number;
  maxUpstreamCalls?: number;
  requestDeadlineMs?: number;
  /** Per-caller request rate; absent: no rate limit. Read at start. */
  rateLimit?: RateLimitSettings;
}

/** `points` operations per `durationSeconds` window per caller; `blockSeconds` refuses longer once over. */
export interface RateLimitSettings {
  points: number;
  durationSeconds: number;
  blockSeconds?: number;
}

/**
 * When /readyz says ready, as the file sets it; a key left out takes the default (src/http/
 * readiness.ts: at least one cluster synced, and every cluster synced or given up).
 */
export interface ReadinessSettings {
  /** A count of clusters, or a percentage of the fleet such as "50%". */
  minSyncedClusters?: number | `${number}%`;
  waitForAllClusters?: boolean;
}

/**
 * How the caches list the fleet (src/cache/sync-scheduler.ts), as the file sets them; a key left
 * out takes the default there. Read once at start.
 */
export interface SyncSettings {
  /** Lists at once across the fleet, at most (the scheduler adapts below it). Default 16. */
  maxConcurrentLists?: number;
  /** Lists of one cluster at once. Default 2. */
  maxListsPerCluster?: number;
  /** Deadline of one list page (500 objects). Default 60 s. */
  listPageTimeoutMs?: number;
  /** Failed attempts in a row (unreachable, 5xx, timeouts) that fail a cluster's initial sync. Default 3. */
  listAttempts?: number;
  /** A watch with no event or bookmark for this long is lagging. Default 150 s. */
  watchLagMs?: number;
}

/**
 * Live subscriptions over graphql-ws, as the file sets them; a key left out takes the default
 * (src/subscriptions/settings.ts).
 */
export interface SubscriptionSettings {
  /** Changes kept per cluster for resuming subscribers (default 1,000). */
  historyPerCluster?: number;
  /** Events one subscriber may fall behind before it is coalesced, then closed (default 1,000). */
  maxQueuedEvents?: number;
  /**
   * Browser origins allowed to open a subscription socket (e.g. "https://portal.example.com"),
   * beyond the gateway's own; "*" allows any. Sockets without an Origin (non-browser clients)
   * are always allowed.
   */
  allowedOrigins?: string[];
}

/**
 * The gateway's own telemetry (docs/telemetry.md), as the file sets it; read once at start.
 */
export interface TelemetrySettings {
  /** GET /metrics on the gateway's port (default true). */
  metrics?: boolean;
  /** Traces over OTLP/HTTP; without an endpoint here or in OTEL_EXPORTER_OTLP_ENDPOINT, none. */
  tracing?: {
    /** The collector's base URL (".../v1/traces" is added) — or OTEL_EXPORTER_OTLP_ENDPOINT. */
    otlpEndpoint?: string;
    /** service.name of the spans (default "fleetgraph"). */
    serviceName?: string;
    /** The share of operations traced, 0 to 1 (default 1), parent-based. */
    sampleRatio?: number;
  };
}

/** Production mode's switches (docs/security.md); a key left out is on in production mode. */
export interface ProductionSettings {
  /** Allow `__schema` / `__type` (default false in production mode). */
  introspection?: boolean;
  /** Replace unexpected errors' details by a generic message and request id (default true). */
  maskErrors?: boolean;
}

/** Trusted documents (docs/security.md): which operations may run; read once at start. */
export interface TrustedDocumentsSettings {
  mode: "off" | "allowList" | "required";
  /** Manifest files (absolute paths once loaded): GraphQL Codegen's or Apollo's format. */
  manifests: string[];
}

/** How the schema is served; read once at start. */
export interface GraphQLSettings {
  /** Serve it as an Apollo Federation 2 subgraph (docs/federation.md); default false. */
  subgraph?: boolean;
}

export interface GatewayConfig {
  port: number;
  workspaceLabel: string;
  clusters: ClusterConfig[];
  defaults: GatewayDefaults;
  /** Only present when the config file has a `limits` section. */
  limits?: QueryLimitSettings;
  /** Only present when the config file has a `readiness` section. */
  readiness?: ReadinessSettings;
  /** Only present when the config file has a `sync` section. */
  sync?: SyncSettings;
  /** Only present when the config file has a `subscriptions` section. */
  subscriptions?: SubscriptionSettings;
  /** Only present when the config file has an `auth` section. */
  auth?: AuthSettings;
  /** Only present when the config file has a `metrics` section. */
  metrics?: MetricsSettings;
  /** Only present when the config file has a `logs` section. */
  logs?: LogsSettings;
  /** Only present when the config file has an `alerts` section. */
  alerts?: AlertsSettings;
  /** Only present when the config file has an `audit` section (without one: DEFAULT_AUDIT). */
  audit?: AuditSettings;
  /** Only present when the config file has a `mutations` section. */
  mutations?: { maxTargets?: number };
  /** Only present when the config file has a `fleetWorkloads` section. Read at start. */
  fleetWorkloads?: { groupLabel?: string };
  /** Only present when the config file has a `notifications` section (docs/notifications.md). */
  notifications?: NotificationSettings;
  /** Only present when the config file has a `telemetry` section. */
  telemetry?: TelemetrySettings;
  /** true, false or the switches; without it, NODE_ENV=production decides. Read once at start. */
  production?: boolean | ProductionSettings;
  /** Only present when the config file has a `trustedDocuments` section. */
  trustedDocuments?: TrustedDocumentsSettings;
  /** Only present when the config file has a `graphql` section. */
  graphql?: GraphQLSettings;
  source: ConfigSource;
}

export const DEFAULT_PORT = 4000;
export const DEFAULT_WORKSPACE_LABEL = "kubesphere.io/workspace";
export const DEFAULT_SETTINGS: Readonly<GatewayDefaults> = Object.freeze({
  requestTimeoutMs: 5000,
  maxConcurrentRequests: 8,
  resyncBackoffMaxMs: 30_000,
});

export const DEFAULT_PROMETHEUS: Readonly<
  Required<Pick<PrometheusSettings, "clusterLabel" | "timeoutMs" | "maxConcurrentRequests">>
> = Object.freeze({ clusterLabel: "cluster", timeoutMs: 3000, maxConcurrentRequests: 8 });

/** KubeSphere's fluent-bit layout: `ks-logstash-log-2026.12.06` and its siblings. */
export const DEFAULT_LOG_STORE: Readonly<{
  clusterField: string;
  indices: Readonly<LogIndices>;
  timeoutMs: number;
  maxConcurrentRequests: number;
}> = Object.freeze({
  clusterField: "cluster",
  indices: Object.freeze({
    logs: "ks-logstash-log",
    events: "ks-logstash-events",
    auditing: "ks-logstash-auditing",
  }),
  timeoutMs: 5000,
  maxConcurrentRequests: 8,
});

export const DEFAULT_AUDIT: Readonly<
  Pick<
    AuditSettings,
    "enabled" | "index" | "batchSize" | "flushIntervalMs" | "maxSpoolBytes" | "segmentBytes" | "stopTimeoutMs"
  >
> = Object.freeze({
  enabled: true,
  index: "fleetgraph-auditing",
  batchSize: 500,
  flushIntervalMs: 1000,
  // About two million events of ~500 bytes: hours of an outage at a busy gateway's rate.
  maxSpoolBytes: 1024 * 1024 * 1024,
  segmentBytes: 16 * 1024 * 1024,
  stopTimeoutMs: 5000,
});
