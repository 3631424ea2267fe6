/**
 * Operations on the fleet's objects, object-first (Shopify's conventions): an input object
 * carrying `dryRun` and `idempotencyKey`, and a payload with one outcome per target beside the
 * input's mistakes. `mutationPayload` makes the outcome and payload types of one object type, so
 * every mutation answers in the same shape.
 */
import { Field, ID, InputType, ObjectType, registerEnumType, type ClassType } from "type-graphql";
import { UserError } from "./tenancy.js";

export enum MutationStatus {
  APPLIED = "APPLIED",
  UNCHANGED = "UNCHANGED",
  DRY_RUN = "DRY_RUN",
  FORBIDDEN = "FORBIDDEN",
  CONFLICT = "CONFLICT",
  INVALID = "INVALID",
  NOT_FOUND = "NOT_FOUND",
  CLUSTER_UNAVAILABLE = "CLUSTER_UNAVAILABLE",
  FAILED = "FAILED",
}

registerEnumType(MutationStatus, {
  name: "MutationStatus",
  description: "How a mutation went for one target.",
  valuesConfig: {
    APPLIED: { description: "Changed, as the API server answered." },
    UNCHANGED: { description: "Already as asked: the API server changed nothing." },
    DRY_RUN: { description: "Validated by the API server, not persisted (dryRun: true)." },
    FORBIDDEN: { description: "Refused by the gateway's access rules or the cluster's RBAC." },
    CONFLICT: {
      description:
        "The object changed since expectedResourceVersion, or (apply) a field is owned by another field manager.",
    },
    INVALID: { description: "The API server refused the change as invalid." },
    NOT_FOUND: { description: "No such object (deleted, or not yours to see)." },
    CLUSTER_UNAVAILABLE: { description: "The cluster did not answer; asking again later may succeed." },
    FAILED: { description: "Anything else went wrong; see the error." },
  },
});

@ObjectType({ simpleResolvers: true, description: "Why a mutation did not apply to a target." })
export class MutationError {
  @Field({ description: "The status, or a finer code (CLUSTER_TIMEOUT)." })
  code!: string;

  @Field({ description: "What happened, for a person." })
  message!: string;
}

@ObjectType({ simpleResolvers: true, description: "The object a mutation outcome is about." })
export class MutationTarget {
  @Field(() => ID, {
    nullable: true,
    description:
      "Its global id: as given in the input, or the written object's once known; null for a kind this API does not type, or an object not (yet) created.",
  })
  id!: string | null;

  @Field({ description: 'As in a manifest: "apps/v1", "v1".' })
  apiVersion!: string;

  @Field({ description: 'Its kind: "Deployment".' })
  kind!: string;

  @Field({ description: "Its name; empty when the id names nothing you can see." })
  name!: string;

  @Field({
    description: "Its namespace; empty for cluster-scoped objects and ids that name nothing you can see.",
  })
  namespace!: string;
}

@ObjectType()
export abstract class MutationOutcomeBase {
  @Field({ description: "The target's cluster." })
  cluster!: string;

  @Field(() => MutationTarget, { description: "The object it is about." })
  target!: MutationTarget;

  @Field(() => MutationStatus, { description: "How it went." })
  status!: MutationStatus;

  @Field(() => MutationError, { nullable: true, description: "Null when it applied, or was a dry run." })
  error!: MutationError | null;

  @Field({
    description:
      "True when this outcome is the first answer to the same idempotencyKey, replayed: nothing was sent to the cluster this time.",
  })
  replayed!: boolean;
}

export interface MutationPayloadShape<O> {
  outcomes: O[];
  userErrors: UserError[];
}

/**
 * `<Name>MutationOutcome` (an outcome whose `object` is of `objectType`) and
 * `<Name>MutationPayload`. `what` names the object in descriptions ("workload").
 */
export function mutationPayload<T extends object>(
  objectType: ClassType<T> | (abstract new () => T),
  name: string,
  what: string,
  /** What `object` is; default the API server's answer. */
  objectDescription = `The ${what} as the API server answered (for a dry run: as it would be); null when the change did not apply.`,
): ClassType<MutationPayloadShape<MutationOutcomeBase & { object: T | null }>> {
  @ObjectType(`${name}MutationOutcome`, {
    simpleResolvers: true,
    description: `How a mutation went for one ${what}.`,
  })
  class Outcome extends MutationOutcomeBase {
    @Field(() => objectType, {
      nullable: true,
      description: objectDescription,
    })
    object!: T | null;
  }

  @ObjectType(`${name}MutationPayload`, {
    simpleResolvers: true,
    description: `What a ${what} mutation did.`,
  })
  class Payload {
    @Field(() => [Outcome], {
      description: "One per target; empty when the input has mistakes (nothing was done).",
    })
    outcomes!: Outcome[];

    @Field(() => [UserError], { description: "Mistakes in the input; empty when it was accepted." })
    userErrors!: UserError[];
  }
  return Payload;
}

@InputType()
export abstract class MutationInput {
  @Field(() => Boolean, {
    nullable: true,
    description:
      "Check everything and change nothing: the input, your rights, and the target's own validation (the API servers' dryRun=All for Kubernetes objects; for silences, the gateway's checks alone — Alertmanager has no dry run).",
  })
  dryRun?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Makes a retry safe: the same key (yours, within a day) answers each target's first outcome again and sends only what did not reach a final state (CLUSTER_UNAVAILABLE, FAILED). Reusing a key with another input is a user error.",
  })
  idempotencyKey?: string | null;
}
