/** A fleet workload (src/query-service/fleet-workloads) as FleetWorkload describes it. */
import {
  clustersAffected,
  readiness,
  type FleetWorkload as FleetWorkloadRecord,
} from "../../src/query-service/index.js";
import type { WorkloadKind } from "../../schema/enums.js";
import type {
  FleetWorkload,
  FleetWorkloadGrouping,
  FleetWorkloadStatus,
} from "../../schema/fleet-workload.js";
import { workloadView } from "./workload.js";

export type FleetWorkloadView = FleetWorkload & { __typename: "FleetWorkload" };

export function fleetWorkloadView(group: FleetWorkloadRecord): FleetWorkloadView {
  const { key } = group;
  return {
    __typename: "FleetWorkload",
    id: group.id,
    groupedBy: key.by as FleetWorkloadGrouping,
    namespaceName: key.namespace,
    kind: key.kind as WorkloadKind,
    name: key.name,
    get instances() {
      return group.instances.map(workloadView);
    },
    instanceCount: group.instanceCount,
    // Read only when asked for: a group's status is worked out on first read.
    get status(): FleetWorkloadStatus {
      return statusView(group.status);
    },
  };
}

function statusView(status: FleetWorkloadRecord["status"]): FleetWorkloadStatus {
  return {
    desiredReplicas: status.desiredReplicas,
    readyReplicas: status.readyReplicas,
    readiness: readiness(status),
    clusterCount: status.clusters.length,
    clusterNames: status.clusters,
    missingClusters: status.missingClusters,
    degradedClusters: status.degradedClusters,
    rollingOutClusters: status.rollingOutClusters,
    driftedClusters: status.driftedClusters,
    clustersAffected: clustersAffected(status),
    drift: status.drift.map((d) => ({
      clusterName: d.cluster,
      container: d.container,
      field: d.field,
      value: d.value,
      majorityValue: d.majorityValue,
    })),
  };
}
