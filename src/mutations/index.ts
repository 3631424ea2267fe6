/**
 * The mutations of workloads, knowing no GraphQL: ids resolved under the caller's Scope, input
 * checked (user errors), then one outcome per target (src/mutations/run.ts).
 */
import { type MutationResult, type UserErrorRecord } from "./outcome.js";
import { runOperation, type Connections, type MutationCaller } from "./run.js";
import { resolveTargets } from "./targets.js";
import { MAX_REPLICAS, SCALABLE_KINDS, scaleOperation } from "./workload-scale.js";
import { RESTARTABLE_KINDS, restartOperation } from "./workload-restart.js";

export { MAX_MUTATION_TARGETS } from "./targets.js";
export { MAX_REPLICAS } from "./workload-scale.js";
export type { MutationCaller } from "./run.js";
export type { MutationOutcome, MutationResult, MutationStatus, UserErrorRecord } from "./outcome.js";

export interface WorkloadScaleInput {
  ids: readonly string[];
  replicas: number;
  dryRun?: boolean | null;
  expectedResourceVersion?: string | null;
}

export interface WorkloadRestartInput {
  ids: readonly string[];
  dryRun?: boolean | null;
}

export class WorkloadMutations {
  constructor(private readonly connections: Connections) {}

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
    );
    if (errors.length + userErrors.length > 0)
      return { outcomes: [], userErrors: [...errors, ...userErrors] };
    const outcomes = await runOperation(
      caller,
      this.connections,
      targets,
      scaleOperation({
        replicas: input.replicas,
        dryRun: input.dryRun === true,
        ...(expected !== undefined ? { expectedResourceVersion: expected } : {}),
      }),
    );
    return { outcomes, userErrors: [] };
  }

  async restart(input: WorkloadRestartInput, caller: MutationCaller): Promise<MutationResult> {
    const { targets, userErrors } = resolveTargets(
      input.ids,
      RESTARTABLE_KINDS,
      caller.reader,
      caller.scope,
      "workloadRestart",
    );
    if (userErrors.length > 0) return { outcomes: [], userErrors };
    const outcomes = await runOperation(
      caller,
      this.connections,
      targets,
      restartOperation({ dryRun: input.dryRun === true }),
    );
    return { outcomes, userErrors: [] };
  }
}
