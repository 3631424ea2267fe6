/** Cluster relations: its namespaces, nodes, workloads and summary, batched across clusters. */
import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../src/query-service/index.js";
import { Cluster, ClusterSummary } from "../schema/cluster.js";
import { ClusterNode } from "../schema/cluster-node.js";
import { WorkloadKind } from "../schema/enums.js";
import { Namespace } from "../schema/namespace.js";
import { Workload } from "../schema/workload.js";
import {
  clusterNodeView,
  namespaceView,
  workloadView,
  type ClusterNodeView,
  type ClusterView,
  type NamespaceView,
  type WorkloadView,
} from "./views.js";

@Resolver(() => Cluster)
export class ClusterResolver {
  @FieldResolver(() => [Namespace], { description: "Every namespace you may read, by name." })
  async namespaces(@Root() cluster: ClusterView, @Ctx() ctx: RequestContext): Promise<NamespaceView[]> {
    const entries = await ctx.loaders.namespacesInCluster.load(cluster.name);
    return entries.map((e) => namespaceView(e, ctx.services.workspaceLabel));
  }

  @FieldResolver(() => [ClusterNode], { description: "Empty when nodes are outside your scope." })
  async nodes(@Root() cluster: ClusterView, @Ctx() ctx: RequestContext): Promise<ClusterNodeView[]> {
    return (await ctx.loaders.nodesInCluster.load(cluster.name)).map(clusterNodeView);
  }

  @FieldResolver(() => [Workload], { description: "By namespace and name. For paging, use Query.workloads." })
  async workloads(
    @Root() cluster: ClusterView,
    @Arg("kinds", () => [WorkloadKind], { nullable: true }) kinds: WorkloadKind[] | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkloadView[]> {
    const entries = await ctx.loaders.workloadsInCluster.load(cluster.name);
    const wanted = kinds ? new Set<string>(kinds) : undefined;
    return entries.filter((e) => wanted === undefined || wanted.has(e.kind)).map(workloadView);
  }

  @FieldResolver(() => ClusterSummary, { description: "Counts and capacity within your scope." })
  summary(@Root() cluster: ClusterView, @Ctx() ctx: RequestContext): Promise<ClusterSummary> {
    return ctx.loaders.clusterSummary.load(cluster.name);
  }
}
