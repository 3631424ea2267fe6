/**
 * The shape of a fleetgraph config file. Zod checks structure, types, ranges and the rules
 * between fields; reading the files it names happens afterwards (see build.ts).
 * Every object is strict: a typo such as `sever:` is an error, not a silently ignored key.
 */
import * as z from "zod";
import { validateLabelKey, validateLabelValue } from "../kube/label-selector.js";
import { authSchema } from "./auth-schema.js";
import { notificationsSchema } from "./notifications-config.js";
import { strict } from "./strict.js";
import {
  DEFAULT_AUDIT,
  DEFAULT_LOG_STORE,
  DEFAULT_PORT,
  DEFAULT_PROMETHEUS,
  DEFAULT_SETTINGS,
  DEFAULT_WORKSPACE_LABEL,
} from "./types.js";

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const nonEmpty = z.string().min(1);
const millis = (max: number) => z.int().min(1).max(max);
const timeout = millis(600_000);
const concurrency = z.int().min(1).max(1024);

const clusterName = z
  .string()
  .refine(
    (name) => name.length <= 63 && DNS_1123_LABEL.test(name),
    "must be a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit",
  );

const serverUrl = z.string().refine((text) => {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    (url.protocol === "https:" || url.protocol === "http:") &&
    url.hostname !== "" &&
    url.search === "" &&
    url.hash === ""
  );
}, "must be an https:// or http:// URL (no query or fragment)");

export const labelKey = z.string().superRefine((key, ctx) => {
  const problem = validateLabelKey(key);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

// Keys and values are checked in one pass so each issue points at its own label.
const labels = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const [key, value] of Object.entries(map)) {
    const problem = validateLabelKey(key) ?? validateLabelValue(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem, path: [key] });
  }
});

const tls = strict({
  caFile: nonEmpty.optional(),
  caData: nonEmpty.optional(),
  certFile: nonEmpty.optional(),
  certData: nonEmpty.optional(),
  keyFile: nonEmpty.optional(),
  keyData: nonEmpty.optional(),
  insecureSkipVerify: z.boolean().default(false),
}).superRefine((t, ctx) => {
  const exclusive = (a: keyof typeof t, b: keyof typeof t) => {
    if (t[a] !== undefined && t[b] !== undefined)
      ctx.addIssue({ code: "custom", message: `cannot be combined with ${a}`, path: [b] });
  };
  exclusive("caFile", "caData");
  exclusive("certFile", "certData");
  exclusive("keyFile", "keyData");
  const hasCert = t.certFile !== undefined || t.certData !== undefined;
  const hasKey = t.keyFile !== undefined || t.keyData !== undefined;
  if (hasCert && !hasKey)
    ctx.addIssue({
      code: "custom",
      message: "a client certificate needs keyFile or keyData",
      path: [t.certFile !== undefined ? "certFile" : "certData"],
    });
  if (hasKey && !hasCert)
    ctx.addIssue({
      code: "custom",
      message: "a client key needs certFile or certData",
      path: [t.keyFile !== undefined ? "keyFile" : "keyData"],
    });
  // kubectl refuses the same combination: a CA that would never be consulted is a mistake.
  if (t.insecureSkipVerify && (t.caFile !== undefined || t.caData !== undefined))
    ctx.addIssue({
      code: "custom",
      message: "cannot be true while caFile or caData is set",
      path: ["insecureSkipVerify"],
    });
});

const auth = strict({
  token: nonEmpty.optional(),
  tokenFile: nonEmpty.optional(),
}).superRefine((a, ctx) => {
  if (a.token !== undefined && a.tokenFile !== undefined)
    ctx.addIssue({ code: "custom", message: "cannot be combined with token", path: ["tokenFile"] });
});

// Prometheus's data model: [a-zA-Z_][a-zA-Z0-9_]*, and names starting with "__" are reserved.
const PROMETHEUS_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const prometheusLabelName = z
  .string()
  .refine(
    (name) => PROMETHEUS_LABEL_NAME.test(name) && !name.startsWith("__"),
    "must be a Prometheus label name: letters, digits and '_', not starting with a digit or '__'",
  );

// Prometheus, Thanos Query or VictoriaMetrics: anything answering /api/v1/query and query_range.
const prometheus = strict({
  url: serverUrl,
  clusterLabel: prometheusLabelName.optional(),
  tls: tls.optional(),
  auth: auth.optional(),
  timeoutMs: timeout.default(DEFAULT_PROMETHEUS.timeoutMs),
  maxConcurrentRequests: concurrency.default(DEFAULT_PROMETHEUS.maxConcurrentRequests),
});

const metrics = strict({
  prometheus: prometheus.optional(),
});

// Alertmanager's API v2 (/api/v2/alerts, /api/v2/status), reached as a Prometheus is.
const alerts = strict({
  alertmanager: prometheus.optional(),
  pollIntervalMs: z.int().min(100).max(600_000).optional(),
});

// An Elasticsearch field path such as `cluster` or `kubernetes.cluster_name`.
const fieldPath = z
  .string()
  .regex(
    /^[A-Za-z_@][A-Za-z0-9_@-]*(\.[A-Za-z_@][A-Za-z0-9_@-]*)*$/,
    "must be a field path such as cluster or kubernetes.cluster_name",
  );
// The fixed part of a daily index name: lowercase, no wildcards or separators ES refuses.
const indexPrefix = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,200}$/,
    "must be an index name prefix: lowercase letters, digits, '.', '_' or '-'",
  );

const logIndices = strict({
  logs: indexPrefix.default(DEFAULT_LOG_STORE.indices.logs),
  events: indexPrefix.default(DEFAULT_LOG_STORE.indices.events),
  auditing: indexPrefix.default(DEFAULT_LOG_STORE.indices.auditing),
});

// Elasticsearch 8 or OpenSearch (through its Elasticsearch-compatible REST API).
const logStore = strict({
  url: serverUrl,
  flavor: z.enum(["elasticsearch", "opensearch"]).default("elasticsearch"),
  clusterField: fieldPath.optional(),
  indices: logIndices.prefault({}),
  tls: tls.optional(),
  auth: auth.optional(),
  apiKey: nonEmpty.optional(),
  timeoutMs: timeout.default(DEFAULT_LOG_STORE.timeoutMs),
  maxConcurrentRequests: concurrency.default(DEFAULT_LOG_STORE.maxConcurrentRequests),
}).superRefine((s, ctx) => {
  if (s.apiKey !== undefined && s.auth !== undefined)
    ctx.addIssue({ code: "custom", message: "cannot be combined with auth", path: ["apiKey"] });
});

const logs = strict({
  elasticsearch: logStore.optional(),
});

// The gateway's own audit trail (docs/security.md, "Audit trail").
const audit = strict({
  enabled: z.boolean().default(true),
  spoolDir: nonEmpty.optional(),
  index: indexPrefix.default(DEFAULT_AUDIT.index),
  logStore: logStore.optional(),
  file: nonEmpty.optional(),
  log: z.boolean().optional(),
  replica: nonEmpty.optional(),
  batchSize: z.int().min(1).max(10_000).default(DEFAULT_AUDIT.batchSize),
  flushIntervalMs: millis(600_000).default(DEFAULT_AUDIT.flushIntervalMs),
  maxSpoolBytes: z
    .int()
    .min(1024 * 1024)
    .default(DEFAULT_AUDIT.maxSpoolBytes),
  segmentBytes: z
    .int()
    .min(64 * 1024)
    .max(1024 * 1024 * 1024)
    .default(DEFAULT_AUDIT.segmentBytes),
  stopTimeoutMs: millis(600_000).default(DEFAULT_AUDIT.stopTimeoutMs),
});

const kubeconfigRef = strict({
  path: nonEmpty,
  context: nonEmpty.optional(),
});

const cluster = strict({
  name: clusterName,
  displayName: nonEmpty.optional(),
  labels: labels.optional(),
  server: serverUrl.optional(),
  tls: tls.optional(),
  auth: auth.optional(),
  kubeconfig: kubeconfigRef.optional(),
  requestTimeoutMs: timeout.optional(),
  maxConcurrentRequests: concurrency.optional(),
  trustGatewayGrants: z.boolean().optional(),
  prometheus: prometheus.optional(),
  logStore: logStore.optional(),
  alertmanager: prometheus.optional(),
}).superRefine((c, ctx) => {
  if (c.kubeconfig !== undefined) {
    for (const field of ["server", "tls", "auth"] as const) {
      if (c[field] !== undefined)
        ctx.addIssue({
          code: "custom",
          message: "cannot be combined with kubeconfig, whose context supplies it",
          path: [field],
        });
    }
  } else if (c.server === undefined) {
    ctx.addIssue({
      code: "custom",
      message: "is required (or take it from a kubeconfig context with `kubeconfig:`)",
      path: ["server"],
    });
  }
});

const clusters = z.array(cluster).superRefine((list, ctx) => {
  const seen = new Map<string, number>();
  list.forEach((c, index) => {
    const first = seen.get(c.name);
    if (first !== undefined)
      ctx.addIssue({
        code: "custom",
        message: `duplicate cluster name "${c.name}" (also clusters[${first}])`,
        path: [index, "name"],
      });
    else seen.set(c.name, index);
  });
});

const defaults = strict({
  requestTimeoutMs: timeout.default(DEFAULT_SETTINGS.requestTimeoutMs),
  maxConcurrentRequests: concurrency.default(DEFAULT_SETTINGS.maxConcurrentRequests),
  resyncBackoffMaxMs: millis(3_600_000).default(DEFAULT_SETTINGS.resyncBackoffMaxMs),
});

const limits = strict({
  maxDepth: z.int().min(1).max(100).optional(),
  maxCost: z.int().min(1).max(1_000_000_000).optional(),
  maxAliases: z.int().min(0).max(100_000).optional(),
  maxRootFields: z.int().min(1).max(100_000).optional(),
  maxTokens: z.int().min(1).max(10_000_000).optional(),
  maxVariablesBytes: z
    .int()
    .min(2)
    .max(1024 * 1024 * 1024)
    .optional(),
  maxBodyBytes: z
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .optional(),
  maxUpstreamCalls: z.int().min(0).max(1_000_000).optional(),
  requestDeadlineMs: z.int().min(1).max(3_600_000).optional(),
  // Per caller, shared by the replicas through auth.redis (docs/security.md); off without it.
  rateLimit: strict({
    points: z.int().min(1).max(1_000_000_000),
    durationSeconds: z.int().min(1).max(86_400),
    blockSeconds: z.int().min(0).max(86_400).optional(),
  }).optional(),
});

// A count of clusters, or a whole percentage of the fleet ("50%"): how /readyz judges a partial sync.
const percentage = z
  .string()
  .regex(/^(100|[1-9]?\d)%$/)
  .transform((text) => text as `${number}%`);
const clusterCount = z.union([z.int().min(0).max(100_000), percentage], {
  error: 'must be a number of clusters (0 or more) or a percentage of the fleet from "0%" to "100%"',
});

const subscriptions = strict({
  historyPerCluster: z.int().min(1).max(1_000_000).optional(),
  maxQueuedEvents: z.int().min(1).max(1_000_000).optional(),
  allowedOrigins: z.array(z.string().min(1)).optional(),
});

// Writes (docs/mutations.md): how many objects one mutation may touch.
const mutations = strict({
  maxTargets: z.int().min(1).max(10_000).optional(),
});

const readiness = strict({
  minSyncedClusters: clusterCount.optional(),
  waitForAllClusters: z.boolean().optional(),
});

// How the caches list the fleet (docs/configuration.md#sync).
const sync = strict({
  maxConcurrentLists: z.int().min(1).max(1024).optional(),
  maxListsPerCluster: z.int().min(1).max(64).optional(),
  listPageTimeoutMs: z.int().min(1).max(600_000).optional(),
  listAttempts: z.int().min(1).max(100).optional(),
  watchLagMs: z.int().min(1000).max(3_600_000).optional(),
});

// The gateway's own telemetry (docs/telemetry.md): /metrics, and traces exported over OTLP/HTTP.
const telemetry = strict({
  metrics: z.boolean().optional(),
  tracing: strict({
    otlpEndpoint: z.url({ protocol: /^https?$/ }).optional(),
    serviceName: z.string().min(1).max(256).optional(),
    sampleRatio: z.number().min(0).max(1).optional(),
  }).optional(),
});

// Production mode (docs/security.md): true, false, or its switches one by one.
const production = z.union([
  z.boolean(),
  strict({ introspection: z.boolean().optional(), maskErrors: z.boolean().optional() }),
]);

// Only registered operations run (docs/security.md, "Trusted documents").
const trustedDocuments = strict({
  mode: z.enum(["off", "allowList", "required"]),
  manifests: z.array(nonEmpty).default([]),
}).superRefine((t, ctx) => {
  if (t.mode !== "off" && t.manifests.length === 0)
    ctx.addIssue({
      code: "custom",
      message: `mode ${t.mode} needs at least one manifest: without one no operation could run`,
      path: ["manifests"],
    });
});

// Workloads grouped across clusters (fleetWorkloads): by a placement label where they carry it.
const fleetWorkloads = strict({ groupLabel: labelKey.optional() });

// How the schema is served: plain, or as an Apollo Federation 2 subgraph (docs/federation.md).
const graphql = strict({ subgraph: z.boolean().optional() });

export const configFileSchema = strict({
  port: z.int().min(1).max(65535).default(DEFAULT_PORT),
  workspaceLabel: labelKey.default(DEFAULT_WORKSPACE_LABEL),
  defaults: defaults.prefault({}),
  clusters: clusters.default([]),
  limits: limits.optional(),
  readiness: readiness.optional(),
  sync: sync.optional(),
  subscriptions: subscriptions.optional(),
  auth: authSchema.optional(),
  metrics: metrics.optional(),
  logs: logs.optional(),
  alerts: alerts.optional(),
  audit: audit.optional(),
  mutations: mutations.optional(),
  fleetWorkloads: fleetWorkloads.optional(),
  notifications: notificationsSchema.optional(),
  telemetry: telemetry.optional(),
  production: production.optional(),
  trustedDocuments: trustedDocuments.optional(),
  graphql: graphql.optional(),
}).superRefine((file, ctx) => {
  // An Alertmanager named by several entries holds their clusters' alerts together: only the
  // cluster label tells them apart (the shared entry's defaults to "cluster"). A cluster's own
  // entry without it would list the others' alerts as its own, and a silence made or expired
  // for that cluster would mute or unmute the others' alerts (a tenant's reach across clusters).
  const named = new Map<string, number>();
  const urlOf = (entry: { url: string }) => entry.url.replace(/\/+$/, "");
  if (file.alerts?.alertmanager) named.set(urlOf(file.alerts.alertmanager), 1);
  for (const c of file.clusters)
    if (c.alertmanager) named.set(urlOf(c.alertmanager), (named.get(urlOf(c.alertmanager)) ?? 0) + 1);
  file.clusters.forEach((c, index) => {
    if (!c.alertmanager || c.alertmanager.clusterLabel !== undefined || named.get(urlOf(c.alertmanager))! < 2)
      return;
    ctx.addIssue({
      code: "custom",
      message:
        "another cluster (or alerts.alertmanager) names the same Alertmanager: one holding several clusters' alerts " +
        "needs clusterLabel on each cluster's entry (the label its alerts carry, e.g. cluster), or one cluster's " +
        "silences would mute another's alerts",
      path: ["clusters", index, "alertmanager", "clusterLabel"],
    });
  });
});

export type ConfigFile = z.output<typeof configFileSchema>;
export type ClusterEntry = ConfigFile["clusters"][number];
export type TlsEntry = NonNullable<ClusterEntry["tls"]>;
export type LogStoreEntry = NonNullable<ClusterEntry["logStore"]>;
export type PrometheusEntry = NonNullable<ClusterEntry["prometheus"]>;
