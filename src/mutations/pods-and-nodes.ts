/**
 * The mutations of pods and nodes, knowing no GraphQL: podDelete (a DELETE with DeleteOptions,
 * whose controller, if any, replaces the pod), clusterNodeCordon and clusterNodeUncordon.
 */
import { NODE, POD } from "../kinds/index.js";
import { cordonOperation } from "./node-cordon.js";
import { deleteOperation, MAX_GRACE_PERIOD_SECONDS } from "./object-delete.js";
import type { MutationResult, UserErrorRecord } from "./outcome.js";
import type { MutationCaller, MutationPipeline } from "./run.js";
import { resolveTargets } from "./targets.js";
import type { MutationInputBase } from "./workloads.js";

export interface PodDeleteInput extends MutationInputBase {
  ids: readonly string[];
  gracePeriodSeconds?: number | null;
}

export interface NodeCordonInput extends MutationInputBase {
  ids: readonly string[];
}

export class PodAndNodeMutations {
  constructor(private readonly pipeline: MutationPipeline) {}

  async podDelete(input: PodDeleteInput, caller: MutationCaller): Promise<MutationResult> {
    const errors: UserErrorRecord[] = [];
    const grace = input.gracePeriodSeconds ?? undefined;
    if (grace !== undefined && (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_PERIOD_SECONDS)) {
      errors.push({
        field: ["input", "gracePeriodSeconds"],
        message: `gracePeriodSeconds must be a whole number from 0 to ${MAX_GRACE_PERIOD_SECONDS}`,
        code: "BAD_USER_INPUT",
      });
    }
    const { targets, userErrors } = resolveTargets(
      input.ids,
      [POD],
      caller.reader,
      caller.scope,
      "podDelete",
      this.pipeline.maxTargets(),
    );
    if (errors.length + userErrors.length > 0)
      return { outcomes: [], userErrors: [...errors, ...userErrors] };
    return this.pipeline.run(caller, {
      operation: deleteOperation("pod.delete", {
        dryRun: input.dryRun === true,
        ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
      }),
      targets,
      input,
      idempotencyKey: input.idempotencyKey,
    });
  }

  cordon(input: NodeCordonInput, caller: MutationCaller): Promise<MutationResult> {
    return this.setUnschedulable(input, caller, true);
  }

  uncordon(input: NodeCordonInput, caller: MutationCaller): Promise<MutationResult> {
    return this.setUnschedulable(input, caller, false);
  }

  private async setUnschedulable(
    input: NodeCordonInput,
    caller: MutationCaller,
    unschedulable: boolean,
  ): Promise<MutationResult> {
    const { targets, userErrors } = resolveTargets(
      input.ids,
      [NODE],
      caller.reader,
      caller.scope,
      unschedulable ? "clusterNodeCordon" : "clusterNodeUncordon",
      this.pipeline.maxTargets(),
    );
    if (userErrors.length > 0) return { outcomes: [], userErrors };
    return this.pipeline.run(caller, {
      operation: cordonOperation(unschedulable, input.dryRun === true),
      targets,
      input,
      idempotencyKey: input.idempotencyKey,
    });
  }
}
