/** ClusterNode relations: the pods scheduled on it, and what they request of it. */
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { POD } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { ObjectListArgs } from "../schema/args.js";
import { ClusterNode, NodeAllocation } from "../schema/cluster-node.js";
import type { ConnectionShape } from "../schema/connection.js";
import { PodConnection } from "../schema/connections.js";
import { PodFilter } from "../schema/filters.js";
import { PodOrder, type OrderField } from "../schema/orders.js";
import type { OutcomeView } from "./connection.js";
import { listOf, listRequest } from "./list.js";
import { podView, type ClusterNodeView, type PodView } from "./views/index.js";

@Resolver(() => ClusterNode)
export class ClusterNodeResolver {
  @FieldResolver(() => PodConnection, { description: "Pods scheduled on it, within your scope." })
  pods(
    @Root() node: ClusterNodeView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => PodFilter, { nullable: true, description: "Which pods." }) filter: PodFilter | null,
    @Arg("orderBy", () => PodOrder, { nullable: true, description: "Default: by namespace and name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<PodView, OutcomeView>> {
    return listOf(
      ctx,
      [POD],
      listRequest(filter, orderBy, args),
      podView,
      ctx.services.graph.onNode(node.entry),
    );
  }

  @FieldResolver(() => NodeAllocation, {
    description: "What the pods on it request and may use, summed (pods outside your scope are not counted).",
  })
  allocated(@Root() node: ClusterNodeView, @Ctx() ctx: RequestContext): NodeAllocation {
    return ctx.services.graph.allocatedOn(node.entry, ctx.scope);
  }
}
