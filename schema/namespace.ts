import { Field, ObjectType } from "type-graphql";
import { NamespacePhase } from "./enums.js";
import { KubeObject } from "./kube-object.js";
import { RelayNode } from "./relay-node.js";

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject],
  description: "A namespace of one cluster. Its workspace is the tenant it belongs to.",
})
export class Namespace extends KubeObject {
  @Field(() => NamespacePhase, { description: "status.phase." })
  phase!: NamespacePhase;

  @Field(() => String, {
    nullable: true,
    description: "The name of its workspace, from its workspace label (the `workspace` field is the object).",
  })
  workspaceName!: string | null;
}
