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
 * - a merged page across clusters (`@Extensions({ mergedPage: true })`: log lines, events, audit)
 *   costs n x (1 + its selections): its size does not grow with the clusters it reads;
 * - a list read with `consistency: STRONG` adds 100 per upstream call it makes at least (two per
 *   cluster it fans out to: see upstream-calls.ts), on top of its page;
 * - a field that makes an upstream request each time it resolves (`@Extensions({ perCallCost })`:
 *   a pod's or workload's log search, a pods/log read) adds that cost once per resolution, so a
 *   list of 1,000 pods asking each for its log is priced as 1,000 requests, not as 1,000 lines;
 * - a mutation (`@Extensions({ perMutationTarget })`) costs that much per target it writes
 *   (`input.ids`; a filter at the most it may select; `input.groups` the most instances each may
 *   hold on every cluster, at most the target limit; one per cluster of `input.clusters`; a
 *   manifest's documents on each cluster), plus its payload's selections per target;
 * - `nodes` and `edges` of a connection are the page the connection was already priced for;
 * - a list field with a declared bound (`@Extensions({ maxItems })`, e.g. owner chains, at most
 *   8 links; a fleet workload's instances, at most so many per cluster) costs that many items; `Query.nodes(ids)` costs one item per id;
 * - any other list of objects with an `id` is priced as one default page; lists of values without
 *   an id (containers, conditions, ports, outcomes) as one object;
 * - metric series (`metrics(names:, range:)`) cost a tenth of an object per point of each name:
 *   objects x metrics x points, at the weight of the numbers they are.
 *
 * The walk also notes the list that multiplies most (its factor), so a refusal can name it.
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
import { DEFAULT_POINTS, MAX_POINTS } from "../metrics/window.js";
import { MAX_MANIFEST_BYTES, MAX_MANIFEST_DOCUMENTS } from "../mutations/manifest.js";
import { countDocuments } from "../mutations/manifest-count.js";
import { MAX_MUTATION_TARGETS } from "../mutations/targets.js";
import {
  getComplexity,
  type ComplexityEstimator,
  type ComplexityEstimatorArgs,
} from "graphql-query-complexity";

/** What a STRONG read costs per cluster at least: its namespaces, then one list. */
export const STRONG_CALLS_PER_CLUSTER = 2;

/** A request to an API server or a log store is priced like this many objects (a log search's perCallCost). */
export const UPSTREAM_CALL_COST = 100;

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
  /**
   * How many instances of one fleet workload a cluster may hold: 1 grouped by name (the
   * default), MAX_GROUP_INSTANCES_PER_CLUSTER under a placement label (`fleetWorkloads.groupLabel`).
   */
  groupInstancesPerCluster?: number;
}

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
  /** Walking stops (and throws) after this many fields and fragments. */
  maxQueryNodes?: number;
}

/** The list field of an operation that multiplies its cost most, for the refusal message. */
export interface CostFactor {
  /** "Type.field", e.g. "Workload.pods". */
  field: string;
  /** Items per parent it is priced at (page size x clusters for a root list). */
  items: number;
  /** Why that many: "first: 50 x 12 clusters", "the default page (no first/last)". */
  why: string;
}

export interface CostMeasure {
  cost: number;
  largest: CostFactor | undefined;
}

export function queryCost(input: CostInput, model: CostModel): CostMeasure {
  let largest: CostFactor | undefined;
  const note = (factor: CostFactor) => {
    // Post-order walk: on a tie the first noted (the deepest) is kept; it is the one to change.
    if (!largest || factor.items > largest.items) largest = factor;
  };
  const cost = getComplexity({
    schema: input.schema,
    query: input.document,
    variables: input.variables ?? {},
    ...(input.operationName ? { operationName: input.operationName } : {}),
    ...(input.maxQueryNodes !== undefined ? { maxQueryNodes: input.maxQueryNodes } : {}),
    estimators: [fleetEstimator(model, note)],
  });
  return { cost, largest };
}

export function fleetEstimator(
  model: CostModel,
  note: (factor: CostFactor) => void = () => {},
): ComplexityEstimator {
  return (options: ComplexityEstimatorArgs): number => {
    const { field, type, args, childComplexity } = options;
    const self = 1 + childComplexity;
    const name = `${type.name}.${field.name}`;
    const priced = (items: number, why: string) => {
      note({ field: name, items, why });
      return items * self;
    };
    // Federation's `_entities` (a union): one object per representation the router sends.
    const representations = representationCount(field, args);
    if (representations !== undefined) return priced(representations, `${representations} representations`);
    const named = getNamedType(field.type);
    if (!isObjectType(named) && !isInterfaceType(named)) return 0;
    if (isPaged(field)) {
      const requested = pageSize(args, model.defaultPageSize);
      const asked =
        typeof args.first === "number"
          ? `first: ${requested}`
          : typeof args.last === "number"
            ? `last: ${requested}`
            : `the default page of ${requested} (no first/last)`;
      if (type.name === "Query" && field.name === "clusters")
        return priced(Math.min(requested, model.clusterCount()), asked);
      // A merged page (log lines across clusters) holds `first` entries whatever the fan-out.
      const extensions = field.extensions as { mergedPage?: unknown; perCallCost?: unknown } | undefined;
      const merged = extensions?.mergedPage === true;
      const clusters = fansOut(type, field) && !merged ? fanOut(args, model) : 1;
      const perCall = typeof extensions?.perCallCost === "number" ? extensions.perCallCost : 0;
      const strong =
        args.consistency === "STRONG" ? STRONG_CALLS_PER_CLUSTER * clusters * UPSTREAM_CALL_COST : 0;
      return (
        priced(requested * clusters, clusters > 1 ? `${asked} x ${clusters} clusters` : asked) +
        perCall +
        strong
      );
    }
    const perTarget = (field.extensions as { perMutationTarget?: unknown } | undefined)?.perMutationTarget;
    if (typeof perTarget === "number") {
      const input = args.input as
        | { ids?: unknown; filter?: unknown; groups?: unknown; manifest?: unknown; clusters?: unknown }
        | undefined;
      // A filter's targets are known only when it runs: priced as the most it may select; a fleet
      // workload as the most instances it may hold on every cluster (more than the target limit
      // are refused whole, so never written).
      const targets = Array.isArray(input?.ids)
        ? input.ids.length
        : Array.isArray(input?.groups)
          ? Math.min(input.groups.length * groupInstances(model), MAX_MUTATION_TARGETS)
          : input?.filter
            ? MAX_MUTATION_TARGETS
            : clusterWrites(input, model);
      return priced(targets, `${targets} target(s) x ${perTarget} per write`) + targets * (perTarget - 1);
    }
    if ((field.extensions as { metricSeries?: unknown } | undefined)?.metricSeries === true)
      return metricSeriesCost(args);
    if (!isListType(getNullableType(field.type))) return self;
    if (type.name.endsWith("Connection") && (field.name === "nodes" || field.name === "edges")) return self;
    const bound = declaredBound(field, model);
    if (bound !== undefined) return priced(bound, `at most ${bound}`);
    if (Array.isArray(args.ids)) return priced(args.ids.length, `${args.ids.length} ids`);
    return hasId(named)
      ? priced(model.defaultPageSize, `the default page of ${model.defaultPageSize}`)
      : self;
  };
}

/**
 * Writes named by cluster: a manifest's documents (counted as the YAML parser delimits them, at
 * most one past the limit: a longer one is refused whole) on each named cluster, or on every
 * cluster of the fleet for a selector; any other input with a `clusters` list (namespaceCreate)
 * one per cluster; 1 for a single target.
 */
function clusterWrites(
  input: { manifest?: unknown; clusters?: unknown } | undefined,
  model: CostModel,
): number {
  const clusters = Array.isArray(input?.clusters) ? input.clusters.length : undefined;
  if (typeof input?.manifest !== "string") return Math.max(1, clusters ?? 1);
  // Too large to be applied at all: priced as the most documents, without reading it.
  const documents =
    Buffer.byteLength(input.manifest) > MAX_MANIFEST_BYTES
      ? MAX_MANIFEST_DOCUMENTS + 1
      : countDocuments(input.manifest, MAX_MANIFEST_DOCUMENTS);
  return Math.max(1, documents * (clusters ?? model.clusterCount()));
}

/**
 * A list's declared bound: a number, "clusters" for at most the fleet's clusters, or
 * "groupInstances" for a fleet workload's instances (at most so many on each cluster).
 */
export function declaredBound(field: AnyField, model: CostModel): number | undefined {
  const max = (field.extensions as { maxItems?: unknown } | undefined)?.maxItems;
  if (typeof max === "number") return max;
  if (max === "clusters") return model.clusterCount();
  if (max === "groupInstances") return groupInstances(model);
  return undefined;
}

function groupInstances(model: CostModel): number {
  return model.clusterCount() * (model.groupInstancesPerCluster ?? 1);
}

// GraphQLField's own type parameters are `any`; only its argument names are read here.
type AnyField = GraphQLField<unknown, unknown>;

export function isPaged(field: AnyField): boolean {
  return field.args.some((a) => a.name === "first" || a.name === "last");
}

export function pageSize(args: Record<string, unknown>, fallback: number): number {
  const n =
    typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : fallback;
  // A negative or absurd size is rejected by the query engine; price it as what it asks for.
  return Math.max(0, n);
}

/** A root list naming one `cluster` reads that cluster; the others read what their filter selects. */
export function fanOut(args: Record<string, unknown>, model: CostModel): number {
  if (typeof args.cluster === "string") return 1;
  return Math.max(1, model.clustersFor(filterOf(args)));
}

/** A root list, or a list declared `@Extensions({ fleetWide: true })`: read from every cluster asked. */
export function fansOut(type: { name: string }, field: AnyField): boolean {
  return (
    type.name === "Query" || (field.extensions as { fleetWide?: unknown } | undefined)?.fleetWide === true
  );
}

/** The representations of a field marked `perRepresentation` (federation's `_entities`). */
export function representationCount(field: AnyField, args: Record<string, unknown>): number | undefined {
  const extensions = field.extensions as { perRepresentation?: unknown; maxRepresentations?: unknown };
  if (extensions.perRepresentation !== true) return undefined;
  const count = Array.isArray(args.representations) ? args.representations.length : 1;
  // Thrown out of the cost walk: measureLimits records it, and the operation is refused.
  if (typeof extensions.maxRepresentations === "number" && count > extensions.maxRepresentations)
    throw new TooManyRepresentations(count, extensions.maxRepresentations);
  return count;
}

/** More representations than the field's `maxRepresentations`. */
export class TooManyRepresentations extends Error {
  constructor(
    readonly count: number,
    readonly limit: number,
  ) {
    super(`${count} representations, at most ${limit}`);
  }
}

function filterOf(args: Record<string, unknown>): FanOutFilter | undefined {
  const filter = args.filter;
  return typeof filter === "object" && filter !== null ? filter : undefined;
}

export function hasId(type: { getFields(): Record<string, unknown> }): boolean {
  return "id" in type.getFields();
}

function metricSeriesCost(args: Record<string, unknown>): number {
  const names = Array.isArray(args.names) ? args.names.length : 1;
  const range = (args.range ?? {}) as { start?: unknown; end?: unknown; step?: unknown };
  const time = (t: unknown) =>
    t instanceof Date ? t.getTime() : typeof t === "string" ? Date.parse(t) : NaN;
  const span = ((Number.isNaN(time(range.end)) ? Date.now() : time(range.end)) - time(range.start)) / 1000;
  const step = typeof range.step === "number" && range.step > 0 ? range.step : span / DEFAULT_POINTS;
  const points = Number.isFinite(span / step)
    ? Math.min(MAX_POINTS, Math.max(1, Math.ceil(span / step) + 1))
    : DEFAULT_POINTS;
  return names * Math.ceil(points / 10);
}
