/**
 * Who may see an alert (docs/alerts.md): an alert about a namespace, to whoever may read that
 * namespace's pods (what namespace-scoped alerts are about: pods, workloads, their usage); an
 * alert about no namespace (a node, the cluster), only to whoever holds a cluster role there —
 * read access to the cluster's nodes, which only a ClusterRole binding grants.
 */
import type { Scope } from "../cache/scope.js";
import { ALERT_LABELS, type Alert } from "./alert.js";

export function alertNamespace(alert: Pick<Alert, "labels">): string {
  return alert.labels[ALERT_LABELS.namespace] ?? "";
}

export function mayReadAlert(scope: Scope, alert: Pick<Alert, "cluster" | "labels">): boolean {
  const namespace = alertNamespace(alert);
  if (namespace === "") return mayReadClusterAlerts(scope, alert.cluster);
  const readable = scope.namespacesIn(alert.cluster, "Pod");
  return readable === "*" || readable.has(namespace);
}

/** A cluster role there: the cluster-level alerts, and the alerting rules in full. */
export function mayReadClusterAlerts(scope: Scope, cluster: string): boolean {
  return scope.allowsClusterKind(cluster, "Node");
}
