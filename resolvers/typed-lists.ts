/**
 * The list fields of a kind with no relations of its own to wire: `Query.<field>` across the
 * fleet, `Cluster.<field>`, and `Namespace.<field>` for a namespaced kind. One call per kind
 * (resolvers/more-kinds.ts), so adding such a kind adds no resolver code.
 */
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, type ClassType } from "type-graphql";
import type { CacheEntry } from "../src/cache/entry.js";
import type { AnyKind } from "../src/kinds/index.js";
import type { ObjectFilterFields } from "../src/query-service/index.js";
import type { RequestContext } from "../src/request/context.js";
import { ObjectListArgs } from "../schema/args.js";
import { Cluster } from "../schema/cluster.js";
import { Namespace } from "../schema/namespace.js";
import type { OrderField } from "../schema/orders.js";
import { listOf, listRequest } from "./list.js";
import type { ClusterView, NamespaceView, Viewed } from "./views/index.js";

export interface TypedList<D, V extends Viewed<D>> {
  kind: AnyKind;
  /** The field name, e.g. "ingresses". */
  field: string;
  /** What the objects are, plural, for descriptions ("ingresses"). */
  plural: string;
  connection: ClassType;
  filter: ClassType;
  order: ClassType;
  view: (entry: CacheEntry<D>) => V;
}

// Resolver classes are made per kind: type-graphql needs a decorated class per field.
export function typedListResolvers<D, V extends Viewed<D>>(list: TypedList<D, V>): ClassType[] {
  const { kind, field, plural, connection, filter, order, view } = list;
  const request = (f: ObjectFilterFields | null, o: OrderField | null, args: ObjectListArgs) =>
    listRequest(f, o, args);

  @Resolver()
  class FleetList {
    @Query(() => connection, { name: field, description: `${capital(plural)} across the fleet.` })
    list(
      @Arg("filter", () => filter, { nullable: true, description: `Which ${plural}.` })
      f: ObjectFilterFields | null,
      @Arg("orderBy", () => order, { nullable: true, description: "Default: CLUSTER ASC." })
      o: OrderField | null,
      @Args(() => ObjectListArgs) args: ObjectListArgs,
      @Ctx() ctx: RequestContext,
    ) {
      return listOf(ctx, [kind], request(f, o, args), view);
    }
  }

  @Resolver(() => Cluster)
  class ClusterList {
    @FieldResolver(() => connection, { name: field, description: `Its ${plural} you may read.` })
    list(
      @Root() cluster: ClusterView,
      @Args(() => ObjectListArgs) args: ObjectListArgs,
      @Arg("filter", () => filter, { nullable: true, description: `Which ${plural}.` })
      f: ObjectFilterFields | null,
      @Arg("orderBy", () => order, { nullable: true, description: "Default: by namespace and name." })
      o: OrderField | null,
      @Ctx() ctx: RequestContext,
    ) {
      return listOf(ctx, [kind], request(f, o, args), view, { cluster: cluster.name });
    }
  }

  if (!kind.path.namespaced) return [FleetList, ClusterList];

  @Resolver(() => Namespace)
  class NamespaceList {
    @FieldResolver(() => connection, { name: field, description: `Its ${plural}.` })
    list(
      @Root() namespace: NamespaceView,
      @Args(() => ObjectListArgs) args: ObjectListArgs,
      @Arg("filter", () => filter, { nullable: true, description: `Which ${plural}.` })
      f: ObjectFilterFields | null,
      @Arg("orderBy", () => order, { nullable: true, description: "Default: by name." }) o: OrderField | null,
      @Ctx() ctx: RequestContext,
    ) {
      return listOf(ctx, [kind], request(f, o, args), view, ctx.services.graph.inNamespace(namespace.entry));
    }
  }
  return [FleetList, ClusterList, NamespaceList];
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
