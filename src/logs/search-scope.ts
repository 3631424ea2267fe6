/**
 * Which clusters a search reads, and in each which namespaces: the caller's Scope for the kind
 * whose data the search returns (pods for log lines, events for event history), narrowed by the
 * filter's clusters, workspaces and namespaces. Clusters with nothing readable are not searched;
 * clusters without a log store are reported in the answer's outcomes.
 */
import type { CachedKind } from "../cache/entry.js";
import type { Scope } from "../cache/scope.js";
import { QueryInputError } from "../cache/query/errors.js";
import { UpstreamRefusedError } from "../limits/request-budget.js";
import type { ClusterOutcomes, PageOutcome } from "../query-service/outcomes.js";
import type { ReadServices } from "../query-service/read-services.js";
import { workspaceNamespaces } from "../query-service/workspace-namespaces.js";
import type { LogSources } from "./sources.js";
import type { StoreFailure } from "./store-search.js";
import type { LogTarget, Namespaces } from "./targets.js";

export interface ScopeFilter {
  clusters?: string[] | null;
  clusterSelector?: string | null;
  workspaces?: string[] | null;
  namespaces?: string[] | null;
}

export interface SearchScopeDeps {
  services: ReadServices;
  scope: Scope;
  sources: LogSources;
  outcomes: ClusterOutcomes;
}

export interface SearchTargets {
  targets: LogTarget[];
  /** Every cluster the search concerns (targets and clusters without a store), for the outcomes. */
  clusters: string[];
  /** What is searched in each concerned cluster, store or not (event history reads the caches too). */
  namespaces: ReadonlyMap<string, Namespaces>;
}

const MAX_NAMES = 10_000;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Namespace names are DNS-1123 labels: anything else matches nothing and is most likely a mistake. */
export function checkNames(
  argument: string,
  names: readonly string[] | null | undefined,
  pattern = DNS_LABEL,
  max = 253,
): void {
  if (!names) return;
  if (names.length > MAX_NAMES)
    throw new QueryInputError(
      argument,
      `${argument} lists ${names.length} names; at most ${MAX_NAMES} are allowed`,
    );
  for (const name of names)
    if (name.length === 0 || name.length > max || !pattern.test(name))
      throw new QueryInputError(
        argument,
        `${argument} has "${name.slice(0, 80)}", which is not a Kubernetes name (lowercase letters, digits and '-', at most ${max} characters)`,
      );
}

/**
 * Values that only ever go into term-level clauses (user names, reasons, object names): any text
 * is harmless there, so only their number and length are bounded.
 */
export function checkValues(
  argument: string,
  values: readonly string[] | null | undefined,
  maxLength: number,
  maxCount = 100,
): void {
  if (!values) return;
  if (values.length > maxCount)
    throw new QueryInputError(
      argument,
      `${argument} lists ${values.length} values; at most ${maxCount} are allowed`,
    );
  for (const value of values)
    if (value.length === 0 || value.length > maxLength)
      throw new QueryInputError(
        argument,
        `${argument} has a value of ${value.length} characters; each must have 1 to ${maxLength}`,
      );
}

export function searchTargets(deps: SearchScopeDeps, filter: ScopeFilter, kind: CachedKind): SearchTargets {
  checkNames("filter.namespaces", filter.namespaces, DNS_LABEL, 63);
  const { services, scope, sources } = deps;
  const clusters = services.clusters.select(filter, scope);
  const asked = filter.namespaces ? new Set(filter.namespaces) : undefined;
  const inWorkspaces = filter.workspaces?.length
    ? workspaceNamespaces(services.reader, filter.workspaces, clusters, scope, {
        workspaceLabel: services.workspaceLabel,
      }).byCluster()
    : undefined;
  const targets: LogTarget[] = [];
  const concerned: string[] = [];
  const searchedNamespaces = new Map<string, Namespaces>();
  for (const cluster of clusters) {
    let namespaces: Namespaces = scope.namespacesIn(cluster, kind);
    if (asked) namespaces = narrow(namespaces, asked);
    if (inWorkspaces) namespaces = narrow(namespaces, new Set(inWorkspaces.get(cluster) ?? []));
    if (namespaces !== "*" && namespaces.size === 0) continue;
    concerned.push(cluster);
    searchedNamespaces.set(cluster, namespaces);
    const source = sources.forCluster(cluster);
    if (source) targets.push({ cluster, source, namespaces });
  }
  return { targets, clusters: concerned, namespaces: searchedNamespaces };
}

function narrow(namespaces: Namespaces, to: ReadonlySet<string>): ReadonlySet<string> {
  if (namespaces === "*") return to;
  return new Set([...to].filter((n) => namespaces.has(n)));
}

/** Records each failed store against its clusters, and clusters without a store. */
export function recordFailures(
  outcomes: ClusterOutcomes,
  searched: SearchTargets,
  failures: readonly StoreFailure[],
): void {
  const withStore = new Set(searched.targets.map((t) => t.cluster));
  for (const cluster of searched.clusters)
    if (!withStore.has(cluster))
      outcomes.reportClusterError(
        cluster,
        "LOG_STORE_UNAVAILABLE",
        `no log store is configured for cluster ${cluster} (logs.elasticsearch or clusters[].logStore in the config)`,
        false,
        "LOG_STORE",
      );
  for (const { clusters, error } of failures)
    for (const cluster of clusters)
      if (error instanceof UpstreamRefusedError)
        outcomes.reportRefusal(cluster, "log entries", error, "LOG_STORE");
      else outcomes.reportClusterError(cluster, error.code, error.message, error.retryable, "LOG_STORE");
}

/** One outcome per cluster the search concerned, its store's failure (if any) with it. */
export function storeOutcomes(outcomes: ClusterOutcomes, searched: SearchTargets): PageOutcome[] {
  return searched.clusters.map((cluster) => ({
    cluster,
    synced: true,
    staleSince: null,
    resourceVersion: "",
    source: "LOG_STORE",
    error: outcomes.errorFor(cluster, "LOG_STORE") ?? null,
  }));
}
