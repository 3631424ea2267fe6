/** Arguments shared by the list queries: Relay paging, ordering and consistency. */
import { ArgsType, Field, InputType, Int } from "type-graphql";
import { ClusterOrderField, Consistency, OrderDirection, OrderField, PodOrderField } from "./enums.js";

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: "At most 1000; 100 when neither first nor last is given.",
  })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: "At most 1000." })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

@ArgsType()
export class ObjectListArgs extends PageArgs {
  @Field(() => Consistency, { defaultValue: Consistency.CACHED })
  consistency!: Consistency;
}

@InputType({ description: "Ties are broken by cluster, namespace, name and uid, so the order is total." })
export class OrderBy {
  @Field(() => OrderField)
  field!: OrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

@InputType()
export class PodOrderBy {
  @Field(() => PodOrderField)
  field!: PodOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

@InputType()
export class ClusterOrderBy {
  @Field(() => ClusterOrderField, { defaultValue: ClusterOrderField.NAME })
  field!: ClusterOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}
