/** The deterministic fleet generator and the churn that keeps it moving. */
export { SeededRandom } from "./random.js";
export { planFleet, planReplicas, type ClusterPlan, type ReplicaPlan } from "./plan.js";
export { populateCluster, type PopulateOptions } from "./populate.js";
export { buildUsers, GATEWAY_USER, type FleetUser } from "./users.js";
export { startChurn, type Churn, type ChurnChange, type ChurnTarget, type ChurnAction } from "./churn.js";
export { NAMESPACES, WORKSPACES } from "./catalog.js";
