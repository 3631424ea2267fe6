/**
 * The alert stream as a sink: each push told to it as one report per cluster (firing and
 * resolved alerts, not the cluster's whole list), so `alertChanges` hears of pushed alerts
 * without waiting for its next poll: src/alerts' `AlertUpdates.report`, the AlertFeed's.
 */
import type { Alert, AlertUpdates, ClusterAlertReport } from "../alerts/alert.js";
import type { AlertPush, AlertSink, PushedAlert } from "./alert-sink.js";

/** The stream's model (src/alerts/alert.ts): a push is told as partial per-cluster reports. */
export type ReportedAlert = Alert;
export type ReportedAlerts = ClusterAlertReport;
export type AlertReports = AlertUpdates;

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
    // A notification names no silence or inhibition: what it carries was active, so firing.
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
