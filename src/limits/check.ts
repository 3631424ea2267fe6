/**
 * Depth, alias, root-field, upstream-call and cost limits of one operation, independent of the transport: the HTTP server runs them
 * in an Apollo plugin, and a graphql-ws server can run the same check in its onSubscribe.
 * They need the variables (a page size often arrives as `$first`), so they cannot be plain
 * validation rules, which see the document only.
 */
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { queryCost, TooManyRepresentations, type CostFactor, type CostModel } from "./cost.js";
import {
  badArgumentError,
  queryTooComplexError,
  queryTooDeepError,
  tooManyAliasesError,
  tooManyFieldsError,
  tooManyRepresentationsError,
  tooManyRootFieldsError,
  tooManyUpstreamCallsError,
} from "./errors.js";
import { queryShape } from "./shape.js";
import { queryUpstreamCalls } from "./upstream-calls.js";

export interface QueryLimits {
  /** Deepest nesting of selections (fields; fragments add no level). */
  maxDepth: number;
  /** Highest cost, in objects the query may touch (see cost.ts for the model). */
  maxCost: number;
  /** Aliases in one operation (`__typename` free). */
  maxAliases: number;
  /** Fields at the root of one operation, each alias counted. */
  maxRootFields: number;
  /** Tokens of the query document (its names, punctuation and values), counted before parsing. */
  maxTokens: number;
  /** Bytes of the operation's variables as JSON. */
  maxVariablesBytes: number;
  /** Bytes of an HTTP request body (413 beyond). */
  maxBodyBytes: number;
  /** Calls to API servers and log stores one operation may make (counted before and while it runs). */
  maxUpstreamCalls: number;
  /** How long one operation may run; upstream calls are not started after it. */
  requestDeadlineMs: number;
}

/**
 * Defaults no client of the schema reaches: depth 12 fits every relation chain (cluster ->
 * namespace -> workload -> pod -> node ...); the example dashboard uses 9 root fields and no
 * alias more than 4 times; 10,000 tokens is about 40 KB of query; a megabyte of variables holds
 * the largest manifest a mutation applies.
 */
export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = Object.freeze({
  maxDepth: 12,
  maxCost: 50_000,
  maxAliases: 100,
  maxRootFields: 64,
  maxTokens: 10_000,
  maxVariablesBytes: 1024 * 1024,
  maxBodyBytes: 1024 * 1024,
  maxUpstreamCalls: 200,
  requestDeadlineMs: 30_000,
});

const LIMIT_KEYS = Object.keys(DEFAULT_QUERY_LIMITS) as (keyof QueryLimits)[];

/** The defaults overlaid with each layer in turn (config file, then options); undefined keys are skipped. */
export function resolveLimits(...layers: (Partial<QueryLimits> | undefined)[]): QueryLimits {
  const result: QueryLimits = { ...DEFAULT_QUERY_LIMITS };
  for (const layer of layers) {
    for (const key of LIMIT_KEYS) {
      const value = layer?.[key];
      if (value !== undefined) result[key] = value;
    }
  }
  return result;
}

/** Fields and fragments walked before the cost walk stops (graphql-query-complexity's default). */
const MAX_QUERY_NODES = 10_000;

export interface LimitCheck {
  schema: GraphQLSchema;
  document: DocumentNode;
  /** The operation that will run; the others of the document are not checked. */
  operation?: OperationDefinitionNode | undefined;
  variables?: Record<string, unknown> | undefined;
}

export interface LimitReport {
  depth: number;
  cost: number;
  upstreamCalls: number;
}

/**
 * What measuring an operation found, before it is judged against the limits. `cost` is undefined
 * when the operation was too deep to be priced (depth bounds the cost walk), and
 * `tooManyFields` is set when the cost walk gave up.
 */
export interface LimitMeasure {
  depth: number;
  aliases: number;
  rootFields: number;
  cost: number | undefined;
  /** Calls to upstream services, counted with the cost (undefined when it is). */
  upstreamCalls: number | undefined;
  tooManyFields: boolean;
  /**
   * Why an argument or variable did not fit its type, when the cost walk found one: the operation
   * is refused, since execution would fail only that field and run (unpriced) the rest.
   */
  badInput?: string | undefined;
  /** Federation's `_entities` got more representations than it takes. */
  tooManyRepresentations?: { count: number; limit: number } | undefined;
  /** The list that multiplies the cost most. */
  largest?: CostFactor | undefined;
}

/**
 * Measures the operation: its depth, and its cost when the depth is within `maxDepth` (depth
 * first: it is cheaper and bounds the cost walk). Pure for a given document, variables, limits
 * and cost model, so a caller may keep the measure (see LimitCache).
 */
export function measureLimits(check: LimitCheck, limits: QueryLimits, model: CostModel): LimitMeasure {
  const document = check.operation ? onlyOperation(check.document, check.operation) : check.document;
  const shape = queryShape(check.schema, document);
  const unpriced = { ...shape, cost: undefined, upstreamCalls: undefined, tooManyFields: false };
  if (
    shape.depth > limits.maxDepth ||
    shape.aliases > limits.maxAliases ||
    shape.rootFields > limits.maxRootFields
  )
    return unpriced;
  const input = {
    schema: check.schema,
    document,
    variables: check.variables,
    maxQueryNodes: MAX_QUERY_NODES,
  };
  try {
    const { cost, largest } = queryCost(input, model);
    return { ...shape, cost, upstreamCalls: queryUpstreamCalls(input, model), tooManyFields: false, largest };
  } catch (error) {
    if (error instanceof TooManyRepresentations)
      return { ...unpriced, tooManyRepresentations: { count: error.count, limit: error.limit } };
    if (!(error instanceof GraphQLError)) throw error;
    if (/maximum allowed number of nodes/.test(error.message)) return { ...unpriced, tooManyFields: true };
    // An argument that does not fit its type (a null for an ID!, say): execution would fail that
    // field alone and run the others, so the operation is refused rather than priced without it.
    return { ...unpriced, badInput: error.message };
  }
}

/**
 * The error of the first limit a measure breaks, or the measures when it is within all. The
 * error is new on every call: Apollo takes `extensions.http` off the errors it answers with, so
 * one instance cannot be thrown twice.
 */
export function judgeLimits(measure: LimitMeasure, limits: QueryLimits): GraphQLError | LimitReport {
  const { depth, cost, upstreamCalls } = measure;
  if (depth > limits.maxDepth) return queryTooDeepError(depth, limits.maxDepth);
  if (measure.aliases > limits.maxAliases) return tooManyAliasesError(measure.aliases, limits.maxAliases);
  if (measure.rootFields > limits.maxRootFields)
    return tooManyRootFieldsError(measure.rootFields, limits.maxRootFields);
  if (measure.tooManyFields) return tooManyFieldsError(MAX_QUERY_NODES);
  if (measure.badInput !== undefined) return badArgumentError(measure.badInput);
  if (measure.tooManyRepresentations)
    return tooManyRepresentationsError(
      measure.tooManyRepresentations.count,
      measure.tooManyRepresentations.limit,
    );
  if (cost === undefined || upstreamCalls === undefined)
    throw new Error(`an operation of depth ${depth} was judged without its cost`);
  if (upstreamCalls > limits.maxUpstreamCalls)
    return tooManyUpstreamCallsError(upstreamCalls, limits.maxUpstreamCalls);
  if (cost > limits.maxCost) return queryTooComplexError(cost, limits.maxCost, measure.largest);
  return { depth, cost, upstreamCalls };
}

/**
 * Measures the operation; returns the error of the first limit it breaks (depth first), or its
 * measures when it is within both.
 */
export function checkLimits(
  check: LimitCheck,
  limits: QueryLimits,
  model: CostModel,
): GraphQLError | LimitReport {
  return judgeLimits(measureLimits(check, limits, model), limits);
}

/** The document with one operation and every fragment: the other operations are not run. */
function onlyOperation(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  return {
    ...document,
    definitions: document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION),
  };
}
