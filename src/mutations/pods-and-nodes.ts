/**
 * The mutations of pods and nodes, knowing no GraphQL: podDelete (a DELETE with DeleteOptions,
 * whose controller, if any, replaces the pod), clusterNodeCordon and clusterNodeUncordon, and
 * clusterNodeDrain (node-drain.ts).
 */
import { wholeNumberIn } from "./input-checks.js";
import { NODE, POD } from "../kinds/index.js";
import { cordonOperation } from "./node-cordon.js";
import { DEFAULT_DRAIN_TIMEOUT_SECONDS, drainOperation, MAX_DRAIN_TIMEOUT_SECONDS } from "./node-drain.js";
import { deleteOperation, MAX_GRACE_PERIOD_SECONDS } from "./object-delete.js";
import type { MutationResult } from "./outcome.js";
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

export interface NodeDrainInput extends NodeCordonInput {
  gracePeriodSeconds?: number | null;
  ignoreDaemonSets?: boolean | null;
  deleteEmptyDirData?: boolean | null;
  force?: boolean | null;
  timeoutSeconds?: number | null;
}

export class PodAndNodeMutations {
  constructor(private readonly pipeline: MutationPipeline) {}

  async podDelete(input: PodDeleteInput, caller: MutationCaller): Promise<MutationResult> {
    const grace = input.gracePeriodSeconds ?? undefined;
    const errors = [wholeNumberIn(grace, 0, MAX_GRACE_PERIOD_SECONDS, "gracePeriodSeconds")].filter(
      (e) => e !== undefined,
    );
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

  /** kubectl drain, per node: cordon, then evict its pods (node-drain.ts). */
  async drain(input: NodeDrainInput, caller: MutationCaller): Promise<MutationResult> {
    const grace = input.gracePeriodSeconds ?? undefined;
    const errors = [
      wholeNumberIn(grace, 0, MAX_GRACE_PERIOD_SECONDS, "gracePeriodSeconds"),
      wholeNumberIn(input.timeoutSeconds, 1, MAX_DRAIN_TIMEOUT_SECONDS, "timeoutSeconds"),
    ].filter((e) => e !== undefined);
    const { targets, userErrors } = resolveTargets(
      input.ids,
      [NODE],
      caller.reader,
      caller.scope,
      "clusterNodeDrain",
      this.pipeline.maxTargets(),
    );
    if (errors.length + userErrors.length > 0)
      return { outcomes: [], userErrors: [...errors, ...userErrors] };
    const operation = drainOperation({
      ignoreDaemonSets: input.ignoreDaemonSets ?? true,
      deleteEmptyDirData: input.deleteEmptyDirData ?? false,
      force: input.force ?? false,
      timeoutSeconds: input.timeoutSeconds ?? DEFAULT_DRAIN_TIMEOUT_SECONDS,
      visible: (cluster, namespace, name) => caller.scope.allows(cluster, "Pod", namespace, name),
      dryRun: input.dryRun === true,
      ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    });
    return this.pipeline.run(caller, { operation, targets, input, idempotencyKey: input.idempotencyKey });
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
