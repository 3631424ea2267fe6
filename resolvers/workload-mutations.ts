/** Mutation.workloadScale, workloadRestart, workloadSuspend/Resume and workloadRollback: thin over src/mutations. */
import { Arg, Ctx, Extensions, Mutation, Resolver } from "type-graphql";
import {
  WorkloadMutationPayload,
  WorkloadRestartInput,
  WorkloadRollbackInput,
  WorkloadScaleInput,
  WorkloadSuspendInput,
} from "../schema/workload-mutations.js";
import type { Workload } from "../schema/workload.js";
import {
  callerOf,
  mutationsOf,
  payloadOf,
  WRITE_PER_TARGET,
  type MutationRequestContext,
} from "./mutations.js";

type Input = WorkloadScaleInput | WorkloadRestartInput | WorkloadSuspendInput;

/** GraphQL inputs are class instances with nulls; the service takes plain records. */
const selection = <T extends Input>(input: T) => ({
  ...input,
  filter: input.filter ? ({ ...input.filter } as Record<string, unknown>) : null,
});

@Resolver()
export class WorkloadMutationsResolver {
  @Mutation(() => WorkloadMutationPayload, {
    description:
      "Scales Deployments and StatefulSets (their scale subresource), each as you on its cluster: one outcome per workload.",
  })
  @Extensions(WRITE_PER_TARGET)
  async workloadScale(
    @Arg("input", () => WorkloadScaleInput, { description: "The workloads and their replicas." })
    input: WorkloadScaleInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<WorkloadMutationPayload> {
    return payloadOf<Workload>(await mutationsOf(ctx).workloads.scale(selection(input), callerOf(ctx)), ctx);
  }

  @Mutation(() => WorkloadMutationPayload, {
    description:
      "Restarts Deployments, StatefulSets and DaemonSets (the pod template's restartedAt annotation), each as you: one outcome per workload.",
  })
  @Extensions(WRITE_PER_TARGET)
  async workloadRestart(
    @Arg("input", () => WorkloadRestartInput, { description: "The workloads to restart." })
    input: WorkloadRestartInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<WorkloadMutationPayload> {
    return payloadOf<Workload>(
      await mutationsOf(ctx).workloads.restart(selection(input), callerOf(ctx)),
      ctx,
    );
  }

  @Mutation(() => WorkloadMutationPayload, {
    description:
      "Pauses Deployments (no rollouts until resumed) and suspends CronJobs (no new Jobs) and Jobs (no pods), each as you.",
  })
  @Extensions(WRITE_PER_TARGET)
  async workloadSuspend(
    @Arg("input", () => WorkloadSuspendInput, { description: "The workloads to suspend." })
    input: WorkloadSuspendInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<WorkloadMutationPayload> {
    return payloadOf<Workload>(
      await mutationsOf(ctx).workloads.setSuspended(selection(input), true, callerOf(ctx)),
      ctx,
    );
  }

  @Mutation(() => WorkloadMutationPayload, {
    description: "Resumes paused Deployments and suspended CronJobs and Jobs, each as you.",
  })
  @Extensions(WRITE_PER_TARGET)
  async workloadResume(
    @Arg("input", () => WorkloadSuspendInput, { description: "The workloads to resume." })
    input: WorkloadSuspendInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<WorkloadMutationPayload> {
    return payloadOf<Workload>(
      await mutationsOf(ctx).workloads.setSuspended(selection(input), false, callerOf(ctx)),
      ctx,
    );
  }

  @Mutation(() => WorkloadMutationPayload, {
    description:
      "Rolls a Deployment back to the pod template of one of its ReplicaSet revisions (kubectl rollout undo), as you.",
  })
  @Extensions(WRITE_PER_TARGET)
  async workloadRollback(
    @Arg("input", () => WorkloadRollbackInput, { description: "The Deployment and the revision." })
    input: WorkloadRollbackInput,
    @Ctx() ctx: MutationRequestContext,
  ): Promise<WorkloadMutationPayload> {
    return payloadOf<Workload>(await mutationsOf(ctx).workloads.rollback(input, callerOf(ctx)), ctx);
  }
}
