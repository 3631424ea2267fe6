/**
 * Which clusters a list fans out to, and how fresh each one is. Every list answer carries this
 * so a client can tell a complete answer from one built on a disconnected cluster's old cache;
 * problems are also reported to the request's outcomes, which become GraphQL errors.
 */
import type { CachedKind } from "../cache/entry.js";
import { QueryInputError } from "../cache/query/index.js";
import type { Scope } from "../cache/scope.js";
import { isClusterScoped, outsideNamespaces } from "../cache/kind-spec.js";
import { findKind } from "../kinds/index.js";
import {
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
  type LabelSelector,
} from "../kube/label-selector.js";
import type { ClusterFreshness, ClusterInfo, FleetView } from "./fleet-view.js";
import type { ClusterFilterFields } from "./list-request.js";
import type { ClusterOutcomes } from "./outcomes.js";

export function parseClusterSelector(text: string | null | undefined): LabelSelector | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    return parseLabelSelector(text);
  } catch (error) {
    if (error instanceof LabelSelectorError) throw new QueryInputError("clusterSelector", error.message);
    throw error;
  }
}

/** Whether the caller reads anything of `kind` in `cluster` (cluster-scoped kinds need a grant of their own). */
export function readsFrom(scope: Scope, cluster: string, kind: CachedKind | undefined): boolean {
  if (scope.unrestricted) return true;
  const spec = kind === undefined ? undefined : findKind(kind);
  if (spec && outsideNamespaces({ kind: spec.kind, clusterScoped: isClusterScoped(spec) })) {
    return scope.allowsClusterKind(cluster, spec.kind);
  }
  if (spec) {
    const namespaces = scope.namespacesIn(cluster, spec.kind);
    return namespaces === "*" || namespaces.size > 0;
  }
  return scope.allowsCluster(cluster);
}

/** The fleet's clusters that `filter` selects and `scope` lets the caller read, by name. */
export function selectClusters(
  fleet: FleetView,
  filter: ClusterFilterFields | null | undefined,
  scope: Scope,
  kind?: CachedKind,
): ClusterInfo[] {
  const names = filter?.clusters ? new Set(filter.clusters) : undefined;
  const selector = parseClusterSelector(filter?.clusterSelector);
  return fleet
    .clusters()
    .filter(
      (c) =>
        (names === undefined || names.has(c.name)) &&
        (selector === undefined || matchesLabels(selector, c.labels)) &&
        readsFrom(scope, c.name, kind),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Cluster names in a filter that the caller cannot read (unknown, or outside the scope: the two
 * are indistinguishable on purpose) match nothing; the answer says so in a warning, so a typo is
 * not mistaken for an empty cluster, while a dashboard's saved filter survives a cluster leaving.
 */
export function warnUnknownClusters(
  fleet: FleetView,
  filter: ClusterFilterFields | null | undefined,
  scope: Scope,
  outcomes: ClusterOutcomes,
): void {
  if (!filter?.clusters || filter.clusters.length === 0) return;
  const clusters = fleet.clusters();
  const readable = (name: string) => scope.unrestricted || scope.allowsCluster(name);
  // Asked on every list that names clusters: the common case (all known) allocates nothing.
  const unknown = filter.clusters.filter((name) => !clusters.some((c) => c.name === name) || !readable(name));
  if (unknown.length === 0) return;
  const known = clusters
    .map((c) => c.name)
    .filter(readable)
    .sort();
  outcomes.warn({
    code: "UNKNOWN_CLUSTER",
    message:
      `no cluster named ${unknown.map((n) => `"${n}"`).join(", ")} in the fleet (or in your scope): ` +
      `it matches nothing. Known clusters: ${known.join(", ") || "none"}`,
    clusters: unknown,
    knownClusters: known,
  });
}

/** Freshness of each cluster, reporting the ones whose part of the answer is missing or old. */
export function freshnessOf(
  fleet: FleetView,
  clusters: readonly ClusterInfo[],
  outcomes: ClusterOutcomes,
  kinds?: readonly string[],
): ClusterFreshness[] {
  return clusters.map(({ name }) => {
    const freshness = fleet.freshness(name, kinds);
    const problem = clusterProblem(fleet, freshness, kinds);
    if (problem) outcomes.reportClusterError(name, "CLUSTER_UNAVAILABLE", problem, true);
    return freshness;
  });
}

/** Why a cluster's part of an answer is missing or may be out of date; undefined when current. */
export function clusterProblem(
  fleet: FleetView,
  freshness: ClusterFreshness,
  kinds: readonly string[] | undefined,
): string | undefined {
  const { cluster } = freshness;
  const health = fleet.health(cluster);
  if (health.status === "UNREACHABLE") {
    const why = health.lastError ? `: ${health.lastError}` : "";
    return `cluster "${cluster}" is unreachable${why}; its objects come from the cache and may be out of date`;
  }
  if (!freshness.synced) {
    const of = kinds && kinds.length <= 2 ? ` of ${kinds.join(" and ")} objects` : "";
    return `cluster "${cluster}" has not finished its initial sync${of} (it may not serve them, or forbid them); its objects are missing or incomplete`;
  }
  if (freshness.staleSince) {
    return `cluster "${cluster}" has been disconnected since ${freshness.staleSince.toISOString()}; its objects come from the cache and may be out of date`;
  }
  return undefined;
}
