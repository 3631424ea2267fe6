/**
 * The alert stream as a sink: each push told to it as one report per cluster (firing and
 * resolved alerts, not the cluster's whole list), so `alertChanges` hears of pushed alerts
 * without waiting for its next poll. Typed by the shape src/alerts' `AlertUpdates.report` takes,
 * so its feed is passed as it is.
 */
import type { AlertPush, AlertSink, PushedAlert } from "./alert-sink.js";

/** An alert as the stream models it, from what Alertmanager pushed. */
export interface ReportedAlert {
  readonly cluster: string;
  readonly fingerprint: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** A notification names no silence or inhibition: what it carries was active, so firing. */
  readonly state: "FIRING";
  readonly startsAt: string;
  readonly updatedAt: string;
  readonly endsAt?: string;
  readonly silencedBy: readonly string[];
  readonly inhibitedBy: readonly string[];
  readonly generatorURL?: string;
  readonly source: "ALERTMANAGER";
}

export interface ReportedAlerts {
  readonly cluster: string;
  readonly active: readonly ReportedAlert[];
  readonly resolved: readonly ReportedAlert[];
  /** A notification names only some of the cluster's alerts. */
  readonly complete: false;
}

export interface AlertReports {
  report(report: ReportedAlerts): void;
}

export function alertStreamSink(stream: AlertReports, now: () => number = Date.now): AlertSink {
  return {
    accept(push: AlertPush): Promise<void> {
      const at = new Date(now()).toISOString();
      const byCluster = new Map<string, { active: ReportedAlert[]; resolved: ReportedAlert[] }>();
      for (const alert of push.alerts) {
        let lists = byCluster.get(alert.cluster);
        if (!lists) byCluster.set(alert.cluster, (lists = { active: [], resolved: [] }));
        (alert.status === "firing" ? lists.active : lists.resolved).push(reported(alert, at));
      }
      for (const [cluster, lists] of byCluster) stream.report({ cluster, ...lists, complete: false });
      return Promise.resolve();
    },
  };
}

function reported(alert: PushedAlert, at: string): ReportedAlert {
  return {
    cluster: alert.cluster,
    fingerprint: alert.fingerprint,
    name: alert.labels.alertname ?? "",
    labels: alert.labels,
    annotations: alert.annotations,
    state: "FIRING",
    startsAt: alert.startsAt,
    updatedAt: at,
    ...(alert.endsAt !== undefined ? { endsAt: alert.endsAt } : {}),
    silencedBy: [],
    inhibitedBy: [],
    ...(alert.generatorURL !== undefined ? { generatorURL: alert.generatorURL } : {}),
    source: "ALERTMANAGER",
  };
}
