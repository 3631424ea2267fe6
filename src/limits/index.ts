/** Query depth and cost limits, shared by every transport that runs GraphQL operations. */
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
export { fleetEstimator, queryCost, type CostInput, type CostModel, type FanOutFilter } from "./cost.js";
export { queryDepth } from "./depth.js";
export { QUERY_TOO_COMPLEX, QUERY_TOO_DEEP, queryTooComplexError, queryTooDeepError } from "./errors.js";
export { LimitCache, type LimitCacheOptions } from "./limit-cache.js";
export { fleetCostModel } from "./fleet-model.js";
