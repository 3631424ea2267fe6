/**
 * One `alertChanges` subscriber: the feed's changes narrowed by its filter and its Scope (asked
 * again per change, so a narrowed Scope applies mid-stream), queued in a bounded EventQueue that
 * coalesces per alert when the reader falls behind. It starts with the alerts active now (FIRED or
 * SILENCED) once the feed's first poll round has reported, then the changes.
 */
import type { Scope } from "../cache/scope.js";
import { EventQueue } from "../subscriptions/event-queue.js";
import { refreshScope } from "../subscriptions/scope-now.js";
import type { ReadServices } from "../query-service/read-services.js";
import { workspaceNamespaces } from "../query-service/workspace-namespaces.js";
import { compileAlertFilter, type AlertFilterInput } from "./alert-filter.js";
import type { AlertChange, AlertFeed } from "./alert-feed.js";
import { alertNamespace, mayReadAlert } from "./alert-scope.js";

export interface AlertSubscription {
  filter: AlertFilterInput;
  scope(): Scope | Promise<Scope>;
  maxQueued: number;
  /** Where the filter's workspaces' namespaces are found (the caches, as the subscriber may read them). */
  services: Pick<ReadServices, "reader" | "workspaceLabel">;
}

export async function subscribeToAlerts(
  feed: AlertFeed,
  request: AlertSubscription,
): Promise<AsyncIterableIterator<AlertChange>> {
  const matcher = compileAlertFilter(request.filter);
  const clusters = request.filter.clusters ? new Set(request.filter.clusters) : undefined;
  let scope = await request.scope();
  // The workspaces' namespaces as they are when the subscription starts.
  const inWorkspaces = request.filter.workspaces?.length
    ? workspaceNamespaces(request.services.reader, request.filter.workspaces, undefined, scope, {
        workspaceLabel: request.services.workspaceLabel,
      })
    : undefined;
  const wanted = (change: AlertChange): boolean => {
    const { alert } = change;
    if (clusters && !clusters.has(alert.cluster)) return false;
    if (inWorkspaces && !inWorkspaces.has(alert.cluster, alertNamespace(alert))) return false;
    // A resolved alert is told as it last was: its state filter is the one it had.
    return matcher.matches(alert) && mayReadAlert(scope, alert);
  };
  const queue: EventQueue<AlertChange> = new EventQueue<AlertChange>({
    maxQueued: request.maxQueued,
    keyOf: (c) => `${c.alert.cluster}\u0000${c.alert.fingerprint}`,
    merge: (older, newer) => (older.type === "FIRED" && newer.type === "RESOLVED" ? undefined : newer),
    onEnd: () => stop(),
  });
  // Listening first starts the poll loop (the first subscriber's); the snapshot is taken once its
  // first round has reported, so it is the sources' state and not what was known before. The
  // changes told until then are in the snapshot already.
  let snapshotTaken = false;
  const stop = feed.listen((change) => {
    if (!snapshotTaken) return;
    refreshScope(
      () => request.scope(),
      (s) => (scope = s),
    );
    if (wanted(change)) queue.push(change);
  });
  await feed.ready();
  const at = new Date().toISOString();
  for (const alert of feed.current()) {
    const change: AlertChange = { type: alert.state === "SUPPRESSED" ? "SILENCED" : "FIRED", alert, at };
    if (wanted(change)) queue.push(change);
  }
  snapshotTaken = true;
  return queue;
}
