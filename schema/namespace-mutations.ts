/** The input and payload of namespaceCreate. */
import { Field, InputType } from "type-graphql";
import { MutationInput, mutationPayload } from "./mutations.js";
import { Namespace } from "./namespace.js";

export const NamespaceMutationPayload = mutationPayload(Namespace, "Namespace", "namespace");
export type NamespaceMutationPayload = InstanceType<typeof NamespaceMutationPayload>;

@InputType({ description: "A label to set: key and value." })
export class LabelInput {
  @Field({ description: 'The key, e.g. "team" or "example.com/tier".' })
  key!: string;

  @Field({ description: "The value (may be empty)." })
  value!: string;
}

@InputType({ description: "A namespace to create in a workspace, on one or more clusters." })
export class NamespaceCreateInput extends MutationInput {
  @Field(() => String, { nullable: true, description: "The cluster. Give cluster or clusters." })
  cluster?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: "Several clusters at once. Give cluster or clusters.",
  })
  clusters?: string[] | null;

  @Field({ description: "The namespace's name (a DNS label)." })
  name!: string;

  @Field({
    description:
      "The workspace it belongs to: set as the workspace label (kubesphere.io/workspace by default). A workspace admin may create namespaces in their workspace.",
  })
  workspace!: string;

  @Field(() => [LabelInput], {
    nullable: true,
    description: "More labels; the workspace label is set from workspace.",
  })
  labels?: LabelInput[] | null;
}
