/** How each cluster's part of an answer went: what every connection reports beside its items. */
import { Field, ObjectType } from "type-graphql";
import { ClusterErrorCode, DataSource } from "./enums.js";
import { DateTime } from "./scalars.js";

@ObjectType({
  simpleResolvers: true,
  description: "Why a cluster's part of an answer is missing, incomplete or old.",
})
export class OutcomeError {
  @Field(() => ClusterErrorCode, { description: "What kind of problem it is." })
  code!: ClusterErrorCode;

  @Field({ description: "What happened, for a person." })
  message!: string;

  @Field({ description: "Asking again later may succeed." })
  retryable!: boolean;
}

@ObjectType({ simpleResolvers: true, description: "How current a cluster's caches are." })
export class ClusterFreshness {
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

@ObjectType({
  simpleResolvers: true,
  description:
    "One cluster's part of a list: where it came from, how current it is and, when it is missing or old, why. " +
    "A list reports one per cluster it read, so a client sees in the data which cluster failed.",
})
export class ClusterOutcome extends ClusterFreshness {
  @Field({ description: "The cluster's name." })
  clusterName!: string;

  @Field(() => DataSource, { description: "Where this cluster's part of the answer came from." })
  source!: DataSource;

  @Field(() => OutcomeError, {
    nullable: true,
    description: "Null when the cluster's part is complete and current.",
  })
  error!: OutcomeError | null;
}
