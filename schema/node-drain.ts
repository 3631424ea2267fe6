/**
 * clusterNodeDrain's input and payload. Its outcome is the node's (as every mutation's is the
 * target's) and also lists what became of each pod that was on the node.
 */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ClusterNode } from "./cluster-node.js";
import { MutationInput, MutationOutcomeBase } from "./mutations.js";
import { UserError } from "./tenancy.js";

export enum DrainedPodResult {
  EVICTED = "EVICTED",
  DELETED = "DELETED",
  SKIPPED = "SKIPPED",
  BLOCKED = "BLOCKED",
  FAILED = "FAILED",
}

registerEnumType(DrainedPodResult, {
  name: "DrainedPodResult",
  description: "What a drain did with one pod of the node.",
  valuesConfig: {
    EVICTED: { description: "Evicted (policy/v1 Eviction) and gone; for a dry run, accepted." },
    DELETED: {
      description: "Deleted, the cluster serving no eviction API: no disruption budget was checked.",
    },
    SKIPPED: {
      description:
        "Left alone: a DaemonSet's or mirror pod, already gone, or not started because the drain was refused.",
    },
    BLOCKED: {
      description:
        "Stays: a PodDisruptionBudget allowed no disruption until the timeout, or a filter or the gateway refused it.",
    },
    FAILED: { description: "Stays, or still terminating at the timeout: see the reason." },
  },
});

@ObjectType({ simpleResolvers: true, description: "One pod that was on a drained node." })
export class DrainedPod {
  @Field({ description: "Its namespace." })
  namespace!: string;

  @Field({ description: "Its name." })
  name!: string;

  @Field(() => DrainedPodResult, { description: "What the drain did with it." })
  result!: DrainedPodResult;

  @Field({ description: "Why, for a person: the budget that blocked it, the filter that skipped it." })
  reason!: string;
}

@ObjectType({ simpleResolvers: true, description: "How a drain went for one node." })
export class ClusterNodeDrainOutcome extends MutationOutcomeBase {
  @Field(() => ClusterNode, {
    nullable: true,
    description: "The node as the API server answered its cordon; null when it could not be cordoned.",
  })
  object!: ClusterNode | null;

  @Field(() => [DrainedPod], {
    description: "The node's pods when the drain began and what became of each; empty when none were listed.",
  })
  pods!: DrainedPod[];
}

@ObjectType({ simpleResolvers: true, description: "What a node drain did." })
export class ClusterNodeDrainPayload {
  @Field(() => [ClusterNodeDrainOutcome], {
    description: "One per node; empty when the input has mistakes (nothing was done).",
  })
  outcomes!: ClusterNodeDrainOutcome[];

  @Field(() => [UserError], { description: "Mistakes in the input; empty when it was accepted." })
  userErrors!: UserError[];
}

@InputType({ description: "Nodes to drain as kubectl drain does: cordoned, then their pods evicted." })
export class ClusterNodeDrainInput extends MutationInput {
  @Field(() => [ID], { description: "ClusterNode ids (at most 100 by default), on any clusters." })
  ids!: string[];

  @Field(() => Int, {
    nullable: true,
    description:
      "Seconds each pod gets to stop (0 to 3600); each pod's own terminationGracePeriodSeconds by default.",
  })
  gracePeriodSeconds?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Leave DaemonSet pods alone (true by default); false refuses a node running any (INVALID).",
  })
  ignoreDaemonSets?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Evict pods with emptyDir volumes, losing that data (false by default: they refuse the drain).",
  })
  deleteEmptyDirData?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Evict pods no controller recreates (false by default: they refuse the drain).",
  })
  force?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "How long, per node, evictions a budget forbids are retried and evicted pods awaited (1 to 600; 60 by default).",
  })
  timeoutSeconds?: number | null;
}
