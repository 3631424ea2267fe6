/** An alert told in words, the same for every channel kind: a title line and what it is about. */
import type { PushedAlert } from "./alert-sink.js";

export interface AlertMessage {
  /** "[FIRING] KubePodCrashLooping on prod-eu/payments". */
  title: string;
  summary?: string;
  description?: string;
  /** Where it applies: cluster, then namespace and the object its labels name. */
  where: string;
  severity?: string;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
}

const OBJECT_LABELS = ["pod", "deployment", "statefulset", "daemonset", "job", "node"];

export function alertMessage(alert: PushedAlert): AlertMessage {
  const name = alert.labels.alertname ?? "alert";
  const namespace = alert.labels.namespace;
  const objectLabel = OBJECT_LABELS.find((l) => alert.labels[l] !== undefined);
  const where = [
    alert.cluster,
    ...(namespace !== undefined ? [namespace] : []),
    ...(objectLabel ? [`${objectLabel} ${alert.labels[objectLabel]}`] : []),
  ].join("/");
  return {
    title: `[${alert.status.toUpperCase()}] ${name} on ${where}`,
    where,
    startsAt: alert.startsAt,
    ...(alert.annotations.summary ? { summary: alert.annotations.summary } : {}),
    ...(alert.annotations.description ? { description: alert.annotations.description } : {}),
    ...(alert.labels.severity ? { severity: alert.labels.severity } : {}),
    ...(alert.endsAt ? { endsAt: alert.endsAt } : {}),
    ...(alert.generatorURL ? { generatorURL: alert.generatorURL } : {}),
  };
}
