/**
 * Mutations of objects named as in a manifest (objectDelete, manifestApply): the
 * cluster must be one the caller can see, the rest is found through the cluster's discovery and
 * decided, per target, by the gateway's access and then the cluster's RBAC.
 */
import type { FleetDiscovery } from "../discovery/index.js";
import { MAX_GRACE_PERIOD_SECONDS, deleteOperation, type DeleteRequest } from "./object-delete.js";
import { knownCluster, namespaceName, objectName, present, wholeNumberIn } from "./input-checks.js";
import { objectTarget } from "./object-targets.js";
import type { MutationResult } from "./outcome.js";
import type { MutationCaller, MutationPipeline } from "./run.js";
import { applyOperation } from "./manifest-apply.js";
import { manifestTargets, type FleetMembers, type ManifestApplyInput } from "./manifest-targets.js";
import { targetKey } from "./idempotency.js";
import type { MutationInputBase } from "./workloads.js";

export interface ObjectDeleteInput extends MutationInputBase {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string | null;
  name: string;
  propagationPolicy?: DeleteRequest["propagationPolicy"] | null;
  gracePeriodSeconds?: number | null;
  expectedResourceVersion?: string | null;
}

export class ObjectMutations {
  constructor(
    private readonly pipeline: MutationPipeline,
    private readonly discovery: Pick<FleetDiscovery, "resolve">,
    private readonly members: FleetMembers,
  ) {}

  /** Server-side apply of a manifest's documents to each chosen cluster (docs/mutations.md). */
  async apply(input: ManifestApplyInput, caller: MutationCaller): Promise<MutationResult> {
    const { targets, configs, fieldManager, userErrors } = await manifestTargets(
      input,
      caller,
      this.members,
      this.discovery,
      this.pipeline.maxTargets(),
    );
    if (userErrors.length > 0) return { outcomes: [], userErrors };
    return this.pipeline.run(caller, {
      operation: applyOperation("manifest.apply", {
        fieldManager,
        force: input.force === true,
        dryRun: input.dryRun === true,
        configOf: (target) => configs.get(targetKey(target))!,
      }),
      targets,
      input,
      idempotencyKey: input.idempotencyKey,
    });
  }

  async delete(input: ObjectDeleteInput, caller: MutationCaller): Promise<MutationResult> {
    const userErrors = present([
      knownCluster(input.cluster, caller, this.pipeline),
      objectName(input.name),
      namespaceName(input.namespace),
      wholeNumberIn(input.gracePeriodSeconds, 0, MAX_GRACE_PERIOD_SECONDS, "gracePeriodSeconds"),
      input.expectedResourceVersion === ""
        ? { field: ["input", "expectedResourceVersion"], message: "empty", code: "BAD_USER_INPUT" as const }
        : undefined,
    ]);
    const grace = input.gracePeriodSeconds ?? undefined;
    if (userErrors.length > 0) return { outcomes: [], userErrors };
    const target = await objectTarget(this.discovery, input);
    return this.pipeline.run(caller, {
      operation: deleteOperation("object.delete", {
        dryRun: input.dryRun === true,
        ...(input.propagationPolicy ? { propagationPolicy: input.propagationPolicy } : {}),
        ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
        ...(input.expectedResourceVersion ? { expectedResourceVersion: input.expectedResourceVersion } : {}),
      }),
      targets: [target],
      input,
      idempotencyKey: input.idempotencyKey,
    });
  }
}
