/** Mutation.podDelete, clusterNodeCordon and clusterNodeUncordon: thin over src/mutations. */
import { Arg, Ctx, Extensions, Mutation, Resolver } from "type-graphql";
import type { ClusterNode } from "../schema/cluster-node.js";
import type { Pod } from "../schema/pod.js";
import {
  ClusterNodeCordonInput,
  ClusterNodeMutationPayload,
  PodDeleteInput,
  PodMutationPayload,
} from "../schema/pod-node-mutations.js";
import {
  callerOf,
  mutationsOf,
  payloadOf,
  WRITE_PER_TARGET,
  type MutationRequestContext,
} from "./mutations.js";

@Resolver()
export class PodNodeMutationsResolver {
  @Mutation(() => PodMutationPayload, {
    description: "Deletes pods, each as you on its cluster: one outcome per pod.",
  })
  @Extensions(WRITE_PER_TARGET)
  async podDelete(
    @Arg("input", () => PodDeleteInput, { description: "The pods to delete." }) input: PodDeleteInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<PodMutationPayload> {
    return payloadOf<Pod>(await mutationsOf(ctx).podsAndNodes.podDelete(input, callerOf(ctx)), ctx);
  }

  @Mutation(() => ClusterNodeMutationPayload, {
    description:
      "Cordons nodes (spec.unschedulable: true, as kubectl cordon), each as you: UNCHANGED for a node already cordoned.",
  })
  @Extensions(WRITE_PER_TARGET)
  async clusterNodeCordon(
    @Arg("input", () => ClusterNodeCordonInput, { description: "The nodes to cordon." })
    input: ClusterNodeCordonInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<ClusterNodeMutationPayload> {
    return payloadOf<ClusterNode>(await mutationsOf(ctx).podsAndNodes.cordon(input, callerOf(ctx)), ctx);
  }

  @Mutation(() => ClusterNodeMutationPayload, {
    description:
      "Uncordons nodes (spec.unschedulable: false, as kubectl uncordon), each as you: UNCHANGED for a schedulable node.",
  })
  @Extensions(WRITE_PER_TARGET)
  async clusterNodeUncordon(
    @Arg("input", () => ClusterNodeCordonInput, { description: "The nodes to uncordon." })
    input: ClusterNodeCordonInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<ClusterNodeMutationPayload> {
    return payloadOf<ClusterNode>(await mutationsOf(ctx).podsAndNodes.uncordon(input, callerOf(ctx)), ctx);
  }
}
