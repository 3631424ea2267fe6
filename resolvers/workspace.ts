/** Workspace relations: its clusters, namespaces and summary. */
import { Args, Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import { NAMESPACE } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { Cluster } from "../schema/cluster.js";
import { NamespaceListArgs } from "../schema/list-args.js";
import type { ConnectionShape } from "../schema/connection.js";
import { NamespaceConnection } from "../schema/connections.js";
import { Workspace, WorkspaceSummary } from "../schema/workspace.js";
import type { OutcomeView } from "./connection.js";
import { clusterOf } from "./kube-object.js";
import { listOf, listRequest } from "./list.js";
import { namespaceView, type ClusterView, type NamespaceView, type WorkspaceView } from "./views/index.js";

@Resolver(() => Workspace)
export class WorkspaceResolver {
  @FieldResolver(() => [Cluster], {
    description: "The clusters it has namespaces in (that you may read), by name.",
  })
  @Extensions({ maxItems: "clusters" })
  clusters(@Root() workspace: WorkspaceView, @Ctx() ctx: RequestContext): ClusterView[] {
    return workspace.record.clusters.map((name) => clusterOf(name, ctx));
  }

  @FieldResolver(() => NamespaceConnection, { description: "Its namespaces across clusters." })
  namespaces(
    @Root() workspace: WorkspaceView,
    @Args(() => NamespaceListArgs) args: NamespaceListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<NamespaceView, OutcomeView>> {
    const view = (e: Parameters<typeof namespaceView>[0]) => namespaceView(e, ctx.services.workspaceLabel);
    const asked = args.filter?.workspaces;
    const workspaces = asked == null || asked.includes(workspace.name) ? [workspace.name] : [];
    const request = listRequest(args, { workspaces });
    return listOf(ctx, [NAMESPACE], request, view);
  }

  @FieldResolver(() => WorkspaceSummary, { description: "Counts over its namespaces, within your scope." })
  summary(@Root() workspace: WorkspaceView, @Ctx() ctx: RequestContext): WorkspaceSummary {
    return ctx.services.workspaces.summary(workspace.name, ctx.scope);
  }
}
