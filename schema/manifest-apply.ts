/** manifestApply's input and payload: server-side apply of a multi-document manifest to clusters. */
import { Field, InputType, ObjectType } from "type-graphql";
import { MutationInput } from "./mutations.js";
import { ObjectMutationOutcome } from "./object-mutations.js";
import { UserError } from "./tenancy.js";

@InputType({
  description:
    "A manifest to apply server-side (as kubectl apply --server-side) to clusters named, or chosen by their labels: exactly one of clusters and clusterSelector.",
})
export class ManifestApplyInput extends MutationInput {
  @Field({
    description:
      'YAML documents separated by ---, each an object with apiVersion, kind and metadata.name (at most 50 documents and 1 MiB). A namespaced kind without metadata.namespace goes to "default".',
  })
  manifest!: string;

  @Field(() => [String], { nullable: true, description: "The clusters to apply to, by name." })
  clusters?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'A label selector over the clusters\' labels, e.g. "region=eu,environment!=dev".',
  })
  clusterSelector?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The field manager the API servers record as owning the applied fields (1 to 128 printable characters); "fleetgraph" when left out.',
  })
  fieldManager?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Take over fields other managers own instead of answering CONFLICT (kubectl's --force-conflicts).",
  })
  force?: boolean | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "What manifestApply did: one outcome per cluster and document.",
})
export class ManifestApplyPayload {
  @Field(() => [ObjectMutationOutcome], {
    description:
      "One per cluster and document, by cluster then in the manifest's order; empty when the input has mistakes (nothing was done).",
  })
  outcomes!: ObjectMutationOutcome[];

  @Field(() => [UserError], { description: "Mistakes in the input; empty when it was accepted." })
  userErrors!: UserError[];
}
