import { Field, Float, ObjectType } from "type-graphql";
import { ClusterScopedObject } from "./object-meta.js";
import { RelayNode } from "./relay-node.js";

@ObjectType({
  simpleResolvers: true,
  description: "A node's resources: Kubernetes quantities as reported, and parsed.",
})
export class NodeResources {
  @Field(() => String, { nullable: true, description: 'As reported, e.g. "3800m".' })
  cpu!: string | null;

  @Field(() => String, { nullable: true, description: 'As reported, e.g. "16Gi".' })
  memory!: string | null;

  @Field(() => String, { nullable: true })
  pods!: string | null;

  @Field(() => Float)
  cpuCores!: number;

  @Field(() => Float)
  memoryBytes!: number;
}

@ObjectType({
  simpleResolvers: true,
  implements: RelayNode,
  description: "A Kubernetes node (named so to stay apart from Relay's Node).",
})
export class ClusterNode extends ClusterScopedObject {
  @Field()
  ready!: boolean;

  @Field()
  unschedulable!: boolean;

  @Field(() => [String])
  roles!: string[];

  @Field(() => String, { nullable: true })
  internalIP!: string | null;

  @Field(() => String, { nullable: true })
  kubeletVersion!: string | null;

  @Field(() => String, { nullable: true })
  osImage!: string | null;

  @Field(() => String, { nullable: true })
  architecture!: string | null;

  @Field(() => NodeResources)
  capacity!: NodeResources;

  @Field(() => NodeResources)
  allocatable!: NodeResources;
}
