/**
 * The list fields of a kind with no relations of its own to wire: `Query.<field>` across the
 * fleet, `Cluster.<field>`, and `Namespace.<field>` for a namespaced kind. One call per kind
 * (resolvers/more-kinds.ts), so adding such a kind adds no resolver code.
 */
import { Args, Ctx, FieldResolver, Query, Resolver, Root, type ClassType } from "type-graphql";
import type { CacheEntry } from "../src/cache/entry.js";
import type { AnyKind } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { Cluster } from "../schema/cluster.js";
import { Namespace } from "../schema/namespace.js";
import type { ListArguments } from "../schema/list-args.js";
import { listOf, listRequest } from "./list.js";
import type { ClusterView, NamespaceView, Viewed } from "./views/index.js";

export interface TypedList<D, V extends Viewed<D>> {
  kind: AnyKind;
  /** The field name, e.g. "ingresses". */
  field: string;
  /** What the objects are, plural, for descriptions ("ingresses"). */
  plural: string;
  connection: ClassType;
  /** The list's arguments (schema/list-args.ts). */
  args: ClassType<ListArguments>;
  view: (entry: CacheEntry<D>) => V;
}

// Resolver classes are made per kind: type-graphql needs a decorated class per field.
export function typedListResolvers<D, V extends Viewed<D>>(list: TypedList<D, V>): ClassType[] {
  const { kind, field, plural, connection, args: Arguments, view } = list;

  @Resolver()
  class FleetList {
    @Query(() => connection, { name: field, description: `${capital(plural)} across the fleet.` })
    list(@Args(() => Arguments) args: ListArguments, @Ctx() ctx: RequestContext) {
      return listOf(ctx, [kind], listRequest(args), view);
    }
  }

  @Resolver(() => Cluster)
  class ClusterList {
    @FieldResolver(() => connection, { name: field, description: `Its ${plural} you may read.` })
    list(
      @Root() cluster: ClusterView,
      @Args(() => Arguments) args: ListArguments,
      @Ctx() ctx: RequestContext,
    ) {
      return listOf(ctx, [kind], listRequest(args), view, { cluster: cluster.name });
    }
  }

  if (!kind.path.namespaced) return [FleetList, ClusterList];

  @Resolver(() => Namespace)
  class NamespaceList {
    @FieldResolver(() => connection, { name: field, description: `Its ${plural}.` })
    list(
      @Root() namespace: NamespaceView,
      @Args(() => Arguments) args: ListArguments,
      @Ctx() ctx: RequestContext,
    ) {
      return listOf(ctx, [kind], listRequest(args), view, ctx.services.graph.inNamespace(namespace.entry));
    }
  }
  return [FleetList, ClusterList, NamespaceList];
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
