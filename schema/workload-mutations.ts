/** The inputs and payload of the workload mutations (scale, restart, suspend, resume, rollback). */
import { Field, ID, InputType, Int } from "type-graphql";
import { WorkloadFilter } from "./filters.js";
import { MutationInput, mutationPayload } from "./mutations.js";
import { Workload } from "./workload.js";

export const WorkloadMutationPayload = mutationPayload(Workload, "Workload", "workload");
export type WorkloadMutationPayload = InstanceType<typeof WorkloadMutationPayload>;

@InputType()
abstract class WorkloadSelectionInput extends MutationInput {
  @Field(() => [ID], {
    nullable: true,
    description: "The workloads' ids, on any clusters (at most 100 by default). Give ids, filter or groups.",
  })
  ids?: string[] | null;

  @Field(() => WorkloadFilter, {
    nullable: true,
    description:
      "Every workload `workloads(filter:)` lists now, of the kinds this mutation acts on; more than the target limit is refused whole (LIMIT_EXCEEDED). Give ids, filter or groups.",
  })
  filter?: WorkloadFilter | null;

  @Field(() => [ID], {
    nullable: true,
    description:
      "FleetWorkload ids (Query.fleetWorkloads): each acts on every instance you may read, on every cluster; their instances count against the target limit. Give ids, filter or groups.",
  })
  groups?: string[] | null;
}

@InputType({ description: "Deployments and StatefulSets to scale, and to how many replicas." })
export class WorkloadScaleInput extends WorkloadSelectionInput {
  @Field(() => Int, { description: "The replicas each should run (0 to 1000)." })
  replicas!: number;

  @Field(() => String, {
    nullable: true,
    description:
      "Scale only if the workload is still at this resourceVersion (CONFLICT otherwise); for one target.",
  })
  expectedResourceVersion?: string | null;
}

@InputType({
  description:
    "Deployments, StatefulSets and DaemonSets to restart (a rolling restart, as kubectl rollout restart).",
})
export class WorkloadRestartInput extends WorkloadSelectionInput {}

@InputType({
  description:
    "Workloads to suspend or resume: Deployments (spec.paused, as kubectl rollout pause/resume), CronJobs and Jobs (spec.suspend).",
})
export class WorkloadSuspendInput extends WorkloadSelectionInput {}

@InputType({
  description: "A Deployment to roll back to one of its ReplicaSet revisions (kubectl rollout undo).",
})
export class WorkloadRollbackInput extends MutationInput {
  @Field(() => ID, { description: "The Deployment's id." })
  id!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      "The revision (the ReplicaSet's deployment.kubernetes.io/revision) to go back to; 0 or none: the previous one.",
  })
  revision?: number | null;
}
