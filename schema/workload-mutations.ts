/** The inputs and payload of workloadScale and workloadRestart. */
import { Field, ID, InputType, Int } from "type-graphql";
import { MutationInput, mutationPayload } from "./mutations.js";
import { Workload } from "./workload.js";

export const WorkloadMutationPayload = mutationPayload(Workload, "Workload", "workload");
export type WorkloadMutationPayload = InstanceType<typeof WorkloadMutationPayload>;

@InputType({ description: "Workloads to scale, and to how many replicas." })
export class WorkloadScaleInput extends MutationInput {
  @Field(() => [ID], {
    description: "Deployment and StatefulSet ids (at most 100 by default), on any clusters.",
  })
  ids!: string[];

  @Field(() => Int, { description: "The replicas each should run (0 to 1000)." })
  replicas!: number;

  @Field(() => String, {
    nullable: true,
    description:
      "Scale only if the workload is still at this resourceVersion (CONFLICT otherwise); for one target.",
  })
  expectedResourceVersion?: string | null;
}

@InputType({ description: "Workloads to restart (a rolling restart, as kubectl rollout restart)." })
export class WorkloadRestartInput extends MutationInput {
  @Field(() => [ID], { description: "Deployment, StatefulSet and DaemonSet ids (at most 100 by default)." })
  ids!: string[];
}
