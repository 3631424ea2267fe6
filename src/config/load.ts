/**
 * Config file -> GatewayConfig: parse YAML (keeping positions), validate the shape, then read
 * what the file names (certificates, token files, kubeconfig contexts) and apply defaults.
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Anchor } from "./document.js";
import { SourceDocument } from "./document.js";
import { ConfigError, formatFieldPath } from "./errors.js";
import { describeIssues } from "./issues.js";
import { Kubeconfig, KubeconfigProblem } from "./kubeconfig.js";
import type { KubeconfigConnection } from "./kubeconfig.js";
import { CredentialProblem, checkTokenFile, decodePemData, readPemFile, resolvePath } from "./credentials.js";
import type { PemKind } from "./credentials.js";
import { buildAuthSettings, SecretFileProblem } from "./auth-settings.js";
import { configFileSchema } from "./schema.js";
import type { ClusterEntry, ConfigFile, LogStoreEntry, PrometheusEntry, TlsEntry } from "./schema.js";
import { DEFAULT_LOG_STORE, DEFAULT_PROMETHEUS } from "./types.js";
import type {
  AuditSettings,
  ClusterAuth,
  ClusterConfig,
  ClusterTls,
  GatewayConfig,
  MetricsSettings,
  LogsSettings,
  LogStoreSettings,
  PrometheusSettings,
  AlertsSettings,
  TelemetrySettings,
} from "./types.js";
import {
  notificationSettings,
  type NotificationSettings,
  type NotificationsEntry,
} from "./notifications-config.js";

/** Reads and validates a YAML config file; throws ConfigError naming the field and its line. */
export function loadConfigFile(path: string): GatewayConfig {
  const absolute = resolvePath(path, process.cwd());
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(code === "ENOENT" ? "file not found" : `cannot read: ${(e as Error).message}`, {
      path: absolute,
      cause: e,
    });
  }
  return parseConfig(text, absolute);
}

/** Same as loadConfigFile, from text; relative paths inside are taken from `path`'s directory. */
export function parseConfig(text: string, path: string): GatewayConfig {
  const doc = SourceDocument.parse(text, path);
  // An empty file is a valid config with every default and no clusters yet.
  const parsed = configFileSchema.safeParse(doc.value ?? {});
  if (!parsed.success) throw ConfigError.fromIssues(path, describeIssues(doc, parsed.error.issues));
  const builder = new ClusterBuilder(doc, parsed.data);
  return {
    port: parsed.data.port,
    workspaceLabel: parsed.data.workspaceLabel,
    clusters: parsed.data.clusters.map((entry, index) => builder.build(entry, index)),
    defaults: { ...parsed.data.defaults },
    ...(parsed.data.limits ? { limits: { ...parsed.data.limits } } : {}),
    ...(parsed.data.readiness ? { readiness: { ...parsed.data.readiness } } : {}),
    ...(parsed.data.sync ? { sync: { ...parsed.data.sync } } : {}),
    ...(parsed.data.subscriptions ? { subscriptions: { ...parsed.data.subscriptions } } : {}),
    ...(parsed.data.auth ? { auth: authSettings(doc, parsed.data.auth) } : {}),
    ...(parsed.data.metrics ? { metrics: metricsSettings(builder, parsed.data.metrics) } : {}),
    ...(parsed.data.logs ? { logs: logsSettings(builder, parsed.data.logs) } : {}),
    ...(parsed.data.alerts ? { alerts: alertsSettings(builder, parsed.data.alerts) } : {}),
    ...(parsed.data.audit ? { audit: auditSettings(builder, parsed.data) } : {}),
    ...(parsed.data.mutations ? { mutations: { ...parsed.data.mutations } } : {}),
    ...(parsed.data.fleetWorkloads ? { fleetWorkloads: { ...parsed.data.fleetWorkloads } } : {}),
    ...(parsed.data.notifications ? { notifications: notifications(doc, parsed.data.notifications) } : {}),
    ...(parsed.data.telemetry ? { telemetry: telemetrySettings(parsed.data.telemetry) } : {}),
    ...(parsed.data.production !== undefined ? { production: parsed.data.production } : {}),
    ...(parsed.data.trustedDocuments
      ? {
          trustedDocuments: {
            mode: parsed.data.trustedDocuments.mode,
            manifests: parsed.data.trustedDocuments.manifests.map((m) => resolvePath(m, dirname(path))),
          },
        }
      : {}),
    ...(parsed.data.graphql ? { graphql: { ...parsed.data.graphql } } : {}),
    source: { kind: "file", path },
  };
}

function authSettings(doc: SourceDocument, entry: NonNullable<ConfigFile["auth"]>) {
  return withSecretFiles(doc, () => buildAuthSettings(entry, dirname(doc.path)));
}

function notifications(doc: SourceDocument, entry: NotificationsEntry): NotificationSettings {
  return withSecretFiles(doc, () => notificationSettings(entry, dirname(doc.path)));
}

/** A section built with its secret files read: one that cannot be read is the field's ConfigError. */
function withSecretFiles<T>(doc: SourceDocument, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (!(e instanceof SecretFileProblem)) throw e;
    throw new ConfigError(e.message, {
      path: doc.path,
      field: formatFieldPath(e.field),
      line: doc.lineOf(e.field, "value"),
      cause: e,
    });
  }
}

function metricsSettings(
  builder: ClusterBuilder,
  entry: NonNullable<ConfigFile["metrics"]>,
): MetricsSettings {
  if (entry.prometheus === undefined) return {};
  const shared = builder.prometheus(entry.prometheus, ["metrics", "prometheus"]);
  // A shared Prometheus always holds several clusters: it needs the label that tells them apart.
  return { prometheus: { ...shared, clusterLabel: shared.clusterLabel ?? DEFAULT_PROMETHEUS.clusterLabel } };
}

function alertsSettings(builder: ClusterBuilder, entry: NonNullable<ConfigFile["alerts"]>): AlertsSettings {
  const poll = entry.pollIntervalMs !== undefined ? { pollIntervalMs: entry.pollIntervalMs } : {};
  if (entry.alertmanager === undefined) return poll;
  const shared = builder.prometheus(entry.alertmanager, ["alerts", "alertmanager"]);
  // A shared Alertmanager always holds several clusters: it needs the label that tells them apart.
  return {
    ...poll,
    alertmanager: { ...shared, clusterLabel: shared.clusterLabel ?? DEFAULT_PROMETHEUS.clusterLabel },
  };
}

function logsSettings(builder: ClusterBuilder, entry: NonNullable<ConfigFile["logs"]>): LogsSettings {
  if (entry.elasticsearch === undefined) return {};
  const shared = builder.logStore(entry.elasticsearch, ["logs", "elasticsearch"]);
  // A shared store always holds several clusters: it needs the field that tells them apart.
  return {
    elasticsearch: { ...shared, clusterField: shared.clusterField ?? DEFAULT_LOG_STORE.clusterField },
  };
}

function auditSettings(builder: ClusterBuilder, file: ConfigFile): AuditSettings {
  const entry = file.audit!;
  const base = dirname(builder.path);
  const shared = file.logs?.elasticsearch;
  // The audit section's own store, else the shared one: audit goes where the logs are.
  const logStore = entry.logStore
    ? builder.logStore(entry.logStore, ["audit", "logStore"])
    : shared
      ? builder.logStore(shared, ["logs", "elasticsearch"])
      : undefined;
  return {
    enabled: entry.enabled,
    ...(entry.spoolDir !== undefined ? { spoolDir: resolvePath(entry.spoolDir, base) } : {}),
    index: entry.index,
    ...(logStore ? { logStore } : {}),
    ...(entry.file !== undefined ? { file: resolvePath(entry.file, base) } : {}),
    ...(entry.log !== undefined ? { log: entry.log } : {}),
    ...(entry.replica !== undefined ? { replica: entry.replica } : {}),
    batchSize: entry.batchSize,
    flushIntervalMs: entry.flushIntervalMs,
    maxSpoolBytes: entry.maxSpoolBytes,
    segmentBytes: entry.segmentBytes,
    stopTimeoutMs: entry.stopTimeoutMs,
  };
}

class ClusterBuilder {
  private readonly baseDir: string;
  // Several clusters commonly point into the same kubeconfig: read it once per load.
  private readonly kubeconfigs = new Map<string, Kubeconfig>();

  constructor(
    private readonly doc: SourceDocument,
    private readonly file: ConfigFile,
  ) {
    this.baseDir = dirname(doc.path);
  }

  get path(): string {
    return this.doc.path;
  }

  build(entry: ClusterEntry, index: number): ClusterConfig {
    const at = (...rest: PropertyKey[]): PropertyKey[] => ["clusters", index, ...rest];
    let connection: KubeconfigConnection;
    if (entry.kubeconfig !== undefined) connection = this.fromKubeconfig(entry.kubeconfig, at("kubeconfig"));
    else if (entry.server !== undefined)
      connection = {
        server: entry.server.replace(/\/+$/, ""),
        tls: this.tls(entry.tls, at("tls")),
        auth: this.auth(entry.auth, at("auth")),
      };
    // The schema already requires one of the two; this keeps the types honest.
    else throw this.error(at("server"), "is required", "key");
    return {
      name: entry.name,
      displayName: entry.displayName ?? entry.name,
      labels: { ...entry.labels },
      ...connection,
      requestTimeoutMs: entry.requestTimeoutMs ?? this.file.defaults.requestTimeoutMs,
      maxConcurrentRequests: entry.maxConcurrentRequests ?? this.file.defaults.maxConcurrentRequests,
      ...(entry.trustGatewayGrants === true ? { trustGatewayGrants: true } : {}),
      ...(entry.prometheus ? { prometheus: this.prometheus(entry.prometheus, at("prometheus")) } : {}),
      ...(entry.logStore ? { logStore: this.logStore(entry.logStore, at("logStore")) } : {}),
      ...(entry.alertmanager
        ? { alertmanager: this.prometheus(entry.alertmanager, at("alertmanager")) }
        : {}),
      source: "config",
    };
  }

  /** A Prometheus's settings, its TLS and auth read like a cluster's (`at`: where the entry is). */
  prometheus(entry: PrometheusEntry, at: PropertyKey[]): PrometheusSettings {
    return {
      url: entry.url.replace(/\/+$/, ""),
      ...(entry.clusterLabel !== undefined ? { clusterLabel: entry.clusterLabel } : {}),
      tls: this.tls(entry.tls, [...at, "tls"]),
      auth: this.auth(entry.auth, [...at, "auth"]),
      timeoutMs: entry.timeoutMs,
      maxConcurrentRequests: entry.maxConcurrentRequests,
    };
  }

  /** A log store's settings, its TLS and auth read like a cluster's (`at`: where the entry is). */
  logStore(entry: LogStoreEntry, at: PropertyKey[]): LogStoreSettings {
    return {
      url: entry.url.replace(/\/+$/, ""),
      flavor: entry.flavor,
      ...(entry.clusterField !== undefined ? { clusterField: entry.clusterField } : {}),
      indices: { ...entry.indices },
      tls: this.tls(entry.tls, [...at, "tls"]),
      auth: this.auth(entry.auth, [...at, "auth"]),
      ...(entry.apiKey !== undefined ? { apiKey: entry.apiKey } : {}),
      timeoutMs: entry.timeoutMs,
      maxConcurrentRequests: entry.maxConcurrentRequests,
    };
  }

  private tls(entry: TlsEntry | undefined, at: PropertyKey[]): ClusterTls {
    const tls: ClusterTls = { insecureSkipVerify: entry?.insecureSkipVerify ?? false };
    if (entry === undefined) return tls;
    const pem = (
      file: string | undefined,
      data: string | undefined,
      kind: PemKind,
      fileKey: string,
      dataKey: string,
    ) => {
      if (file !== undefined)
        return this.attempt([...at, fileKey], () => readPemFile(resolvePath(file, this.baseDir), kind));
      if (data !== undefined) return this.attempt([...at, dataKey], () => decodePemData(data, kind));
      return undefined;
    };
    const ca = pem(entry.caFile, entry.caData, "certificate", "caFile", "caData");
    const cert = pem(entry.certFile, entry.certData, "certificate", "certFile", "certData");
    const key = pem(entry.keyFile, entry.keyData, "private key", "keyFile", "keyData");
    if (ca !== undefined) tls.caData = ca;
    if (cert !== undefined) tls.certData = cert;
    if (key !== undefined) tls.keyData = key;
    return tls;
  }

  private auth(entry: ClusterEntry["auth"], at: PropertyKey[]): ClusterAuth {
    if (entry?.token !== undefined) return { token: entry.token.trim() };
    const tokenFile = entry?.tokenFile;
    if (tokenFile !== undefined)
      return {
        tokenFile: this.attempt([...at, "tokenFile"], () =>
          checkTokenFile(resolvePath(tokenFile, this.baseDir)),
        ),
      };
    return {};
  }

  private fromKubeconfig(
    ref: NonNullable<ClusterEntry["kubeconfig"]>,
    at: PropertyKey[],
  ): KubeconfigConnection {
    const path = resolvePath(ref.path, this.baseDir);
    const prefix = `kubeconfig ${path}: `;
    const kubeconfig = this.attempt(
      [...at, "path"],
      () => {
        const cached = this.kubeconfigs.get(path) ?? Kubeconfig.read(path);
        this.kubeconfigs.set(path, cached);
        return cached;
      },
      prefix,
    );
    const context = ref.context ?? kubeconfig.currentContext;
    if (context === undefined)
      throw this.error([...at, "context"], `is required: ${path} has no current-context`, "key");
    const field = [...at, ref.context === undefined ? "path" : "context"];
    return this.attempt(field, () => kubeconfig.connection(context), prefix);
  }

  /** Runs a load-time check, turning its problem into a ConfigError at the field's line. */
  private attempt<T>(path: PropertyKey[], check: () => T, prefix = ""): T {
    try {
      return check();
    } catch (e) {
      if (e instanceof CredentialProblem || e instanceof KubeconfigProblem)
        throw this.error(path, prefix + e.message, "value", e);
      throw e;
    }
  }

  private error(path: PropertyKey[], message: string, anchor: Anchor, cause?: unknown): ConfigError {
    return new ConfigError(message, {
      path: this.doc.path,
      field: formatFieldPath(path),
      line: this.doc.lineOf(path, anchor),
      cause,
    });
  }
}

/** The section without the keys left out (exactOptionalPropertyTypes). */
function telemetrySettings(entry: NonNullable<ConfigFile["telemetry"]>): TelemetrySettings {
  const tracing = entry.tracing;
  return {
    ...(entry.metrics !== undefined ? { metrics: entry.metrics } : {}),
    ...(tracing
      ? {
          tracing: {
            ...(tracing.otlpEndpoint !== undefined ? { otlpEndpoint: tracing.otlpEndpoint } : {}),
            ...(tracing.serviceName !== undefined ? { serviceName: tracing.serviceName } : {}),
            ...(tracing.sampleRatio !== undefined ? { sampleRatio: tracing.sampleRatio } : {}),
          },
        }
      : {}),
  };
}
