/** Query.node, Query.clusters and Query.cluster. */
import { Arg, Args, Ctx, ID, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../src/query-service/index.js";
import { ClusterOrderBy, PageArgs } from "../schema/args.js";
import { Cluster } from "../schema/cluster.js";
import { ClusterConnection } from "../schema/connections.js";
import { ClusterFilter } from "../schema/filters.js";
import type { ConnectionShape } from "../schema/connection.js";
import { RelayNode } from "../schema/relay-node.js";
import { toConnection } from "./connection.js";
import { anyView, clusterView, type ClusterView, type Viewed } from "./views.js";

@Resolver()
export class RootResolver {
  @Query(() => RelayNode, {
    nullable: true,
    description: "Any object by its global id; null when it does not exist or is outside your scope.",
  })
  node(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext): Viewed | ClusterView | null {
    const target = ctx.services.nodes.find(id, ctx.scope);
    if (!target) return null;
    return target.type === "Cluster"
      ? clusterView(target.cluster)
      : anyView(target.entry, ctx.services.workspaceLabel);
  }

  @Query(() => ClusterConnection, { description: "The member clusters you may read." })
  clusters(
    @Arg("filter", () => ClusterFilter, { nullable: true }) filter: ClusterFilter | null,
    @Arg("orderBy", () => ClusterOrderBy, { nullable: true }) orderBy: ClusterOrderBy | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ): ConnectionShape<ClusterView> {
    const result = ctx.services.clusters.list(
      {
        filter,
        orderBy,
        page: { first: page.first, after: page.after, last: page.last, before: page.before },
      },
      ctx.scope,
    );
    return toConnection(result, clusterView);
  }

  @Query(() => Cluster, {
    nullable: true,
    description: "One cluster by name; null when unknown or outside your scope.",
  })
  cluster(@Arg("name") name: string, @Ctx() ctx: RequestContext): ClusterView | null {
    const record = ctx.services.clusters.get(name, ctx.scope);
    return record ? clusterView(record) : null;
  }
}
