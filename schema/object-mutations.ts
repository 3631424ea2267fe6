/**
 * Mutations of objects named as a manifest names them (objectDelete, manifestApply): any kind a
 * cluster serves, custom resources included. The outcome's object is typed when this API types
 * the kind; `manifest` is always the API server's answer as JSON.
 */
import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { KubeObject } from "./kube-object.js";
import { MutationInput, MutationOutcomeBase } from "./mutations.js";
import { JSON } from "./scalars.js";
import { UserError } from "./tenancy.js";

@ObjectType({ simpleResolvers: true, description: "How a mutation went for one object of any kind." })
export class ObjectMutationOutcome extends MutationOutcomeBase {
  @Field(() => KubeObject, {
    nullable: true,
    description:
      "The object as the API server answered, when this API types its kind (otherwise see manifest); null when the change did not apply.",
  })
  object!: KubeObject | null;

  @Field(() => JSON, {
    nullable: true,
    description:
      "The API server's answer as JSON (managedFields included); null when the change did not apply.",
  })
  manifest!: Record<string, unknown> | null;
}

@ObjectType({ simpleResolvers: true, description: "What a mutation of objects did." })
export class ObjectMutationPayload {
  @Field(() => [ObjectMutationOutcome], {
    description: "One per target; empty when the input has mistakes (nothing was done).",
  })
  outcomes!: ObjectMutationOutcome[];

  @Field(() => [UserError], { description: "Mistakes in the input; empty when it was accepted." })
  userErrors!: UserError[];
}

export enum PropagationPolicy {
  BACKGROUND = "Background",
  FOREGROUND = "Foreground",
  ORPHAN = "Orphan",
}

registerEnumType(PropagationPolicy, {
  name: "PropagationPolicy",
  description: "What happens to an object's dependents when it is deleted (the API server's DeleteOptions).",
  valuesConfig: {
    BACKGROUND: { description: "Deleted now; the garbage collector deletes its dependents afterwards." },
    FOREGROUND: { description: "Kept (deletionTimestamp set) until its blocking dependents are gone." },
    ORPHAN: { description: "Deleted; its dependents stay, without the owner reference." },
  },
});

@InputType({ description: "One object to delete, named as in a manifest." })
export class ObjectDeleteInput extends MutationInput {
  @Field({ description: "The cluster's name." })
  cluster!: string;

  @Field({ description: 'As in a manifest: "v1", "apps/v1", "example.com/v1".' })
  apiVersion!: string;

  @Field({ description: 'The kind, e.g. "ConfigMap" (as the cluster\'s discovery names it).' })
  kind!: string;

  @Field(() => String, {
    nullable: true,
    description: "Required for namespaced kinds; none for cluster-scoped ones.",
  })
  namespace?: string | null;

  @Field({ description: "metadata.name." })
  name!: string;

  @Field(() => PropagationPolicy, { nullable: true, description: "The kind's default when left out." })
  propagationPolicy?: PropagationPolicy | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Seconds the object gets to finish (pods); 0 deletes at once. The kind's default when left out.",
  })
  gracePeriodSeconds?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Delete only if the object is still at this resourceVersion (CONFLICT otherwise).",
  })
  expectedResourceVersion?: string | null;
}
