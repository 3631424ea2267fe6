/** ClusterNode relations: the pods scheduled on it, and what they request of it. */
import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { POD } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { PodListArgs } from "../schema/list-args.js";
import { ClusterNode, NodeAllocation } from "../schema/cluster-node.js";
import type { ConnectionShape } from "../schema/connection.js";
import { PodConnection } from "../schema/connections.js";
import type { OutcomeView } from "./connection.js";
import { listOf, listRequest } from "./list.js";
import { podView, type ClusterNodeView, type PodView } from "./views/index.js";

@Resolver(() => ClusterNode)
export class ClusterNodeResolver {
  @FieldResolver(() => PodConnection, { description: "Pods scheduled on it, within your scope." })
  pods(
    @Root() node: ClusterNodeView,
    @Args(() => PodListArgs) args: PodListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<PodView, OutcomeView>> {
    return listOf(ctx, [POD], listRequest(args), podView, ctx.services.graph.onNode(node.entry));
  }

  @FieldResolver(() => NodeAllocation, {
    description: "What the pods on it request and may use, summed (pods outside your scope are not counted).",
  })
  allocated(@Root() node: ClusterNodeView, @Ctx() ctx: RequestContext): NodeAllocation {
    return ctx.services.graph.allocatedOn(node.entry, ctx.scope);
  }
}
