/** Mutation.workloadScale and workloadRestart: thin over src/mutations. */
import { Arg, Ctx, Extensions, Mutation, Resolver } from "type-graphql";
import {
  WorkloadMutationPayload,
  WorkloadRestartInput,
  WorkloadScaleInput,
} from "../schema/workload-mutations.js";
import type { Workload } from "../schema/workload.js";
import {
  callerOf,
  mutationsOf,
  payloadOf,
  WRITE_PER_TARGET,
  type MutationRequestContext,
} from "./mutations.js";

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
    return payloadOf<Workload>(await mutationsOf(ctx).workloads.scale(input, callerOf(ctx)), ctx);
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
    return payloadOf<Workload>(await mutationsOf(ctx).workloads.restart(input, callerOf(ctx)), ctx);
  }
}
