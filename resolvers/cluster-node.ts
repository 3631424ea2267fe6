/** ClusterNode relations: the pods scheduled on it, batched across nodes. */
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../src/query-service/index.js";
import { ClusterNode } from "../schema/cluster-node.js";
import { Pod } from "../schema/pod.js";
import { podView, type ClusterNodeView, type PodView } from "./views.js";

@Resolver(() => ClusterNode)
export class ClusterNodeResolver {
  @FieldResolver(() => [Pod], { description: "Pods scheduled on the node, within your scope." })
  async pods(@Root() node: ClusterNodeView, @Ctx() ctx: RequestContext): Promise<PodView[]> {
    return (await ctx.loaders.podsOnNode.load({ cluster: node.cluster, nodeName: node.name })).map(podView);
  }
}
