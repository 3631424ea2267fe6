/**
 * A member cluster and its summary. Relations (namespaces, nodes, workloads, summary) are field
 * resolvers in resolvers/cluster.ts.
 */
import { Field, Float, Int, ObjectType } from "type-graphql";
import { ClusterStatus } from "./enums.js";
import { ClusterFreshness } from "./freshness.js";
import { RelayNode } from "./relay-node.js";
import { DateTime, JSON } from "./scalars.js";

@ObjectType({ simpleResolvers: true })
export class ClusterHealth {
  @Field(() => ClusterStatus)
  status!: ClusterStatus;

  @Field(() => DateTime, { nullable: true })
  lastProbeAt!: Date | null;

  @Field(() => Float, { nullable: true })
  latencyMs!: number | null;

  @Field(() => String, { nullable: true })
  kubernetesVersion!: string | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;
}

@ObjectType({ simpleResolvers: true, implements: RelayNode })
export class Cluster extends RelayNode {
  @Field()
  name!: string;

  @Field()
  displayName!: string;

  @Field(() => JSON, {
    description: "The cluster's labels from the fleet configuration (region, provider, ...).",
  })
  labels!: Readonly<Record<string, string>>;

  @Field(() => ClusterHealth)
  health!: ClusterHealth;

  @Field(() => ClusterFreshness)
  freshness!: ClusterFreshness;
}

@ObjectType({
  simpleResolvers: true,
  description: "Summed resource quantities: CPU in cores, memory in bytes.",
})
export class ResourceTotals {
  @Field(() => Float)
  cpuCores!: number;

  @Field(() => Float, { description: "Bytes; a Float because clusters exceed 2^31 bytes." })
  memoryBytes!: number;

  @Field(() => Int)
  pods!: number;
}

@ObjectType({ simpleResolvers: true })
export class PodPhaseCounts {
  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  pending!: number;

  @Field(() => Int)
  running!: number;

  @Field(() => Int)
  succeeded!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  unknown!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: "Counts and capacity of one cluster, within the caller's scope.",
})
export class ClusterSummary {
  @Field(() => Int)
  nodes!: number;

  @Field(() => Int)
  readyNodes!: number;

  @Field(() => Int)
  namespaces!: number;

  @Field(() => PodPhaseCounts)
  pods!: PodPhaseCounts;

  @Field(() => Int, { description: "Deployments, StatefulSets, DaemonSets, Jobs and CronJobs." })
  workloads!: number;

  @Field(() => ResourceTotals, { description: "Summed over the nodes in scope." })
  capacity!: ResourceTotals;

  @Field(() => ResourceTotals)
  allocatable!: ResourceTotals;
}
