import { Field, ID, ObjectType } from "type-graphql";
import { DateTime } from "./scalars.js";

@ObjectType({ simpleResolvers: true, description: "One link of an owner chain, resolved through the cache." })
export class OwnerRef {
  @Field()
  kind!: string;

  @Field()
  name!: string;

  @Field()
  uid!: string;

  @Field(() => ID, {
    nullable: true,
    description: "The owner's global id, when its kind is served by this API.",
  })
  id!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class Condition {
  @Field()
  type!: string;

  @Field()
  status!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => DateTime, { nullable: true })
  lastTransitionTime!: Date | null;
}
