/**
 * The read services of one gateway, built once at start-up. The composition root adapts the
 * engine, registry and fleet cache to ObjectReader and FleetView; tests pass a real engine over a
 * filled FleetIndex and a fake view.
 */
import { ClusterReads } from "./cluster-reads.js";
import { FleetWorkloadReads } from "./fleet-workloads/fleet-workload-reads.js";
import type { FleetView } from "./fleet-view.js";
import { NodeLookup } from "./node-lookup.js";
import { ObjectGraph } from "./object-graph.js";
import { ObjectLists } from "./object-lists.js";
import type { ObjectReader } from "./object-reader.js";
import type { StrongReader } from "./strong-reader.js";
import { WorkspaceReads } from "./workspace-reads.js";

/** KubeSphere's label marking a namespace's workspace. */
export const DEFAULT_WORKSPACE_LABEL = "kubesphere.io/workspace";

export interface ReadServicesOptions {
  reader: ObjectReader;
  fleet: FleetView;
  /** The STRONG consistency path; without it STRONG reads fail with ConsistencyUnavailableError. */
  strongReader?: StrongReader;
  /** Default DEFAULT_WORKSPACE_LABEL. */
  workspaceLabel?: string;
  /** The placement label fleetWorkloads groups by (config `fleetWorkloads.groupLabel`); none by default. */
  fleetWorkloadLabel?: string | undefined;
}

export interface ReadServices {
  readonly reader: ObjectReader;
  readonly objects: ObjectLists;
  readonly clusters: ClusterReads;
  readonly workspaces: WorkspaceReads;
  readonly graph: ObjectGraph;
  readonly fleetWorkloads: FleetWorkloadReads;
  readonly nodes: NodeLookup;
  readonly workspaceLabel: string;
  /** A failure's message as the caller may read it (FleetView.shownFailure). */
  readonly shownFailure: (message: string) => string;
}

export function createReadServices(options: ReadServicesOptions): ReadServices {
  const { reader, fleet } = options;
  const settings = { workspaceLabel: options.workspaceLabel ?? DEFAULT_WORKSPACE_LABEL };
  const clusters = new ClusterReads(fleet);
  const workspaces = new WorkspaceReads(reader, settings);
  const objects = new ObjectLists({ reader, fleet, strongReader: options.strongReader, settings });
  const fleetWorkloads = new FleetWorkloadReads(reader, fleet, objects, {
    groupLabel: options.fleetWorkloadLabel,
  });
  return {
    shownFailure: fleet.shownFailure?.bind(fleet) ?? ((message) => message),
    reader,
    objects,
    clusters,
    workspaces,
    graph: new ObjectGraph(reader),
    fleetWorkloads,
    nodes: new NodeLookup(reader, clusters, workspaces, fleetWorkloads),
    workspaceLabel: settings.workspaceLabel,
  };
}
