/**
 * Relay connections. One factory makes the Edge and Connection types of an item type, so every
 * list has the same shape: edges, nodes, pageInfo, totalCount and the outcome of each cluster
 * the list read.
 */
import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import { ClusterOutcome } from "./outcome.js";

@ObjectType({ simpleResolvers: true, description: "Where a page sits in its list (Relay's PageInfo)." })
export class PageInfo {
  @Field({ description: "More items follow this page (page on with `first` and `after: endCursor`)." })
  hasNextPage!: boolean;

  @Field({ description: "Items come before this page (page back with `last` and `before: startCursor`)." })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The cursor of the page's first item; null when empty.",
  })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The cursor of the page's last item; null when empty.",
  })
  endCursor!: string | null;
}

export interface EdgeShape<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T, O = ClusterOutcome> {
  edges: EdgeShape<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | null;
  outcomes: O[];
  watchCursor?: string | null;
}

/** An object type class, or an abstract interface type class (Workload). */
type TypeClass<T> = abstract new (...args: never[]) => T;

// type-graphql needs a class per GraphQL type, hence a factory making the Edge and the base class.
export function Connection<T extends object>(
  typeName: string,
  item: TypeClass<T>,
  what: string,
): ClassType<ConnectionShape<T>> {
  @ObjectType(`${typeName}Edge`, {
    simpleResolvers: true,
    description: `One of ${what} in a page, with its cursor.`,
  })
  class Edge implements EdgeShape<T> {
    @Field({ description: "Opaque; pass as `after` or `before` to page from this item." })
    cursor!: string;

    @Field(() => item, { description: "The item." })
    node!: T;
  }

  @ObjectType({ simpleResolvers: true })
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge], { description: "The page's items with their cursors." })
    edges!: Edge[];

    @Field(() => [item], { description: "The page's items (the edges' nodes, without cursors)." })
    nodes!: T[];

    @Field(() => PageInfo, { description: "Whether more items come before or after this page." })
    pageInfo!: PageInfo;

    @Field(() => Int, {
      nullable: true,
      description:
        "Every match within your scope, not just this page. Null when it cannot be known (a STRONG read that a cluster failed).",
    })
    totalCount!: number | null;

    @Field(() => [ClusterOutcome], {
      description:
        "One per cluster the list read: where its part came from, how current it is, and any error.",
    })
    outcomes!: ClusterOutcome[];

    @Field(() => String, {
      nullable: true,
      description:
        "Where the caches stood when this list was read: subscribe `after:` it to get exactly the " +
        "changes since (list, then watch, without a gap). Null for lists not read from the caches.",
    })
    watchCursor!: string | null;
  }

  return ConnectionType as unknown as ClassType<ConnectionShape<T>>;
}
