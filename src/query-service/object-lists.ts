/**
 * The one list read behind every object list of the API, root lists and relations alike: the
 * GraphQL filter -> an engine filter (the fields every kind shares, workspaces, the kind's own
 * predicate, and what a relation adds), the order -> a built-in or kind-specific key, read from
 * the caches (or, for STRONG, from the API servers), with the outcome of every cluster it read.
 */
import type { ObjectFilter, OrderBy } from "../cache/query/index.js";
import { QueryInputError } from "../cache/query/index.js";
import type { Subject } from "../../auth/subject.js";
import type { Scope } from "../cache/scope.js";
import { allOf, type AnyKind, type KindSettings, type Predicate } from "../kinds/index.js";
import { ConsistencyUnavailableError } from "./errors.js";
import { freshnessOf, selectClusters, warnUnknownClusters } from "./fan-out.js";
import type { ClusterFreshness, FleetView } from "./fleet-view.js";
import { WatchPositions } from "../cache/watch-cursor.js";
import type { ListPage, ListRequest, ObjectFilterFields, OrderRequest, Within } from "./list-request.js";
import { mergeResults } from "./merge.js";
import type { ObjectReader } from "./object-reader.js";
import type { ClusterOutcomes } from "./outcomes.js";
import { emptyPage } from "./empty-page.js";
import type { StrongReader } from "./strong-reader.js";
import { workspaceNamespaces } from "./workspace-namespaces.js";

/** Clusters first, then namespace and name (the engine's tie-breakers): how kubectl groups. */
const DEFAULT_ORDER: OrderRequest = { field: "CLUSTER", direction: "ASC" };
const BUILT_IN_ORDERS: ReadonlySet<string> = new Set(["NAME", "NAMESPACE", "CLUSTER", "CREATED"]);

export interface ObjectListsOptions {
  reader: ObjectReader;
  fleet: FleetView;
  strongReader?: StrongReader | undefined;
  settings: KindSettings;
}

export class ObjectLists {
  constructor(private readonly options: ObjectListsOptions) {}

  /**
   * One page over `kinds` (one, or the five workload kinds), which share a list: its cursors,
   * filter fields and orders are the first kind's. `within` narrows it to a relation's objects.
   * `subject` is who asks: a STRONG read goes to the API servers on their behalf.
   */
  async list<D>(
    kinds: readonly AnyKind[],
    request: ListRequest,
    scope: Scope,
    subject: Subject,
    outcomes: ClusterOutcomes,
    within?: Within,
  ): Promise<ListPage<D>> {
    const spec = kinds[0];
    if (!spec) throw new TypeError("a list needs at least one kind");
    const fields = request.filter ?? {};
    const { fleet, reader } = this.options;
    if (!within) warnUnknownClusters(fleet, fields, scope, outcomes);
    const order = orderFor(spec, request.orderBy);
    const page = { ...request.page, list: spec.list };
    const filter = this.filterFor(spec, fields, scope, within);
    const names = kinds.map((k) => k.kind);

    if (request.consistency === "STRONG" && within?.empty !== true) {
      const strong = this.options.strongReader;
      if (!strong) throw new ConsistencyUnavailableError(names.join(", "));
      const result = await strong.list<D>(names, filter, scope, subject, order, page, outcomes);
      return { ...result, outcomes: outcomes.pageOutcomes(result.clusters, "API_SERVER") };
    }
    // Freshness is of the clusters the filter selects, whether or not they had matches.
    const clusters = freshnessOf(fleet, selectClusters(fleet, filter, scope, spec.kind), outcomes, names);
    const result =
      within?.empty === true
        ? // A relation that can select nothing (a service without a selector) reads nothing.
          emptyPage<D>(page, spec.list, order.field)
        : names.length === 1
          ? reader.query<D>(names[0]!, filter, scope, order, page)
          : mergeResults(
              names.map((kind) => reader.query<D>(kind, filter, scope, order, page)),
              order,
              page,
            );
    return {
      ...result,
      outcomes: outcomes.pageOutcomes(clusters, "CACHE", request.orderBy?.key !== undefined),
      watchCursor: watchCursorOf(fleet, clusters, names),
    };
  }

  /**
   * The engine's filter for a list's filter fields (subscriptions test changes with it). GraphQL's
   * nulls become "not given"; empty lists stay (they select nothing). Workspaces are resolved to
   * their namespaces as they are now, within `scope`.
   */
  filterFor(spec: AnyKind, fields: ObjectFilterFields, scope: Scope, within?: Within): ObjectFilter {
    const settings = this.options.settings;
    const filter: ObjectFilter = {};
    const clusters = narrow(fields.clusters, within?.cluster);
    if (clusters !== undefined) filter.clusters = clusters;
    if (fields.clusterSelector != null) filter.clusterSelector = fields.clusterSelector;
    let namespaces = narrow(fields.namespaces, within?.namespace);
    const selectors = [fields.labelSelector, within?.labelSelector].filter((s): s is string => s != null);
    if (selectors.length > 0) filter.labelSelector = selectors.join(",");
    if (fields.nameContains != null && fields.nameContains !== "") filter.nameContains = fields.nameContains;
    if (within?.owners) filter.owners = within.owners;
    if (within?.index) filter.index = within.index;

    const facets = spec.facetFilter?.(fields) ?? [];
    if (facets.length > 0) filter.facets = facets;
    const predicates: (Predicate | false)[] = [spec.predicate?.(fields, settings) ?? false];
    if (fields.workspaces != null) {
      const inWorkspaces = workspaceNamespaces(
        this.options.reader,
        fields.workspaces,
        clusters,
        scope,
        settings,
      );
      if (spec.kind === "Namespace") {
        predicates.push((e) => inWorkspaces.has(e.cluster, e.name));
      } else if (spec.path.namespaced) {
        namespaces = narrowAll(namespaces, inWorkspaces.names());
        predicates.push((e) => inWorkspaces.has(e.cluster, e.namespace));
      } else {
        // A cluster-scoped object belongs to the workspaces that have namespaces in its cluster.
        filter.clusters = narrowAll(filter.clusters, inWorkspaces.clusters());
      }
    }
    if (namespaces !== undefined) filter.namespaces = namespaces;
    const predicate = allOf(predicates);
    if (predicate) filter.predicate = predicate;
    return filter;
  }
}

/** A filter's list of names narrowed to one (a relation's cluster or namespace). */
export function narrow(values: string[] | null | undefined, only: string | undefined): string[] | undefined {
  if (only === undefined) return values ?? undefined;
  return values == null || values.includes(only) ? [only] : [];
}

function narrowAll(values: string[] | undefined, only: readonly string[]): string[] {
  if (values === undefined) return [...only];
  const allowed = new Set(only);
  return values.filter((v) => allowed.has(v));
}

/** The built-in orders, or one of the kind's own; anything else is the caller's mistake. */
export function orderFor(spec: AnyKind, requested: OrderRequest | null | undefined): OrderBy {
  const order = requested ?? spec.defaultOrder ?? DEFAULT_ORDER;
  if (requested?.key) return { field: requested.field, direction: requested.direction, key: requested.key };
  if (BUILT_IN_ORDERS.has(order.field)) return { field: order.field, direction: order.direction };
  const key = spec.orderKeys?.[order.field];
  if (!key) {
    throw new QueryInputError("orderBy", `${spec.list} lists cannot be ordered by ${order.field}`);
  }
  return { field: order.field, direction: order.direction, key };
}

/**
 * The caches' positions when the list was read, encoded only if a client asks. One kind's
 * position is its freshness, already taken for the outcomes (a plain snapshot): nothing more is
 * done per list. Several kinds (workloads) are read one by one now, while they still match.
 */
function watchCursorOf(
  fleet: FleetView,
  clusters: readonly ClusterFreshness[],
  kinds: readonly string[],
): () => string {
  const versions =
    kinds.length === 1
      ? undefined
      : clusters.map((f) => kinds.map((kind) => fleet.freshness(f.cluster, [kind]).resourceVersion));
  let encoded: string | undefined;
  return () => {
    if (encoded !== undefined) return encoded;
    const positions = WatchPositions.empty();
    clusters.forEach((freshness, i) => {
      kinds.forEach((kind, k) => {
        const version = versions ? versions[i]![k]! : freshness.resourceVersion;
        if (version) positions.set(freshness.cluster, kind, version);
      });
    });
    return (encoded = positions.encode());
  };
}
