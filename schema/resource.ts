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

  @Field({ description: 'The API version, e.g. "v1".' })
  version!: string;

  @Field({ description: 'What `resources(apiVersion:)` takes: "v1" or "<group>/<version>".' })
  apiVersion!: string;

  @Field({ description: 'The kind, e.g. "ConfigMap".' })
  kind!: string;

  @Field({ description: "The resource name in URLs, e.g. configmaps." })
  plural!: string;

  @Field({ description: "Its objects live in namespaces." })
  namespaced!: boolean;

  @Field(() => [String], {
    description: 'What the API server lets clients do with it, e.g. "list", "watch".',
  })
  verbs!: string[];
}

@ObjectType({ simpleResolvers: true, description: "One object of a resources page, with its cursor." })
export class ResourceEdge {
  @Field({ description: "Opaque; pass as after to page from this item." })
  cursor!: string;

  @Field(() => JSON, { description: "The object as the API server returned it, without managedFields." })
  node!: Record<string, unknown>;
}

@ObjectType({
  simpleResolvers: true,
  description: "One page of a kind, read from one cluster's API server at request time.",
})
export class ResourceConnection {
  @Field({ description: "The name of the cluster it was read from (the `cluster` field is the object)." })
  clusterName!: string;

  @Field({ description: "The resource as discovery described it." })
  resource!: ApiResource;

  @Field(() => [ResourceEdge], { description: "The page's objects with their cursors." })
  edges!: ResourceEdge[];

  @Field(() => [JSON], { description: "The objects as the API server returned them, without managedFields." })
  nodes!: Record<string, unknown>[];

  @Field(() => PageInfo, { description: "Whether more objects follow (page on with `after: endCursor`)." })
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
