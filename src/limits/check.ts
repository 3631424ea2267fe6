/**
 * Depth and cost limits of one operation, independent of the transport: the HTTP server runs them
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
import { queryCost, type CostFactor, type CostModel } from "./cost.js";
import { queryDepth } from "./depth.js";
import { queryTooComplexError, queryTooDeepError, tooManyFieldsError } from "./errors.js";

export interface QueryLimits {
  /** Deepest nesting of selections (fields; fragments add no level). */
  maxDepth: number;
  /** Highest cost, in objects the query may touch (see cost.ts for the model). */
  maxCost: number;
}

/** Depth 12 fits every relation chain of the schema (cluster -> namespace -> workload -> pod -> node ...). */
export const DEFAULT_QUERY_LIMITS: Readonly<QueryLimits> = Object.freeze({ maxDepth: 12, maxCost: 50_000 });

/** The defaults overlaid with each layer in turn (config file, then options); undefined keys are skipped. */
export function resolveLimits(...layers: (Partial<QueryLimits> | undefined)[]): QueryLimits {
  const result: QueryLimits = { ...DEFAULT_QUERY_LIMITS };
  for (const layer of layers) {
    if (layer?.maxDepth !== undefined) result.maxDepth = layer.maxDepth;
    if (layer?.maxCost !== undefined) result.maxCost = layer.maxCost;
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
}

/**
 * What measuring an operation found, before it is judged against the limits. `cost` is undefined
 * when the operation was too deep to be priced (depth bounds the cost walk), and
 * `tooManyFields` is set when the cost walk gave up.
 */
export interface LimitMeasure {
  depth: number;
  cost: number | undefined;
  tooManyFields: boolean;
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
  const depth = queryDepth(check.schema, document);
  if (depth > limits.maxDepth) return { depth, cost: undefined, tooManyFields: false };
  try {
    const { cost, largest } = queryCost(
      { schema: check.schema, document, variables: check.variables, maxQueryNodes: MAX_QUERY_NODES },
      model,
    );
    return { depth, cost, tooManyFields: false, largest };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    if (/maximum allowed number of nodes/.test(error.message))
      return { depth, cost: undefined, tooManyFields: true };
    // Variables or arguments that do not fit their types: execution rejects the operation with
    // BAD_USER_INPUT before anything runs, so there is nothing to price.
    return { depth, cost: 0, tooManyFields: false };
  }
}

/**
 * The error of the first limit a measure breaks, or the measures when it is within both. The
 * error is new on every call: Apollo takes `extensions.http` off the errors it answers with, so
 * one instance cannot be thrown twice.
 */
export function judgeLimits(measure: LimitMeasure, limits: QueryLimits): GraphQLError | LimitReport {
  const { depth, cost } = measure;
  if (depth > limits.maxDepth) return queryTooDeepError(depth, limits.maxDepth);
  if (measure.tooManyFields) return tooManyFieldsError(MAX_QUERY_NODES);
  if (cost === undefined) throw new Error(`an operation of depth ${depth} was judged without its cost`);
  if (cost > limits.maxCost) return queryTooComplexError(cost, limits.maxCost, measure.largest);
  return { depth, cost };
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
