/**
 * What a query may cost the gateway, counted in objects it may touch (graphql-query-complexity
 * walks the query; the estimator below prices each field):
 *
 * - a scalar or enum field costs 0;
 * - an object field costs 1 plus its selections;
 * - a paged list (a field with `first`/`last`) costs n x clusters x (1 + its selections), where n
 *   is `first` or `last` (default page size when neither is given) and clusters is how many
 *   clusters a root list fans out to: one when it names a `cluster`, else the ones its
 *   `filter.clusters` / `filter.clusterSelector` select, or every known cluster. `Query.clusters`
 *   lists clusters rather than fanning out, so for it n is at most the number of clusters and
 *   the multiplier is 1;
 * - `nodes` and `edges` of a connection are the page the connection was already priced for;
 * - any other list of objects with an `id` (an unpaged relation such as `namespace.pods`) is
 *   priced as one default page; lists of values without an id (containers, conditions, owners,
 *   ports, freshness) as one object.
 */
import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
} from "graphql";
import {
  getComplexity,
  type ComplexityEstimator,
  type ComplexityEstimatorArgs,
} from "graphql-query-complexity";

/** The cluster filter fields every root list takes. */
export interface FanOutFilter {
  clusters?: string[] | null;
  clusterSelector?: string | null;
}

export interface CostModel {
  /** The page size of a list without first/last (the query engine's default). */
  defaultPageSize: number;
  /** How many clusters a root list with this filter reads from. */
  clustersFor: (filter: FanOutFilter | undefined) => number;
  /** How many clusters the fleet has (caps Query.clusters' page). */
  clusterCount: () => number;
}

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
  /** Walking stops (and throws) after this many fields and fragments. */
  maxQueryNodes?: number;
}

export function queryCost(input: CostInput, model: CostModel): number {
  return getComplexity({
    schema: input.schema,
    query: input.document,
    variables: input.variables ?? {},
    ...(input.operationName ? { operationName: input.operationName } : {}),
    ...(input.maxQueryNodes !== undefined ? { maxQueryNodes: input.maxQueryNodes } : {}),
    estimators: [fleetEstimator(model)],
  });
}

export function fleetEstimator(model: CostModel): ComplexityEstimator {
  return (options: ComplexityEstimatorArgs): number => {
    const { field, type, args, childComplexity } = options;
    const named = getNamedType(field.type);
    if (!isObjectType(named) && !isInterfaceType(named)) return 0;
    const self = 1 + childComplexity;
    if (isPaged(field)) {
      const requested = pageSize(args, model.defaultPageSize);
      if (type.name === "Query" && field.name === "clusters")
        return Math.min(requested, model.clusterCount()) * self;
      const clusters = type.name === "Query" ? fanOut(args, model) : 1;
      return requested * clusters * self;
    }
    if (!isListType(getNullableType(field.type))) return self;
    if (type.name.endsWith("Connection") && (field.name === "nodes" || field.name === "edges")) return self;
    return hasId(named) ? model.defaultPageSize * self : self;
  };
}

// GraphQLField's own type parameters are `any`; only its argument names are read here.
type AnyField = GraphQLField<unknown, unknown>;

function isPaged(field: AnyField): boolean {
  return field.args.some((a) => a.name === "first" || a.name === "last");
}

function pageSize(args: Record<string, unknown>, fallback: number): number {
  const n =
    typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : fallback;
  // A negative or absurd size is rejected by the query engine; price it as what it asks for.
  return Math.max(0, n);
}

/** A root list naming one `cluster` reads that cluster; the others read what their filter selects. */
function fanOut(args: Record<string, unknown>, model: CostModel): number {
  if (typeof args.cluster === "string") return 1;
  return Math.max(1, model.clustersFor(filterOf(args)));
}

function filterOf(args: Record<string, unknown>): FanOutFilter | undefined {
  const filter = args.filter;
  return typeof filter === "object" && filter !== null ? filter : undefined;
}

function hasId(type: { getFields(): Record<string, unknown> }): boolean {
  return "id" in type.getFields();
}
