/** Mutation.workloadScale and workloadRestart: thin over src/mutations. */
import { Arg, Extensions, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../src/request/context.js";
import type { MutationContext } from "../src/mutations/context.js";
import { toEntry, type CacheEntry } from "../src/cache/entry.js";
import type { MutationCaller, MutationResult } from "../src/mutations/index.js";
import type { WorkloadData } from "../src/kinds/workloads.js";
import {
  MutationStatus,
  WorkloadMutationPayload,
  WorkloadRestartInput,
  WorkloadScaleInput,
} from "../schema/mutations.js";
import type { Workload } from "../schema/workload.js";
import { workloadView } from "./views/index.js";

type Context = RequestContext & MutationContext;

function caller(ctx: Context): MutationCaller {
  return {
    subject: ctx.subject,
    scope: ctx.scope,
    access: ctx.access,
    audit: ctx.audit,
    reader: ctx.services.reader,
  };
}

function service(ctx: Context): NonNullable<MutationContext["workloadMutations"]> {
  if (!ctx.workloadMutations) throw new Error("mutations are not served by this server");
  return ctx.workloadMutations;
}

function payload(result: MutationResult): WorkloadMutationPayload {
  return {
    outcomes: result.outcomes.map((o) => ({
      cluster: o.target.cluster,
      target: { id: o.target.id, name: o.target.name, namespace: o.target.namespace },
      status: o.status as MutationStatus,
      object: o.object
        ? (workloadView(
            toEntry(o.target.cluster, o.target.kind, o.object) as CacheEntry<WorkloadData>,
          ) as unknown as Workload)
        : null,
      error: o.error,
    })),
    userErrors: result.userErrors.map((e) => ({ field: e.field, message: e.message, code: e.code })),
  };
}

/** Each target is a write, a read back and a wait for the cache: priced like 10 objects. */
const WRITE_PER_TARGET = { perMutationTarget: 10 };

@Resolver()
export class MutationsResolver {
  @Mutation(() => WorkloadMutationPayload, {
    description:
      "Scales Deployments and StatefulSets (their scale subresource), each as you on its cluster: one outcome per workload.",
  })
  @Extensions(WRITE_PER_TARGET)
  async workloadScale(
    @Arg("input", () => WorkloadScaleInput, { description: "The workloads and their replicas." })
    input: WorkloadScaleInput,
    @Ctx() ctx: Context,
  ): Promise<WorkloadMutationPayload> {
    return payload(await service(ctx).scale(input, caller(ctx)));
  }

  @Mutation(() => WorkloadMutationPayload, {
    description:
      "Restarts Deployments, StatefulSets and DaemonSets (the pod template's restartedAt annotation), each as you: one outcome per workload.",
  })
  @Extensions(WRITE_PER_TARGET)
  async workloadRestart(
    @Arg("input", () => WorkloadRestartInput, { description: "The workloads to restart." })
    input: WorkloadRestartInput,
    @Ctx() ctx: Context,
  ): Promise<WorkloadMutationPayload> {
    return payload(await service(ctx).restart(input, caller(ctx)));
  }
}
