/**
 * Workloads grouped across clusters (KubeSphere's federated workloads): one FleetWorkload per
 * namespace, kind and name (or placement label value), with its per-cluster instances, an
 * aggregate status and the pod template drift between them.
 */
import {
  ArgsType,
  Extensions,
  Field,
  Float,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from "type-graphql";
import { PageArgs } from "./args.js";
import { Connection } from "./connection.js";
import { WorkloadKind } from "./enums.js";
import { WorkloadFilter } from "./filters.js";
import { FleetWorkloadOrder } from "./orders.js";
import { RelayNode } from "./relay-node.js";
import { Workload } from "./workload.js";

export enum FleetWorkloadGrouping {
  NAME = "name",
  PLACEMENT_LABEL = "label",
}

registerEnumType(FleetWorkloadGrouping, {
  name: "FleetWorkloadGrouping",
  description: "What holds a fleet workload's instances together.",
  valuesConfig: {
    NAME: { description: "The same namespace, kind and name on every cluster." },
    PLACEMENT_LABEL: {
      description:
        "The same namespace, kind and value of the configured placement label (fleetWorkloads.groupLabel).",
    },
  },
});

@ObjectType({
  simpleResolvers: true,
  description: "One difference of an instance's pod template from what most instances run.",
})
export class WorkloadDrift {
  @Field({ description: "The cluster of the instance that differs." })
  clusterName!: string;

  @Field({ description: "The container, by name." })
  container!: string;

  @Field({
    description:
      'What differs: "container" (present or absent), "image", "resources.requests.<name>" or "resources.limits.<name>".',
  })
  field!: string;

  @Field(() => String, { nullable: true, description: "The instance's value; null when it sets none." })
  value!: string | null;

  @Field(() => String, { nullable: true, description: "What most instances have; null when most set none." })
  majorityValue!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "A fleet workload's state over the instances you may read.",
})
export class FleetWorkloadStatus {
  @Field(() => Int, { description: "Desired replicas, summed over the instances." })
  desiredReplicas!: number;

  @Field(() => Int, { description: "Ready replicas, summed over the instances." })
  readyReplicas!: number;

  @Field(() => Float, { description: "readyReplicas / desiredReplicas; 1 when none are desired." })
  readiness!: number;

  @Field(() => Int, { description: "How many clusters run an instance." })
  clusterCount!: number;

  @Field(() => [String], { description: "The clusters that run an instance." })
  clusterNames!: string[];

  @Field(() => [String], {
    description:
      "Clusters you may read where its namespace exists (and you may read it and the kind there) but it does not run.",
  })
  missingClusters!: string[];

  @Field(() => [String], {
    description:
      "Clusters where it failed, or settled on its template with fewer replicas ready than desired.",
  })
  degradedClusters!: string[];

  @Field(() => [String], { description: "Clusters where its controller is still rolling out the template." })
  rollingOutClusters!: string[];

  @Field(() => [String], { description: "Clusters whose pod template differs from the majority's." })
  driftedClusters!: string[];

  @Field(() => Int, {
    description: "Clusters that are missing, degraded, rolling out or drifted, each once.",
  })
  clustersAffected!: number;

  @Field(() => [WorkloadDrift], { description: "Each difference from the majority's pod template." })
  drift!: WorkloadDrift[];
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode],
  description:
    "One workload deployed to several clusters, shown as one (KubeSphere's federated workloads): its instances and their aggregate status.",
})
export class FleetWorkload extends RelayNode {
  @Field(() => FleetWorkloadGrouping, { description: "What groups its instances." })
  groupedBy!: FleetWorkloadGrouping;

  @Field({ description: "The namespace its instances are in." })
  namespaceName!: string;

  @Field(() => WorkloadKind, { description: "Its kind." })
  kind!: WorkloadKind;

  @Field({ description: "The instances' name, or the placement label's value (groupedBy PLACEMENT_LABEL)." })
  name!: string;

  @Field(() => [Workload], {
    description:
      "Its instances on each cluster you may read whose cache is current, by cluster: at most 10 per cluster under a placement label (instanceCount counts them all).",
  })
  @Extensions({ maxItems: "groupInstances" })
  instances!: Workload[];

  @Field(() => Int, { description: "How many instances it has on those clusters, listed or not." })
  instanceCount!: number;

  @Field(() => FleetWorkloadStatus, { description: "The aggregate status of those instances." })
  status!: FleetWorkloadStatus;
}

@InputType({ description: "Which fleet workloads to list." })
export class FleetWorkloadFilter extends WorkloadFilter {
  @Field(() => Boolean, {
    nullable: true,
    description: "true: some instance's pod template differs from the majority's; false: none does.",
  })
  drifted?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "true: degraded on some cluster; false: on none." })
  degraded?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "true: rolling out on some cluster; false: on none." })
  rollingOut?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: "true: missing from some cluster; false: from none." })
  missing?: boolean | null;
}

@ObjectType({ simpleResolvers: true, description: "A page of fleet workloads." })
export class FleetWorkloadConnection extends Connection<FleetWorkload>(
  "FleetWorkload",
  FleetWorkload,
  "the fleet workloads",
) {}

@ArgsType()
export class FleetWorkloadListArgs extends PageArgs {
  @Field(() => FleetWorkloadFilter, {
    nullable: true,
    description:
      "Which groups: `clusters` and `clusterSelector` choose the clusters they are built over; the other workload fields select groups with at least one matching instance; `drifted`, `degraded`, `rollingOut` and `missing` select by status. Every group when left out.",
  })
  filter?: FleetWorkloadFilter | null;

  @Field(() => FleetWorkloadOrder, { nullable: true, description: "The order; by name when left out." })
  orderBy?: { field: string; direction: "ASC" | "DESC" } | null;
}
