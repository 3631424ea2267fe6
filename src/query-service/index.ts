/** The read services behind the GraphQL schema's read path. */
export {
  ClusterReads,
  type ClusterListFilter,
  type ClusterPage,
  type ClusterRecord,
} from "./cluster-reads.js";
export type { ClusterSummaryData, PodPhaseCounts, ResourceTotals } from "./cluster-summary.js";
export { ConsistencyUnavailableError } from "./errors.js";
export type {
  ClusterFreshness,
  ClusterHealth,
  ClusterInfo,
  ClusterStatus,
  ClusterSync,
  FleetView,
} from "./fleet-view.js";
export {
  clusterId,
  decodeGlobalId,
  fleetWorkloadId,
  objectId,
  workspaceId,
  type FleetWorkloadKey,
  type GlobalRef,
} from "./global-id.js";
export type { FleetWorkload } from "./fleet-workloads/fleet-workload.js";
export {
  FleetWorkloadReads,
  type FleetWorkloadFilter,
  type FleetWorkloadPage,
  type FleetWorkloadRequest,
} from "./fleet-workloads/fleet-workload-reads.js";
export type { FleetWorkloadOrderField } from "./fleet-workloads/group-order.js";
export { clustersAffected, readiness, type FleetWorkloadStatus } from "./fleet-workloads/group-status.js";
export type { TemplateDrift } from "./fleet-workloads/template-drift.js";
export * from "./list-request.js";
export type { Loaders } from "./loaders.js";
export type { NamePage } from "./name-pages.js";
export { NodeLookup, type NodeTarget } from "./node-lookup.js";
export { isWorkloadKind, ObjectGraph, type OwnerLink } from "./object-graph.js";
export { ObjectLists, orderFor } from "./object-lists.js";
export { collect, type ObjectReader } from "./object-reader.js";
export {
  ClusterOutcomes,
  type ClusterErrorCode,
  type ClusterOutcome,
  type DataSource,
  type PageOutcome,
  type Warning,
} from "./outcomes.js";
export { parseQuantity, QuantityError, quantityOrZero, roundToNano } from "../kube/quantity.js";
export { labelValue } from "../kube/label-selector.js";
export {
  createReadServices,
  DEFAULT_WORKSPACE_LABEL,
  type ReadServices,
  type ReadServicesOptions,
} from "./read-services.js";
export type { StrongPage, StrongReader } from "./strong-reader.js";
export {
  WorkspaceReads,
  type WorkspaceListFilter,
  type WorkspaceRecord,
  type WorkspaceSummaryData,
} from "./workspace-reads.js";
export { createLoaders } from "./loaders.js";
