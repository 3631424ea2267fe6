/**
 * Relay connections. One factory makes the Edge and Connection types of an item type, so every
 * list has the same shape: edges, nodes, pageInfo, totalCount and the freshness of each cluster
 * the list fanned out to.
 */
import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import { ClusterFreshness } from "./freshness.js";

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface EdgeShape<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: EdgeShape<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
  clusters: ClusterFreshness[];
}

/** An object type class, or an abstract interface type class (Workload). */
type TypeClass<T> = abstract new (...args: never[]) => T;

// type-graphql needs a class per GraphQL type, hence a factory making the Edge and the base class.
export function Connection<T extends object>(
  typeName: string,
  item: TypeClass<T>,
): ClassType<ConnectionShape<T>> {
  @ObjectType(`${typeName}Edge`, { simpleResolvers: true })
  class Edge implements EdgeShape<T> {
    @Field({ description: "Opaque; pass as after/before to page from this item." })
    cursor!: string;

    @Field(() => item)
    node!: T;
  }

  @ObjectType({ simpleResolvers: true })
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [item])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "Every match across the fleet within your scope, not just this page." })
    totalCount!: number;

    @Field(() => [ClusterFreshness], { description: "Freshness of each cluster this list fanned out to." })
    clusters!: ClusterFreshness[];
  }

  return ConnectionType as unknown as ClassType<ConnectionShape<T>>;
}
