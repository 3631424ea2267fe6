/** Arguments shared by the lists: Relay paging and consistency. */
import { ArgsType, Field, Int } from "type-graphql";
import { Consistency } from "./enums.js";

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: "Return the first n items (at most 1000); 100 when neither first nor last is given.",
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Return items after this cursor (from an edge or pageInfo).",
  })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: "Return the last n items (at most 1000)." })
  last?: number | null;

  @Field(() => String, { nullable: true, description: "Return items before this cursor." })
  before?: string | null;
}

@ArgsType()
export class ObjectListArgs extends PageArgs {
  @Field(() => Consistency, {
    defaultValue: Consistency.CACHED,
    description: "CACHED (default) reads the watch caches; STRONG lists from the API servers now.",
  })
  consistency!: Consistency;
}
