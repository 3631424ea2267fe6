import { Field, Int, ObjectType } from "type-graphql";
import { ContainerState, PodPhase } from "./enums.js";
import { NamespacedObject } from "./object-meta.js";
import { RelayNode } from "./relay-node.js";
import { DateTime } from "./scalars.js";

@ObjectType({ simpleResolvers: true, description: "A container of a pod, with its status." })
export class Container {
  @Field()
  name!: string;

  @Field()
  image!: string;

  @Field()
  ready!: boolean;

  @Field(() => Int)
  restarts!: number;

  @Field(() => ContainerState)
  state!: ContainerState;

  @Field(() => String, { nullable: true, description: 'Why waiting or terminated, e.g. "CrashLoopBackOff".' })
  stateReason!: string | null;

  @Field(() => DateTime, { nullable: true })
  startedAt!: Date | null;
}

@ObjectType({ simpleResolvers: true, implements: RelayNode })
export class Pod extends NamespacedObject {
  @Field(() => PodPhase)
  phase!: PodPhase;

  @Field({ description: "Every container is ready." })
  ready!: boolean;

  @Field(() => Int, { description: "Restarts summed over the containers." })
  restarts!: number;

  @Field(() => String, { nullable: true })
  nodeName!: string | null;

  @Field(() => String, { nullable: true })
  podIP!: string | null;

  @Field(() => String, { nullable: true })
  hostIP!: string | null;

  @Field(() => DateTime, { nullable: true })
  startTime!: Date | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => [Container])
  containers!: Container[];
}
