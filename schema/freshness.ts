import { Field, ObjectType } from "type-graphql";
import { DateTime } from "./scalars.js";

@ObjectType({ simpleResolvers: true, description: "How current one cluster's part of an answer is." })
export class ClusterFreshness {
  @Field()
  cluster!: string;

  @Field({ description: "Every cache of the cluster finished its initial list." })
  synced!: boolean;

  @Field(() => DateTime, {
    nullable: true,
    description:
      "Since when the cluster's caches are disconnected; its data is served but may be old. Null when live.",
  })
  staleSince!: Date | null;

  @Field({ description: "The newest resourceVersion the caches have seen." })
  resourceVersion!: string;
}
