/** Mutation.podDelete, clusterNodeCordon, clusterNodeUncordon and clusterNodeDrain: thin over src/mutations. */
import { Arg, Ctx, Extensions, Mutation, Resolver } from "type-graphql";
import type { ClusterNode } from "../schema/cluster-node.js";
import { ClusterNodeDrainInput, ClusterNodeDrainPayload } from "../schema/node-drain.js";
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

/** A drain is a cordon, a list and an eviction per pod, with waits: priced like 50 objects per node. */
const DRAIN_PER_TARGET = { perMutationTarget: 50 };

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

  @Mutation(() => ClusterNodeDrainPayload, {
    description:
      "Drains nodes as kubectl drain does, each as you: cordoned, then their pods evicted (PodDisruptionBudgets respected); one outcome per node, listing its pods.",
  })
  @Extensions(DRAIN_PER_TARGET)
  async clusterNodeDrain(
    @Arg("input", () => ClusterNodeDrainInput, { description: "The nodes to drain, and how." })
    input: ClusterNodeDrainInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<ClusterNodeDrainPayload> {
    return payloadOf<ClusterNode>(await mutationsOf(ctx).podsAndNodes.drain(input, callerOf(ctx)), ctx);
  }
}
