/**
 * Query.node(id:) and Query.nodes(ids:): global ids back to what they name, through the same
 * Scope-applying reads as everything else, so an id outside the caller's scope resolves exactly
 * like a deleted object.
 */
import type { CacheEntry } from "../cache/entry.js";
import type { Scope } from "../cache/scope.js";
import type { ClusterReads, ClusterRecord } from "./cluster-reads.js";
import type { FleetWorkload } from "./fleet-workloads/fleet-workload.js";
import type { FleetWorkloadReads } from "./fleet-workloads/fleet-workload-reads.js";
import { decodeGlobalId } from "./global-id.js";
import type { ObjectReader } from "./object-reader.js";
import type { WorkspaceReads, WorkspaceRecord } from "./workspace-reads.js";

export type NodeTarget =
  | { type: "Cluster"; cluster: ClusterRecord }
  | { type: "Workspace"; workspace: WorkspaceRecord }
  | { type: "FleetWorkload"; group: FleetWorkload }
  | { type: "Object"; entry: CacheEntry };

export class NodeLookup {
  constructor(
    private readonly reader: ObjectReader,
    private readonly clusters: ClusterReads,
    private readonly workspaces: WorkspaceReads,
    private readonly fleetWorkloads: Pick<FleetWorkloadReads, "get">,
  ) {}

  /** Throws QueryInputError for a malformed id; undefined for one that names nothing readable. */
  find(id: string, scope: Scope): NodeTarget | undefined {
    const ref = decodeGlobalId(id);
    if (!("uid" in ref) && "cluster" in ref) {
      const cluster = this.clusters.get(ref.cluster, scope);
      return cluster && { type: "Cluster", cluster };
    }
    if ("workspace" in ref) {
      const workspace = this.workspaces.get(ref.workspace, scope);
      return workspace && { type: "Workspace", workspace };
    }
    if ("group" in ref) {
      const group = this.fleetWorkloads.get(ref.group, scope);
      return group && { type: "FleetWorkload", group };
    }
    if (!("uid" in ref)) return undefined;
    const entry = this.reader.get(ref.cluster, ref.kind, ref.uid, scope);
    return entry && { type: "Object", entry };
  }
}
