/**
 * Every mutation service over one pipeline: the composition root builds it once, with the
 * fleet's connections, the shared store for idempotency keys and the config's limits.
 */
import type { FleetDiscovery } from "../discovery/index.js";
import type { SharedStore } from "../store/shared-store.js";
import { IdempotencyKeys } from "./idempotency.js";
import { MutationPipeline, type Connections, type MutationSettings } from "./run.js";
import { NamespaceMutations } from "./namespaces.js";
import { ObjectMutations } from "./objects.js";
import type { FleetMembers } from "./manifest-targets.js";
import { PodAndNodeMutations } from "./pods-and-nodes.js";
import { WorkloadMutations } from "./workloads.js";

export class MutationServices {
  readonly pipeline: MutationPipeline;
  readonly workloads: WorkloadMutations;
  readonly objects: ObjectMutations;
  readonly namespaces: NamespaceMutations;
  readonly podsAndNodes: PodAndNodeMutations;

  constructor(
    connections: Connections & FleetMembers,
    discovery: Pick<FleetDiscovery, "resolve">,
    workspaceLabel: string,
    store: SharedStore,
    settings?: () => MutationSettings,
  ) {
    this.pipeline = new MutationPipeline(connections, new IdempotencyKeys(store), settings);
    this.workloads = new WorkloadMutations(this.pipeline);
    this.objects = new ObjectMutations(this.pipeline, discovery, connections);
    this.namespaces = new NamespaceMutations(this.pipeline, workspaceLabel);
    this.podsAndNodes = new PodAndNodeMutations(this.pipeline);
  }
}
