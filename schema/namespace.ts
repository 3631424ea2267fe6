import { Field, ObjectType } from "type-graphql";
import { ClusterScopedObject } from "./object-meta.js";
import { RelayNode } from "./relay-node.js";

@ObjectType({ simpleResolvers: true, implements: RelayNode })
export class Namespace extends ClusterScopedObject {
  @Field()
  phase!: string;

  @Field(() => String, {
    nullable: true,
    description: "The workspace (tenant) the namespace belongs to, from its workspace label.",
  })
  workspace!: string | null;
}
