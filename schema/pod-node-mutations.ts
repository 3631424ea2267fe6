/** The inputs and payloads of podDelete, clusterNodeCordon and clusterNodeUncordon. */
import { Field, ID, InputType, Int } from "type-graphql";
import { ClusterNode } from "./cluster-node.js";
import { MutationInput, mutationPayload } from "./mutations.js";
import { Pod } from "./pod.js";

export const PodMutationPayload = mutationPayload(Pod, "Pod", "pod");
export type PodMutationPayload = InstanceType<typeof PodMutationPayload>;

export const ClusterNodeMutationPayload = mutationPayload(ClusterNode, "ClusterNode", "node");
export type ClusterNodeMutationPayload = InstanceType<typeof ClusterNodeMutationPayload>;

@InputType({ description: "Pods to delete (their controllers, if any, replace them)." })
export class PodDeleteInput extends MutationInput {
  @Field(() => [ID], { description: "Pod ids (at most 100 by default), on any clusters." })
  ids!: string[];

  @Field(() => Int, {
    nullable: true,
    description:
      "Seconds the containers get to stop (0 to 3600); the pod's own terminationGracePeriodSeconds by default.",
  })
  gracePeriodSeconds?: number | null;
}

@InputType({ description: "Nodes to mark unschedulable, or schedulable again." })
export class ClusterNodeCordonInput extends MutationInput {
  @Field(() => [ID], { description: "ClusterNode ids (at most 100 by default), on any clusters." })
  ids!: string[];
}
