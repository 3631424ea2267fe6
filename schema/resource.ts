/**
 * The generic resources path: any kind a cluster serves, custom resources included, as JSON
 * objects, with what the cluster's discovery says exists.
 */
import { Field, Int, ObjectType } from "type-graphql";
import { PageInfo } from "./connection.js";
import { JSON } from "./scalars.js";

@ObjectType({ simpleResolvers: true, description: "A kind one cluster serves, from its API discovery." })
export class ApiResource {
  @Field({ description: 'The API group; "" for the core group.' })
  group!: string;

  @Field()
  version!: string;

  @Field({ description: 'What `resources(apiVersion:)` takes: "v1" or "<group>/<version>".' })
  apiVersion!: string;

  @Field()
  kind!: string;

  @Field({ description: "The resource name in URLs, e.g. configmaps." })
  plural!: string;

  @Field()
  namespaced!: boolean;

  @Field(() => [String])
  verbs!: string[];
}

@ObjectType({ simpleResolvers: true })
export class ResourceEdge {
  @Field({ description: "Opaque; pass as after to page from this item." })
  cursor!: string;

  @Field(() => JSON)
  node!: Record<string, unknown>;
}

@ObjectType({
  simpleResolvers: true,
  description: "One page of a kind, read from one cluster's API server at request time.",
})
export class ResourceConnection {
  @Field()
  cluster!: string;

  @Field({ description: "The resource as discovery described it." })
  resource!: ApiResource;

  @Field(() => [ResourceEdge])
  edges!: ResourceEdge[];

  @Field(() => [JSON], { description: "The objects as the API server returned them, without managedFields." })
  nodes!: Record<string, unknown>[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, {
    nullable: true,
    description:
      "How many objects the list has, on a first page when the API server counted them (not with a labelSelector); null when unknown.",
  })
  totalCount!: number | null;

  @Field({ description: "The resourceVersion of the list the page came from." })
  resourceVersion!: string;
}
