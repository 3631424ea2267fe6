/**
 * Which API lists a STRONG read makes: one stream per (cluster, kind, namespace) the filter
 * selects and the Scope allows. The Scope is applied here, before any request is sent: a
 * cluster the caller may not read is never contacted, and a namespace-restricted caller's reads
 * are per-namespace lists of the namespaces it may read. With every namespace readable, the
 * cluster's namespaces are listed first (one extra request per cluster) so that each stream is
 * one namespace in name order (see stream-order.ts).
 */
import type { CachedKind } from "../cache/entry.js";
import type { CompiledFilter } from "../cache/query/filter.js";
import { intersect, readableNamespaces, type Namespaces } from "../cache/query/plan.js";
import type { Scope } from "../cache/scope.js";
import type { ClusterConnection } from "../fleet/cluster-connection.js";
import type { Impersonation } from "../fleet/impersonation.js";
import type { FleetRegistry } from "../fleet/registry.js";
import { clusterScoped, pathOf } from "../kinds/index.js";
import { matchesLabels } from "../kube/label-selector.js";
import type { ClusterOutcomes } from "../query-service/index.js";
import { reportClusterFailure } from "./cluster-failure.js";
import type { StreamKey } from "./merged-cursor.js";

/** What a live read needs of the fleet: its members' connections and labels. */
export type LiveFleet = Pick<FleetRegistry, "names" | "get" | "clusterLabels">;

export interface StreamPlan {
  /** The clusters the read fans out to, by name (those that failed included). */
  clusters: string[];
  streams: StreamKey[];
  /** Clusters that failed while planning (listing namespaces); already reported. */
  failed: Set<string>;
  /**
   * For the Namespace kind: the names the caller may read and asked for, per cluster ("*" for
   * any). Namespaces are one cluster-wide stream, so this is checked per object.
   */
  namespaceNames: Map<string, Namespaces>;
}

const NAMESPACE_PAGE = 500;

export async function planStreams(
  fleet: LiveFleet,
  kinds: readonly CachedKind[],
  filter: CompiledFilter,
  scope: Scope,
  outcomes: ClusterOutcomes,
  impersonate: Impersonation | undefined,
): Promise<StreamPlan> {
  const plan: StreamPlan = { clusters: [], streams: [], failed: new Set(), namespaceNames: new Map() };
  const work: Promise<void>[] = [];
  for (const cluster of [...fleet.names()].sort()) {
    const connection = fleet.get(cluster);
    if (!connection || !selected(fleet, cluster, filter)) continue;
    const readable = kinds.map((kind) => ({
      kind,
      namespaces: readableNamespaces(scope, cluster, { kind, clusterScoped: clusterScoped(kind) }),
    }));
    if (readable.every((r) => r.namespaces === undefined)) continue;
    plan.clusters.push(cluster);
    work.push(planCluster(plan, connection, readable, filter, outcomes, impersonate));
  }
  await Promise.all(work);
  plan.streams.sort(compareKeys);
  return plan;
}

function selected(fleet: LiveFleet, cluster: string, filter: CompiledFilter): boolean {
  if (filter.clusters && !filter.clusters.has(cluster)) return false;
  return !filter.clusterSelector || matchesLabels(filter.clusterSelector, fleet.clusterLabels(cluster));
}

async function planCluster(
  plan: StreamPlan,
  connection: ClusterConnection,
  readable: { kind: CachedKind; namespaces: Namespaces | undefined }[],
  filter: CompiledFilter,
  outcomes: ClusterOutcomes,
  impersonate: Impersonation | undefined,
): Promise<void> {
  const cluster = connection.name;
  let listed: string[] | undefined;
  for (const { kind, namespaces } of readable) {
    if (namespaces === undefined) continue;
    const wanted = intersect(namespaces, filter.namespaces);
    if (clusterScoped(kind)) {
      if (kind === "Namespace") plan.namespaceNames.set(cluster, wanted);
      if (kind === "Namespace" && wanted !== "*") {
        // A caller who may read some namespaces may get each by name, but not list them all
        // (the API server authorises `get namespaces/<n>` within n): one stream per name.
        for (const name of wanted) plan.streams.push({ kind, cluster, namespace: name });
      } else if (wanted === "*" || wanted.size > 0) plan.streams.push({ kind, cluster, namespace: "" });
      continue;
    }
    if (wanted === "*" && listed === undefined) {
      try {
        listed = await namespaceNames(connection, impersonate);
      } catch (error) {
        reportClusterFailure(outcomes, cluster, `listing namespaces for a STRONG read`, error);
        plan.failed.add(cluster);
        return;
      }
    }
    for (const namespace of wanted === "*" ? listed! : wanted)
      plan.streams.push({ kind, cluster, namespace });
  }
}

/** Listed as the caller: which namespaces exist is the cluster's to tell them, or refuse. */
async function namespaceNames(
  connection: ClusterConnection,
  impersonate: Impersonation | undefined,
): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await connection.listPage(pathOf("Namespace"), {
      limit: NAMESPACE_PAGE,
      ...(token ? { continue: token } : {}),
      ...(impersonate ? { impersonate } : {}),
    });
    for (const item of page.items) if (item.metadata.name) names.push(item.metadata.name);
    token = page.continue;
  } while (token);
  return names;
}

function compareKeys(a: StreamKey, b: StreamKey): number {
  return cmp(a.cluster, b.cluster) || cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind);
}

function cmp(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
