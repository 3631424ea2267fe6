/**
 * Which channels an alert goes to: those of the workspace owning its namespace (the namespace's
 * workspace label, as everywhere in the gateway); an alert with no namespace — cluster-level —
 * or whose namespace no workspace owns, to the fleet's channels. Disabled channels get nothing.
 */
import type { PushedAlert } from "./alert-sink.js";
import type { StoredChannel } from "./channel.js";
import type { QueuedAlert } from "./delivery-queue.js";

/** The workspace owning a namespace of a cluster; undefined: none (or the namespace is unknown). */
export type WorkspaceOf = (cluster: string, namespace: string) => string | undefined;

export function routeAlerts(
  alerts: readonly PushedAlert[],
  channels: readonly StoredChannel[],
  workspaceOf: WorkspaceOf,
): QueuedAlert[] {
  const byWorkspace = new Map<string | null, StoredChannel[]>();
  for (const c of channels) {
    if (!c.enabled) continue;
    const list = byWorkspace.get(c.workspace);
    if (list) list.push(c);
    else byWorkspace.set(c.workspace, [c]);
  }
  const routed: QueuedAlert[] = [];
  for (const alert of alerts) {
    const namespace = alert.labels.namespace;
    const workspace = namespace ? (workspaceOf(alert.cluster, namespace) ?? null) : null;
    for (const channel of byWorkspace.get(workspace) ?? [])
      routed.push({ channelId: channel.id, workspace, alert });
  }
  return routed;
}
