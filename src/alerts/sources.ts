/**
 * Where a cluster's alerts are read: its Alertmanager (API v2: active, silenced and inhibited
 * alerts) and its Prometheus (/api/v1/alerts: the pending ones, and every one when no Alertmanager
 * is configured). In a shared backend the cluster's alerts are those whose cluster label names it.
 * A failed source is told apart (ALERTMANAGER or PROMETHEUS), so the other still answers.
 */
import type { AlertmanagerAlert, AlertmanagerClient } from "../backends/alertmanager/client.js";
import type { AlertingRule, RuleAlert } from "../backends/prometheus/rules.js";
import { labelsFingerprint, type Alert, type AlertSource } from "./alert.js";

/** What alert reads need of a Prometheus client (src/backends/prometheus). */
export interface RulesClient {
  rules(signal?: AbortSignal): Promise<AlertingRule[]>;
  alerts(signal?: AbortSignal): Promise<RuleAlert[]>;
}

export interface ClusterLabel {
  name: string;
  value: string;
}

export interface ClusterAlertSources {
  alertmanager?: { client: Pick<AlertmanagerClient, "alerts">; clusterLabel?: ClusterLabel };
  prometheus?: { client: RulesClient; clusterLabel?: ClusterLabel };
}

/** Every cluster's sources, from the config in force. */
export interface AlertSources {
  forCluster(cluster: string): ClusterAlertSources;
}

export const NO_ALERT_SOURCES: AlertSources = Object.freeze({ forCluster: () => ({}) });

/** One source's failure: its typed error (code, retryable) and which source it was. */
export interface SourceFailure {
  source: AlertSource;
  error: unknown;
}

export interface ClusterAlerts {
  alerts: Alert[];
  failures: SourceFailure[];
  /** Whether some source is configured for the cluster at all. */
  configured: boolean;
}

export interface ReadOptions {
  /** Also Prometheus's pending alerts (reads do; the change poller does not). */
  pending: boolean;
  signal?: AbortSignal;
}

/** The cluster's active alerts from every source configured for it, failures beside them. */
export async function readClusterAlerts(
  cluster: string,
  sources: ClusterAlertSources,
  options: ReadOptions,
): Promise<ClusterAlerts> {
  const { alertmanager, prometheus } = sources;
  const failures: SourceFailure[] = [];
  const fromAlertmanager = alertmanager
    ? alertmanager.client
        // A shared Alertmanager is asked for every cluster's alerts at once and each cluster keeps
        // its own: callers wrap their sources in sharedAlertReads, so one request or poll round
        // asks it once (shared-reads.ts) rather than once per cluster.
        .alerts({ matchers: [] }, options.signal)
        .then(
          (alerts) =>
            alerts
              .filter((a) => inCluster(a.labels, alertmanager.clusterLabel))
              .map((a) => fromAlertmanagerAlert(cluster, a)),
          (error: unknown) => {
            failures.push({ source: "ALERTMANAGER", error });
            return [] as Alert[];
          },
        )
    : Promise.resolve([] as Alert[]);
  // Without an Alertmanager, Prometheus's firing alerts are the cluster's alerts.
  const wanted = (state: RuleAlert["state"]): boolean =>
    state === "pending" ? options.pending : state === "firing" && alertmanager === undefined;
  const fromPrometheus =
    prometheus && (options.pending || alertmanager === undefined)
      ? prometheus.client.alerts(options.signal).then(
          (alerts) =>
            alerts
              .filter((a) => wanted(a.state) && inCluster(a.labels, prometheus.clusterLabel))
              .map((a) => fromRuleAlert(cluster, a)),
          (error: unknown) => {
            failures.push({ source: "PROMETHEUS", error });
            return [] as Alert[];
          },
        )
      : Promise.resolve([] as Alert[]);
  const [managed, evaluated] = await Promise.all([fromAlertmanager, fromPrometheus]);
  // An alert Alertmanager holds is told as Alertmanager tells it.
  const known = new Set(managed.map((a) => a.fingerprint));
  return {
    alerts: [...managed, ...evaluated.filter((a) => !known.has(a.fingerprint))],
    failures,
    configured: alertmanager !== undefined || prometheus !== undefined,
  };
}

export function inCluster(
  labels: Readonly<Record<string, string>>,
  label: ClusterLabel | undefined,
): boolean {
  return label === undefined || labels[label.name] === label.value;
}

export function fromAlertmanagerAlert(cluster: string, a: AlertmanagerAlert): Alert {
  return {
    cluster,
    fingerprint: a.fingerprint,
    name: a.labels.alertname ?? "",
    labels: a.labels,
    annotations: a.annotations,
    state: a.state === "suppressed" ? "SUPPRESSED" : "FIRING",
    startsAt: a.startsAt,
    updatedAt: a.updatedAt,
    ...(a.endsAt !== undefined ? { endsAt: a.endsAt } : {}),
    silencedBy: a.silencedBy,
    inhibitedBy: a.inhibitedBy,
    ...(a.generatorURL !== undefined ? { generatorURL: a.generatorURL } : {}),
    source: "ALERTMANAGER",
  };
}

export function fromRuleAlert(cluster: string, a: RuleAlert): Alert {
  const startsAt = a.activeAt ?? new Date(0).toISOString();
  return {
    cluster,
    fingerprint: labelsFingerprint(a.labels),
    name: a.labels.alertname ?? "",
    labels: a.labels,
    annotations: a.annotations,
    state: a.state === "pending" ? "PENDING" : "FIRING",
    startsAt,
    updatedAt: startsAt,
    silencedBy: [],
    inhibitedBy: [],
    source: "PROMETHEUS",
  };
}
