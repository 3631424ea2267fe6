/** Limits of GraphQL operations, shared by every transport that runs them. */
export {
  checkLimits,
  DEFAULT_QUERY_LIMITS,
  judgeLimits,
  measureLimits,
  resolveLimits,
  type LimitCheck,
  type LimitMeasure,
  type LimitReport,
  type QueryLimits,
} from "./check.js";
export {
  fleetEstimator,
  queryCost,
  STRONG_CALLS_PER_CLUSTER,
  UPSTREAM_CALL_COST,
  type CostInput,
  type CostModel,
  type FanOutFilter,
} from "./cost.js";
export { queryShape, type QueryShape } from "./shape.js";
export { checkCountedSource, checkSource, countTokens } from "./source.js";
export { queryUpstreamCalls } from "./upstream-calls.js";
export {
  QUERY_TOO_COMPLEX,
  QUERY_TOO_DEEP,
  RATE_LIMITED,
  REQUEST_TIMEOUT,
  REQUEST_TOO_LARGE,
  TOO_MANY_ALIASES,
  TOO_MANY_ROOT_FIELDS,
  TOO_MANY_UPSTREAM_CALLS,
  queryTooComplexError,
  queryTooDeepError,
  refusalReason,
  type RefusalReason,
} from "./errors.js";
export { LimitCache, type LimitCacheOptions } from "./limit-cache.js";
export { fleetCostModel } from "./fleet-model.js";
export { RequestBudget, withinBudget, type RequestBudgetOptions } from "./request-budget.js";
export { CallerRateLimit, type CallerRateLimitOptions, type RateRefusal } from "./rate-limit.js";
