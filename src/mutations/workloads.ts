/**
 * The mutations of workloads, knowing no GraphQL: targets (ids, or a list filter) resolved under
 * the caller's Scope, input checked (user errors), then one outcome per target through the
 * shared pipeline.
 */
import type { AnyKind } from "../kinds/index.js";
import type { MutationResult, UserErrorRecord } from "./outcome.js";
import type { MutationCaller, MutationPipeline, Operation } from "./run.js";
import { groupTargets } from "./group-targets.js";
import { resolveTargets, selectTargets } from "./targets.js";
import { MAX_REPLICAS, SCALABLE_KINDS, scaleOperation } from "./workload-scale.js";
import { RESTARTABLE_KINDS, restartOperation } from "./workload-restart.js";
import { ROLLBACK_KINDS, rollbackOperation } from "./workload-rollback.js";
import { SUSPENDABLE_KINDS, suspendOperation } from "./workload-suspend.js";

/** What every mutation input may carry. */
export interface MutationInputBase {
  dryRun?: boolean | null;
  idempotencyKey?: string | null;
}

/** Workloads named by id, selected by a `workloads(filter:)` filter, or by fleet workload: exactly one. */
export interface WorkloadSelection extends MutationInputBase {
  ids?: readonly string[] | null;
  filter?: Record<string, unknown> | null;
  /** FleetWorkload ids: every instance the caller may read. */
  groups?: readonly string[] | null;
}

export interface WorkloadScaleInput extends WorkloadSelection {
  replicas: number;
  expectedResourceVersion?: string | null;
}

export interface WorkloadRollbackInput extends MutationInputBase {
  id: string;
  /** A ReplicaSet revision; 0 or absent: the previous one. */
  revision?: number | null;
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
    if (errors.length > 0) return { outcomes: [], userErrors: errors };
    return this.run(
      input,
      caller,
      SCALABLE_KINDS,
      "workloadScale",
      scaleOperation({
        replicas: input.replicas,
        dryRun: input.dryRun === true,
        ...(expected !== undefined ? { expectedResourceVersion: expected } : {}),
      }),
    );
  }

  restart(input: WorkloadSelection, caller: MutationCaller): Promise<MutationResult> {
    return this.run(
      input,
      caller,
      RESTARTABLE_KINDS,
      "workloadRestart",
      restartOperation({ dryRun: input.dryRun === true }),
    );
  }

  /** Deployments paused, CronJobs and Jobs suspended (`suspend: false`: resumed). */
  setSuspended(input: WorkloadSelection, suspend: boolean, caller: MutationCaller): Promise<MutationResult> {
    return this.run(
      input,
      caller,
      SUSPENDABLE_KINDS,
      suspend ? "workloadSuspend" : "workloadResume",
      suspendOperation(suspend, input.dryRun === true),
    );
  }

  async rollback(input: WorkloadRollbackInput, caller: MutationCaller): Promise<MutationResult> {
    const revision = input.revision ?? 0;
    if (!Number.isInteger(revision) || revision < 0) {
      return {
        outcomes: [],
        userErrors: [
          {
            field: ["input", "revision"],
            message: "a revision is a whole number (0 or none: the previous one)",
            code: "BAD_USER_INPUT",
          },
        ],
      };
    }
    const { targets, userErrors } = resolveTargets(
      [input.id],
      ROLLBACK_KINDS,
      caller.reader,
      caller.scope,
      "workloadRollback",
    );
    if (userErrors.length > 0) return { outcomes: [], userErrors: userErrors.map(asIdError) };
    return this.pipeline.run(caller, {
      operation: rollbackOperation({ revision, dryRun: input.dryRun === true }),
      targets,
      input,
      idempotencyKey: input.idempotencyKey,
    });
  }

  private async run(
    input: WorkloadSelection,
    caller: MutationCaller,
    kinds: readonly AnyKind[],
    what: string,
    operation: Operation,
  ): Promise<MutationResult> {
    const limit = this.pipeline.maxTargets();
    const onlyGroups = input.groups != null && input.ids == null && input.filter == null;
    const { targets, userErrors } = onlyGroups
      ? groupTargets(input.groups!, kinds, caller.groupInstances, what, limit)
      : await selectTargets(input, kinds, caller, what, limit);
    if (userErrors.length > 0) return { outcomes: [], userErrors };
    return this.pipeline.run(caller, { operation, targets, input, idempotencyKey: input.idempotencyKey });
  }
}

/** A single `id` input: its errors point at ["input", "id"], not at a list position. */
function asIdError(error: UserErrorRecord): UserErrorRecord {
  return error.field[1] === "ids" ? { ...error, field: ["input", "id"] } : error;
}
