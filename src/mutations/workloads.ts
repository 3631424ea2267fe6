/**
 * The mutations of workloads, knowing no GraphQL: ids resolved under the caller's Scope, input
 * checked (user errors), then one outcome per target through the shared pipeline.
 */
import type { MutationResult, UserErrorRecord } from "./outcome.js";
import type { MutationCaller, MutationPipeline } from "./run.js";
import { resolveTargets } from "./targets.js";
import { MAX_REPLICAS, SCALABLE_KINDS, scaleOperation } from "./workload-scale.js";
import { RESTARTABLE_KINDS, restartOperation } from "./workload-restart.js";

/** What every mutation input may carry. */
export interface MutationInputBase {
  dryRun?: boolean | null;
  idempotencyKey?: string | null;
}

export interface WorkloadScaleInput extends MutationInputBase {
  ids: readonly string[];
  replicas: number;
  expectedResourceVersion?: string | null;
}

export interface WorkloadRestartInput extends MutationInputBase {
  ids: readonly string[];
}

export class WorkloadMutations {
  constructor(private readonly pipeline: MutationPipeline) {}

  async scale(input: WorkloadScaleInput, caller: MutationCaller): Promise<MutationResult> {
    const errors: UserErrorRecord[] = [];
    if (!Number.isInteger(input.replicas) || input.replicas < 0 || input.replicas > MAX_REPLICAS) {
      errors.push({
        field: ["input", "replicas"],
        message: `replicas must be a whole number from 0 to ${MAX_REPLICAS}`,
        code: "BAD_USER_INPUT",
      });
    }
    const expected = input.expectedResourceVersion ?? undefined;
    if (expected !== undefined && expected === "") {
      errors.push({ field: ["input", "expectedResourceVersion"], message: "empty", code: "BAD_USER_INPUT" });
    }
    const { targets, userErrors } = resolveTargets(
      input.ids,
      SCALABLE_KINDS,
      caller.reader,
      caller.scope,
      "workloadScale",
      this.pipeline.maxTargets(),
    );
    if (errors.length + userErrors.length > 0)
      return { outcomes: [], userErrors: [...errors, ...userErrors] };
    return this.pipeline.run(caller, {
      operation: scaleOperation({
        replicas: input.replicas,
        dryRun: input.dryRun === true,
        ...(expected !== undefined ? { expectedResourceVersion: expected } : {}),
      }),
      targets,
      input,
      idempotencyKey: input.idempotencyKey,
    });
  }

  async restart(input: WorkloadRestartInput, caller: MutationCaller): Promise<MutationResult> {
    const { targets, userErrors } = resolveTargets(
      input.ids,
      RESTARTABLE_KINDS,
      caller.reader,
      caller.scope,
      "workloadRestart",
      this.pipeline.maxTargets(),
    );
    if (userErrors.length > 0) return { outcomes: [], userErrors };
    return this.pipeline.run(caller, {
      operation: restartOperation({ dryRun: input.dryRun === true }),
      targets,
      input,
      idempotencyKey: input.idempotencyKey,
    });
  }
}
