/**
 * Operations on the fleet's objects, object-first (workloadScale, workloadRestart): an input
 * object, and a payload with one outcome per target beside the input's mistakes.
 */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { UserError } from "./tenancy.js";
import { Workload } from "./workload.js";

export enum MutationStatus {
  APPLIED = "APPLIED",
  UNCHANGED = "UNCHANGED",
  DRY_RUN = "DRY_RUN",
  FORBIDDEN = "FORBIDDEN",
  CONFLICT = "CONFLICT",
  INVALID = "INVALID",
  NOT_FOUND = "NOT_FOUND",
  CLUSTER_UNAVAILABLE = "CLUSTER_UNAVAILABLE",
  FAILED = "FAILED",
}

registerEnumType(MutationStatus, {
  name: "MutationStatus",
  description: "How a mutation went for one target.",
  valuesConfig: {
    APPLIED: { description: "Changed, as the API server answered." },
    UNCHANGED: { description: "Already as asked: the API server changed nothing." },
    DRY_RUN: { description: "Validated by the API server, not persisted (dryRun: true)." },
    FORBIDDEN: { description: "Refused by the gateway's access rules or the cluster's RBAC." },
    CONFLICT: { description: "The object changed since expectedResourceVersion." },
    INVALID: { description: "The API server refused the change as invalid." },
    NOT_FOUND: { description: "No such object (deleted, or not yours to see)." },
    CLUSTER_UNAVAILABLE: { description: "The cluster did not answer; asking again later may succeed." },
    FAILED: { description: "Anything else went wrong; see the error." },
  },
});

@ObjectType({ simpleResolvers: true, description: "Why a mutation did not apply to a target." })
export class MutationError {
  @Field({ description: "The status, or a finer code (CLUSTER_TIMEOUT)." })
  code!: string;

  @Field({ description: "What happened, for a person." })
  message!: string;
}

@ObjectType({ simpleResolvers: true, description: "The object a mutation outcome is about." })
export class MutationTarget {
  @Field(() => ID, { description: "Its global id, as given in the input." })
  id!: string;

  @Field({ description: "Its name; empty when the id names nothing you can see." })
  name!: string;

  @Field({ description: "Its namespace; empty when the id names nothing you can see." })
  namespace!: string;
}

@ObjectType({ simpleResolvers: true, description: "How a workload mutation went for one workload." })
export class WorkloadMutationOutcome {
  @Field({ description: "The workload's cluster." })
  cluster!: string;

  @Field(() => MutationTarget, { description: "The workload it is about." })
  target!: MutationTarget;

  @Field(() => MutationStatus, { description: "How it went." })
  status!: MutationStatus;

  @Field(() => Workload, {
    nullable: true,
    description:
      "The workload as the API server answered (for a dry run: as it would be); null when the change did not apply.",
  })
  object!: Workload | null;

  @Field(() => MutationError, { nullable: true, description: "Null when it applied, or was a dry run." })
  error!: MutationError | null;
}

@ObjectType({ simpleResolvers: true, description: "What a workload mutation did." })
export class WorkloadMutationPayload {
  @Field(() => [WorkloadMutationOutcome], {
    description: "One per target; empty when the input has mistakes (nothing was done).",
  })
  outcomes!: WorkloadMutationOutcome[];

  @Field(() => [UserError], { description: "Mistakes in the input; empty when it was accepted." })
  userErrors!: UserError[];
}

@InputType({ description: "Workloads to scale, and to how many replicas." })
export class WorkloadScaleInput {
  @Field(() => [ID], { description: "Deployment and StatefulSet ids (at most 100), on any clusters." })
  ids!: string[];

  @Field(() => Int, { description: "The replicas each should run (0 to 1000)." })
  replicas!: number;

  @Field(() => Boolean, {
    nullable: true,
    description: "Validate with the API servers (dryRun=All) and change nothing.",
  })
  dryRun?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Scale only if the workload is still at this resourceVersion (CONFLICT otherwise); for one target.",
  })
  expectedResourceVersion?: string | null;
}

@InputType({ description: "Workloads to restart (a rolling restart, as kubectl rollout restart)." })
export class WorkloadRestartInput {
  @Field(() => [ID], { description: "Deployment, StatefulSet and DaemonSet ids (at most 100)." })
  ids!: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: "Validate with the API servers (dryRun=All) and change nothing.",
  })
  dryRun?: boolean | null;
}
