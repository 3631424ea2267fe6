import type { ClusterRecord, WorkspaceRecord } from "../../src/query-service/index.js";
import { clusterId, workspaceId } from "../../src/query-service/index.js";
import type { Cluster } from "../../schema/cluster.js";
import type { ClusterStatus, ClusterSyncState } from "../../schema/enums.js";
import type { Workspace } from "../../schema/workspace.js";
import { labelList } from "./entry-view.js";

export type ClusterView = Cluster & { __typename: "Cluster"; record: ClusterRecord };
export type WorkspaceView = Workspace & { __typename: "Workspace"; record: WorkspaceRecord };

export function clusterView(record: ClusterRecord): ClusterView {
  const { info, health, freshness, sync } = record;
  return {
    __typename: "Cluster",
    record,
    id: clusterId(info.name),
    name: info.name,
    displayName: info.displayName,
    labels: labelList(info.labels),
    health: { ...health, status: health.status as ClusterStatus },
    freshness,
    sync: { ...sync, state: sync.state as ClusterSyncState },
  };
}

export function workspaceView(record: WorkspaceRecord): WorkspaceView {
  return {
    __typename: "Workspace",
    record,
    id: workspaceId(record.name),
    name: record.name,
    displayName: record.name,
    clusterNames: record.clusters,
  };
}
