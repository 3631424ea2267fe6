/**
 * The fields every Kubernetes object type shares, inherited by the concrete types. Not a GraphQL
 * interface of its own: clients select these on concrete types (or through Node and Workload).
 */
import { Field, ID, InterfaceType } from "type-graphql";
import { DateTime, JSON } from "./scalars.js";

// Declared as interface classes only because type-graphql passes fields down an inheritance
// chain that runs through interfaces (Workload extends NamespacedObject). No type lists them in
// `implements` and no field returns them, so they are never emitted into the schema.
@InterfaceType()
export abstract class ClusterScopedObject {
  @Field(() => ID)
  id!: string;

  @Field({ description: "The cluster the object lives in." })
  cluster!: string;

  @Field()
  name!: string;

  @Field()
  uid!: string;

  @Field(() => JSON, { description: "metadata.labels as a JSON object." })
  labels!: Readonly<Record<string, string>>;

  @Field(() => DateTime, { nullable: true, description: "metadata.creationTimestamp." })
  createdAt!: Date | null;

  @Field()
  resourceVersion!: string;
}

@InterfaceType()
export abstract class NamespacedObject extends ClusterScopedObject {
  @Field()
  namespace!: string;
}
