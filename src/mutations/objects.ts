/**
 * Mutations of objects named as in a manifest (objectDelete; manifestApply beside it): the
 * cluster must be one the caller can see, the rest is found through the cluster's discovery and
 * decided, per target, by the gateway's access and then the cluster's RBAC.
 */
import type { FleetDiscovery } from "../discovery/index.js";
import { MAX_GRACE_PERIOD_SECONDS, deleteOperation, type DeleteRequest } from "./object-delete.js";
import { objectTarget } from "./object-targets.js";
import type { MutationResult, UserErrorRecord } from "./outcome.js";
import type { MutationCaller, MutationPipeline } from "./run.js";
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

/** metadata.name: at most 253 characters of a DNS subdomain, or a path segment for RBAC kinds. */
const OBJECT_NAME = /^[^/%\s]{1,253}$/;

export class ObjectMutations {
  constructor(
    private readonly pipeline: MutationPipeline,
    private readonly discovery: Pick<FleetDiscovery, "resolve">,
  ) {}

  async delete(input: ObjectDeleteInput, caller: MutationCaller): Promise<MutationResult> {
    const userErrors: UserErrorRecord[] = [];
    const bad = (field: string, message: string): void => {
      userErrors.push({ field: ["input", field], message, code: "BAD_USER_INPUT" });
    };
    if (!this.knownCluster(input.cluster, caller)) bad("cluster", `no cluster named "${input.cluster}"`);
    if (!OBJECT_NAME.test(input.name)) bad("name", "a name is 1 to 253 characters without /, % or spaces");
    if (
      input.namespace !== undefined &&
      input.namespace !== null &&
      !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(input.namespace)
    )
      bad("namespace", "a namespace name is a DNS label (lower-case letters, digits and -)");
    const grace = input.gracePeriodSeconds ?? undefined;
    if (grace !== undefined && (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_PERIOD_SECONDS))
      bad("gracePeriodSeconds", `from 0 to ${MAX_GRACE_PERIOD_SECONDS} seconds`);
    if (input.expectedResourceVersion === "") bad("expectedResourceVersion", "empty");
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

  /** A cluster the fleet serves and the caller may see: others read as absent (no existence leak). */
  knownCluster(cluster: string, caller: MutationCaller): boolean {
    return this.pipeline.connections.get(cluster) !== undefined && caller.scope.allowsCluster(cluster);
  }
}
