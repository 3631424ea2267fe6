/** The cost model over the live fleet: a root list fans out to the clusters its filter selects. */
import { Scope } from "../cache/scope.js";
import { QueryInputError, DEFAULT_PAGE_SIZE } from "../cache/query/index.js";
import { selectClusters } from "../query-service/fan-out.js";
import { MAX_GROUP_INSTANCES_PER_CLUSTER } from "../query-service/fleet-workloads/fleet-workload.js";
import type { FleetView } from "../query-service/index.js";
import type { CostModel } from "./cost.js";

/** `groupLabel`: the config's `fleetWorkloads.groupLabel`, under which a group holds more per cluster. */
export function fleetCostModel(fleet: FleetView, groupLabel?: string): CostModel {
  const everything = Scope.everything();
  return {
    defaultPageSize: DEFAULT_PAGE_SIZE,
    groupInstancesPerCluster: groupLabel === undefined ? 1 : MAX_GROUP_INSTANCES_PER_CLUSTER,
    clusterCount: () => fleet.clusters().length,
    clustersFor(filter) {
      try {
        return selectClusters(fleet, filter, everything).length;
      } catch (error) {
        // A bad clusterSelector is rejected by the list itself (BAD_USER_INPUT); price it as all.
        if (error instanceof QueryInputError) return fleet.clusters().length;
        throw error;
      }
    },
  };
}
