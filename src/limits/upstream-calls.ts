/**
 * How many calls to upstream services (API servers, log stores) an operation may make, counted
 * before it runs with the same walk as its cost (graphql-query-complexity), so a flood of
 * STRONG reads is refused before the first request is sent:
 *
 * - a list read with `consistency: STRONG` makes at least two calls per cluster it fans out to
 *   (the cluster's namespaces, then at least one list; the lists of further namespaces are
 *   counted as they are made, by the request's budget, see request-budget.ts);
 * - a field declaring `@Extensions({ upstreamCalls: n })` makes n calls each time it resolves
 *   (`resources`, `apiResources`, a pod's or workload's log search, a merged log page);
 * - a list multiplies the calls of its selections by its items, priced as in cost.ts (page size x
 *   clusters for a root list, declared bounds, one default page);
 * - reads from the watch caches and metrics (batched: one query per backend and series per
 *   request) make none.
 */
import { getNamedType, getNullableType, isInterfaceType, isListType, isObjectType } from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import {
  declaredBound,
  fanOut,
  fansOut,
  hasId,
  isPaged,
  pageSize,
  representationCount,
  STRONG_CALLS_PER_CLUSTER,
  type CostInput,
  type CostModel,
} from "./cost.js";

export function queryUpstreamCalls(input: CostInput, model: CostModel): number {
  return getComplexity({
    schema: input.schema,
    query: input.document,
    variables: input.variables ?? {},
    ...(input.operationName ? { operationName: input.operationName } : {}),
    ...(input.maxQueryNodes !== undefined ? { maxQueryNodes: input.maxQueryNodes } : {}),
    estimators: [upstreamCallEstimator(model)],
  });
}

export function upstreamCallEstimator(model: CostModel): ComplexityEstimator {
  return ({ field, type, args, childComplexity }) => {
    const extensions = field.extensions as { upstreamCalls?: unknown; mergedPage?: unknown } | undefined;
    const own = typeof extensions?.upstreamCalls === "number" ? extensions.upstreamCalls : 0;
    const representations = representationCount(field, args);
    if (representations !== undefined) return own + representations * childComplexity;
    const named = getNamedType(field.type);
    if (!isObjectType(named) && !isInterfaceType(named)) return own;
    if (isPaged(field)) {
      if (type.name === "Query" && field.name === "clusters")
        return own + Math.min(pageSize(args, model.defaultPageSize), model.clusterCount()) * childComplexity;
      const clusters = fansOut(type, field) && extensions?.mergedPage !== true ? fanOut(args, model) : 1;
      const strong = args.consistency === "STRONG" ? STRONG_CALLS_PER_CLUSTER * clusters : 0;
      const items = pageSize(args, model.defaultPageSize) * clusters;
      return own + strong + items * childComplexity;
    }
    if (!isListType(getNullableType(field.type))) return own + childComplexity;
    if (type.name.endsWith("Connection") && (field.name === "nodes" || field.name === "edges"))
      return own + childComplexity;
    const items =
      declaredBound(field, model) ??
      (Array.isArray(args.ids) ? args.ids.length : hasId(named) ? model.defaultPageSize : 1);
    return own + items * childComplexity;
  };
}
