/**
 * The alert model every source speaks: Alertmanager's API v2, its webhook payloads and Prometheus's
 * /api/v1/alerts all become `Alert`s of one cluster. `AlertUpdates` is the one entry point for
 * "these alerts of cluster X changed": the Alertmanager poller calls it with complete lists, the
 * webhook receiver with the alerts a notification carries, so subscribers hear of both alike.
 */

/** FIRING: active and notified; PENDING: a rule's condition holds, its `for:` not yet passed;
 * SUPPRESSED: active but silenced or inhibited in Alertmanager. */
export type AlertState = "FIRING" | "PENDING" | "SUPPRESSED";

/** Where an alert was read. */
export type AlertSource = "ALERTMANAGER" | "PROMETHEUS";

export interface Alert {
  /** The gateway's name of the cluster the alert is about. */
  readonly cluster: string;
  /** Alertmanager's fingerprint of the label set (16 hex digits): the alert's identity. */
  readonly fingerprint: string;
  /** The `alertname` label. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: AlertState;
  /** ISO 8601. */
  readonly startsAt: string;
  /** When the source last changed or re-sent it (ISO 8601); startsAt when it says nothing. */
  readonly updatedAt: string;
  /** When it ends or ended (ISO 8601); undefined when the source gives none. */
  readonly endsAt?: string;
  /** The ids of the silences muting it (SUPPRESSED). */
  readonly silencedBy: readonly string[];
  /** The fingerprints of the alerts inhibiting it (SUPPRESSED). */
  readonly inhibitedBy: readonly string[];
  readonly generatorURL?: string;
  readonly source: AlertSource;
}

/**
 * One report of a cluster's alerts. `complete`: `active` is every active alert of the cluster (a
 * poll), so any alert known before and missing now has resolved. Otherwise (a webhook
 * notification) `active` and `resolved` are only the alerts the report names.
 */
export interface ClusterAlertReport {
  readonly cluster: string;
  readonly active: readonly Alert[];
  /** Alerts the source reports resolved (a webhook's `status: "resolved"`). */
  readonly resolved: readonly Alert[];
  readonly complete: boolean;
}

/** "These alerts of cluster X changed": what a poller or the webhook receiver tells. */
export interface AlertUpdates {
  report(report: ClusterAlertReport): void;
}

/** The label naming an alert, its severity, and Kubernetes' objects (kube-state-metrics names). */
export const ALERT_LABELS = Object.freeze({
  name: "alertname",
  severity: "severity",
  namespace: "namespace",
  pod: "pod",
  node: "node",
  deployment: "deployment",
  statefulSet: "statefulset",
  daemonSet: "daemonset",
});

const FNV_OFFSET = 14695981039346656037n;
const FNV_PRIME = 1099511628211n;
const MASK = (1n << 64n) - 1n;
const SEPARATOR = 0xff;

/**
 * Alertmanager's fingerprint of a label set (prometheus/common's model.LabelSet.Fingerprint:
 * FNV-1a 64 over names and values in name order, each followed by the byte 0xff), so alerts read
 * from Prometheus, where none is given, are named as Alertmanager names them.
 */
export function labelsFingerprint(labels: Readonly<Record<string, string>>): string {
  let hash = FNV_OFFSET;
  const add = (bytes: Uint8Array): void => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK;
  };
  const encoder = new TextEncoder();
  const separator = Uint8Array.of(SEPARATOR);
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add(separator);
    add(encoder.encode(labels[name]));
    add(separator);
  }
  return hash.toString(16).padStart(16, "0");
}
