/**
 * The list reads behind Query.namespaces, nodes, workloads, pods, services and events: GraphQL
 * filter fields -> engine filter + kind predicate, read from the caches (or, for STRONG, from the
 * injected reader), with the freshness of every cluster the list fanned out to.
 */
import type { CachedKind } from "../cache/entry.js";
import type {
  EventData,
  NamespaceData,
  NodeData,
  PodData,
  ServiceData,
  WorkloadData,
} from "../cache/projections.js";
import type { ObjectFilter, OrderBy, PageArgs, QueryResult } from "../cache/query/index.js";
import type { Scope } from "../cache/scope.js";
import { ConsistencyUnavailableError } from "./errors.js";
import { freshnessOf, selectClusters } from "./fan-out.js";
import type { FleetView } from "./fleet-view.js";
import {
  WORKLOAD_KINDS,
  type Consistency,
  type EventListFilter,
  type ListPage,
  type ListRequest,
  type NamespacedFilterFields,
  type NamespaceListFilter,
  type NodeListFilter,
  type ObjectFilterFields,
  type PodListFilter,
  type ServiceListFilter,
  type WorkloadListFilter,
} from "./list-request.js";
import { mergeResults } from "./merge.js";
import type { ObjectReader } from "./object-reader.js";
import type { ClusterOutcomes } from "./outcomes.js";
import {
  eventPredicate,
  namespacePredicate,
  nodePredicate,
  podPredicate,
  servicePredicate,
  workloadPredicate,
} from "./predicates.js";
import type { StrongReader } from "./strong-reader.js";

export type PodOrderField = "NAME" | "NAMESPACE" | "CLUSTER" | "CREATED" | "RESTARTS";

/** Clusters first, then namespace and name (the engine's tie-breakers): how kubectl groups. */
const DEFAULT_ORDER: OrderBy = { field: "CLUSTER", direction: "ASC" };

export interface ObjectListsOptions {
  reader: ObjectReader;
  fleet: FleetView;
  strongReader?: StrongReader | undefined;
  /** The namespace label naming its workspace (KubeSphere's `kubesphere.io/workspace`). */
  workspaceLabel: string;
}

export class ObjectLists {
  constructor(private readonly options: ObjectListsOptions) {}

  namespaces(request: ListRequest<NamespaceListFilter>, scope: Scope, outcomes: ClusterOutcomes) {
    const filter = request.filter ?? {};
    const predicate = namespacePredicate(filter, this.options.workspaceLabel);
    return this.list<NamespaceData>(
      ["Namespace"],
      objectFilter(filter, predicate),
      request.orderBy,
      request,
      scope,
      outcomes,
    );
  }

  nodes(request: ListRequest<NodeListFilter>, scope: Scope, outcomes: ClusterOutcomes) {
    const filter = request.filter ?? {};
    return this.list<NodeData>(
      ["Node"],
      objectFilter(filter, nodePredicate(filter)),
      request.orderBy,
      request,
      scope,
      outcomes,
    );
  }

  workloads(request: ListRequest<WorkloadListFilter>, scope: Scope, outcomes: ClusterOutcomes) {
    const filter = request.filter ?? {};
    const kinds = filter.kinds ? WORKLOAD_KINDS.filter((k) => filter.kinds!.includes(k)) : WORKLOAD_KINDS;
    const predicate = workloadPredicate(filter);
    return this.list<WorkloadData>(
      kinds,
      objectFilter(filter, predicate),
      request.orderBy,
      request,
      scope,
      outcomes,
    );
  }

  pods(request: ListRequest<PodListFilter, PodOrderField>, scope: Scope, outcomes: ClusterOutcomes) {
    const filter = request.filter ?? {};
    const requested = request.orderBy;
    // Restarts change while a client pages; the engine's cursor keeps the position regardless.
    const order: OrderBy | null | undefined =
      requested?.field === "RESTARTS"
        ? { field: "CUSTOM", direction: requested.direction, custom: (e) => (e.data as PodData).restarts }
        : (requested as OrderBy | null | undefined);
    return this.list<PodData>(
      ["Pod"],
      objectFilter(filter, podPredicate(filter)),
      order,
      request,
      scope,
      outcomes,
    );
  }

  services(request: ListRequest<ServiceListFilter>, scope: Scope, outcomes: ClusterOutcomes) {
    const filter = request.filter ?? {};
    const predicate = servicePredicate(filter);
    return this.list<ServiceData>(
      ["Service"],
      objectFilter(filter, predicate),
      request.orderBy,
      request,
      scope,
      outcomes,
    );
  }

  events(request: ListRequest<EventListFilter>, scope: Scope, outcomes: ClusterOutcomes) {
    const filter = request.filter ?? {};
    const predicate = eventPredicate(filter);
    return this.list<EventData>(
      ["Event"],
      objectFilter(filter, predicate),
      request.orderBy,
      request,
      scope,
      outcomes,
    );
  }

  private async list<D>(
    kinds: readonly CachedKind[],
    filter: ObjectFilter,
    orderBy: OrderBy | null | undefined,
    request: { page: PageArgs; consistency?: Consistency | null },
    scope: Scope,
    outcomes: ClusterOutcomes,
  ): Promise<ListPage<D>> {
    const order = orderBy ?? DEFAULT_ORDER;
    if (request.consistency === "STRONG") {
      const strong = this.options.strongReader;
      if (!strong) throw new ConsistencyUnavailableError(kinds.join(", "));
      return strong.list<D>(kinds, filter, scope, order, request.page, outcomes);
    }
    const { reader, fleet } = this.options;
    const result: QueryResult<D> =
      kinds.length === 1
        ? reader.query<D>(kinds[0]!, filter, scope, order, request.page)
        : mergeResults(
            kinds.map((kind) => reader.query<D>(kind, filter, scope, order, request.page)),
            order,
            request.page,
          );
    // Freshness is of the clusters the filter selects, whether or not they had matches.
    const clusters = freshnessOf(fleet, selectClusters(fleet, filter, scope, kinds[0]), outcomes);
    return { ...result, clusters };
  }
}

/** GraphQL's nulls become "not given"; empty lists stay (they select nothing). */
function objectFilter(
  fields: ObjectFilterFields & Partial<Pick<NamespacedFilterFields, "namespaces">>,
  predicate: ObjectFilter["predicate"],
): ObjectFilter {
  const filter: ObjectFilter = {};
  if (fields.clusters != null) filter.clusters = fields.clusters;
  if (fields.clusterSelector != null) filter.clusterSelector = fields.clusterSelector;
  if (fields.namespaces != null) filter.namespaces = fields.namespaces;
  if (fields.labelSelector != null) filter.labelSelector = fields.labelSelector;
  if (fields.nameContains != null && fields.nameContains !== "") filter.nameContains = fields.nameContains;
  if (predicate) filter.predicate = predicate;
  return filter;
}
