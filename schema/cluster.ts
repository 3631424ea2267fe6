/**
 * A member cluster and its summary. Relations (namespaces, nodes, workloads, pods, workspaces,
 * summary, `label(key)`) are field resolvers in resolvers/cluster.ts.
 */
import { Field, Float, Int, ObjectType } from "type-graphql";
import { ClusterStatus, ClusterSyncState } from "./enums.js";
import { Label } from "./label.js";
import { ClusterFreshness } from "./outcome.js";
import { RelayNode } from "./relay-node.js";
import { DateTime } from "./scalars.js";

@ObjectType({
  simpleResolvers: true,
  description: "How a cluster's API server answered its last health probe.",
})
export class ClusterHealth {
  @Field(() => ClusterStatus, { description: "The verdict." })
  status!: ClusterStatus;

  @Field(() => DateTime, { nullable: true, description: "When the last probe finished." })
  lastProbeAt!: Date | null;

  @Field(() => Float, { nullable: true, description: "How long the last probe took, in milliseconds." })
  latencyMs!: number | null;

  @Field(() => String, { nullable: true, description: 'The API server\'s version, e.g. "v1.32.4".' })
  kubernetesVersion!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "What made the last probe less than READY (the root cause).",
  })
  lastError!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "The gateway's initial sync of a cluster, and how far it got.",
})
export class ClusterSync {
  @Field(() => ClusterSyncState, { description: "Syncing, synced or failed." })
  state!: ClusterSyncState;

  @Field(() => Int, { description: "Cached kinds listed." })
  kindsSynced!: number;

  @Field(() => Int, { description: "Cached kinds in all." })
  kinds!: number;

  @Field(() => Int, { description: "Objects of the lists under way so far." })
  listedObjects!: number;

  @Field(() => Int, { description: "Pages of the lists under way so far." })
  listedPages!: number;

  @Field(() => String, { nullable: true, description: "Why it failed (FAILED only), with the reason first." })
  failure!: string | null;
}

@ObjectType({ simpleResolvers: true, implements: RelayNode, description: "A member cluster of the fleet." })
export class Cluster extends RelayNode {
  @Field({ description: "Its name in the fleet configuration (unique)." })
  name!: string;

  @Field({ description: "A name for people; the name when none is configured." })
  displayName!: string;

  @Field(() => [Label], { description: "Its labels from the fleet configuration (region, provider, ...)." })
  labels!: Label[];

  @Field(() => ClusterHealth, { description: "Its last health probe." })
  health!: ClusterHealth;

  @Field(() => ClusterFreshness, { description: "How current the gateway's caches of it are." })
  freshness!: ClusterFreshness;

  @Field(() => ClusterSync, {
    description: "The gateway's initial sync of it: syncing, synced or failed, and how far.",
  })
  sync!: ClusterSync;
}

@ObjectType({
  simpleResolvers: true,
  description: "Summed resource quantities: CPU in cores, memory in bytes.",
})
export class ResourceTotals {
  @Field(() => Float, { description: "CPU in cores." })
  cpuCores!: number;

  @Field(() => Float, { description: "Bytes; a Float because clusters exceed 2^31 bytes." })
  memoryBytes!: number;

  @Field(() => Int, { description: "How many pods fit." })
  pods!: number;
}

@ObjectType({ simpleResolvers: true, description: "Pods counted by phase." })
export class PodPhaseCounts {
  @Field(() => Int, { description: "Every pod." })
  total!: number;

  @Field(() => Int, { description: "Pending." })
  pending!: number;

  @Field(() => Int, { description: "Running." })
  running!: number;

  @Field(() => Int, { description: "Succeeded." })
  succeeded!: number;

  @Field(() => Int, { description: "Failed." })
  failed!: number;

  @Field(() => Int, { description: "Unknown, or a phase this API does not know." })
  unknown!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: "Counts and capacity of one cluster, within the caller's scope.",
})
export class ClusterSummary {
  @Field(() => Int, { description: "Nodes." })
  nodes!: number;

  @Field(() => Int, { description: "Nodes whose Ready condition holds." })
  readyNodes!: number;

  @Field(() => Int, { description: "Namespaces." })
  namespaces!: number;

  @Field(() => PodPhaseCounts, { description: "Pods by phase." })
  pods!: PodPhaseCounts;

  @Field(() => Int, { description: "Deployments, StatefulSets, DaemonSets, Jobs and CronJobs." })
  workloads!: number;

  @Field(() => ResourceTotals, { description: "Summed over the nodes in scope: what the machines have." })
  capacity!: ResourceTotals;

  @Field(() => ResourceTotals, { description: "Summed over the nodes in scope: what pods may be given." })
  allocatable!: ResourceTotals;
}
