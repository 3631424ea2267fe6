/** The read services behind the GraphQL schema's cached read path. */
export {
  ClusterReads,
  type ClusterListFilter,
  type ClusterPage,
  type ClusterRecord,
} from "./cluster-reads.js";
export type { ClusterSummaryData, PodPhaseCounts, ResourceTotals } from "./cluster-summary.js";
export { ConsistencyUnavailableError } from "./errors.js";
export type { ClusterFreshness, ClusterHealth, ClusterInfo, ClusterStatus, FleetView } from "./fleet-view.js";
export { clusterId, decodeGlobalId, objectId, type GlobalRef } from "./global-id.js";
export * from "./list-request.js";
export type { Loaders } from "./loaders.js";
export { NodeLookup, type NodeTarget } from "./node-lookup.js";
export { ObjectLists, type PodOrderField } from "./object-lists.js";
export { collect, forEachMatch, type ObjectReader } from "./object-reader.js";
export { ClusterOutcomes, type ClusterErrorCode, type ClusterOutcome } from "./outcomes.js";
export { controllingWorkload, isWorkloadKind, ownerChain, type OwnerLink } from "./owners.js";
export { parseQuantity, QuantityError, quantityOrZero, roundToNano } from "./quantity.js";
export {
  createReadServices,
  createRequestContext,
  DEFAULT_WORKSPACE_LABEL,
  type ReadServices,
  type ReadServicesOptions,
  type RequestContext,
} from "./read-services.js";
export { Relations, type NamespaceKey, type NodeKey, type ObjectKey } from "./relations.js";
export type { StrongReader } from "./strong-reader.js";
