import { Field, Int, ObjectType } from "type-graphql";
import { NamespacedObject } from "./object-meta.js";
import { RelayNode } from "./relay-node.js";
import { DateTime } from "./scalars.js";

@ObjectType({ simpleResolvers: true })
export class InvolvedObject {
  @Field()
  kind!: string;

  @Field()
  name!: string;

  @Field()
  namespace!: string;

  @Field(() => String, { nullable: true })
  uid!: string | null;
}

// Named KubeEvent in TypeScript: `Event` is a global class in Node's typings.
@ObjectType("Event", { simpleResolvers: true, implements: RelayNode })
export class KubeEvent extends NamespacedObject {
  @Field({ description: '"Normal" or "Warning".' })
  type!: string;

  @Field()
  reason!: string;

  @Field()
  message!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => DateTime, { nullable: true })
  firstTimestamp!: Date | null;

  @Field(() => DateTime, { nullable: true })
  lastTimestamp!: Date | null;

  @Field(() => InvolvedObject)
  involvedObject!: InvolvedObject;

  @Field(() => String, { nullable: true, description: "The component that reported it." })
  source!: string | null;
}
