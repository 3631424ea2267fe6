/** Cluster relations: its objects as connections, its workspaces and summary; an outcome's cluster. */
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { NAMESPACE, NODE, POD, SERVICE } from "../src/kinds/index.js";
import { labelValue } from "../src/query-service/index.js";
import type { RequestContext } from "../src/request/context.js";
import {
  ClusterNodeListArgs,
  NamespaceListArgs,
  PodListArgs,
  ServiceListArgs,
  WorkloadListArgs,
  WorkspaceListArgs,
} from "../schema/list-args.js";
import { Cluster, ClusterSummary } from "../schema/cluster.js";
import type { ConnectionShape } from "../schema/connection.js";
import {
  ClusterNodeConnection,
  NamespaceConnection,
  PodConnection,
  ServiceConnection,
  WorkloadConnection,
  WorkspaceConnection,
} from "../schema/connections.js";
import { ClusterOutcome } from "../schema/outcome.js";
import type { OutcomeView } from "./connection.js";
import { clusterOf } from "./kube-object.js";
import { listOf, listRequest, nameListRequest } from "./list.js";
import { workloadKinds } from "./workload-kinds.js";
import {
  clusterNodeView,
  namespaceView,
  podView,
  serviceView,
  workloadView,
  workspaceView,
  type ClusterNodeView,
  type ClusterView,
  type NamespaceView,
  type PodView,
  type ServiceView,
  type WorkloadView,
  type WorkspaceView,
} from "./views/index.js";
import { toConnection } from "./connection.js";

type Page<V> = Promise<ConnectionShape<V, OutcomeView>>;

@Resolver(() => Cluster)
export class ClusterResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: "The value of one of its labels; null when it has none.",
  })
  label(
    @Root() cluster: ClusterView,
    @Arg("key", { description: 'The label key, e.g. "region".' }) key: string,
  ): string | null {
    return labelValue(cluster.record.info.labels, key) ?? null;
  }

  @FieldResolver(() => NamespaceConnection, { description: "Its namespaces you may read." })
  namespaces(
    @Root() cluster: ClusterView,
    @Args(() => NamespaceListArgs) args: NamespaceListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<NamespaceView> {
    const view = (e: Parameters<typeof namespaceView>[0]) => namespaceView(e, ctx.services.workspaceLabel);
    return listOf(ctx, [NAMESPACE], listRequest(args), view, { cluster: cluster.name });
  }

  @FieldResolver(() => ClusterNodeConnection, {
    description: "Its nodes; empty when nodes are outside your scope.",
  })
  nodes(
    @Root() cluster: ClusterView,
    @Args(() => ClusterNodeListArgs) args: ClusterNodeListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<ClusterNodeView> {
    return listOf(ctx, [NODE], listRequest(args), clusterNodeView, {
      cluster: cluster.name,
    });
  }

  @FieldResolver(() => WorkloadConnection, { description: "Its workloads you may read." })
  workloads(
    @Root() cluster: ClusterView,
    @Args(() => WorkloadListArgs) args: WorkloadListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<WorkloadView> {
    return listOf(ctx, workloadKinds(args.filter), listRequest(args), workloadView, {
      cluster: cluster.name,
    });
  }

  @FieldResolver(() => PodConnection, { description: "Its pods you may read." })
  pods(
    @Root() cluster: ClusterView,
    @Args(() => PodListArgs) args: PodListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<PodView> {
    return listOf(ctx, [POD], listRequest(args), podView, { cluster: cluster.name });
  }

  @FieldResolver(() => ServiceConnection, { description: "Its services you may read." })
  services(
    @Root() cluster: ClusterView,
    @Args(() => ServiceListArgs) args: ServiceListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<ServiceView> {
    return listOf(ctx, [SERVICE], listRequest(args), serviceView, { cluster: cluster.name });
  }

  @FieldResolver(() => WorkspaceConnection, {
    description: "The workspaces with namespaces in it (that you may read).",
  })
  workspaces(
    @Root() cluster: ClusterView,
    @Args(() => WorkspaceListArgs) args: WorkspaceListArgs,
    @Ctx() ctx: RequestContext,
  ): ConnectionShape<WorkspaceView, OutcomeView> {
    const page = ctx.services.workspaces.list(nameListRequest(args), ctx.scope, cluster.name);
    return toConnection(page, workspaceView);
  }

  @FieldResolver(() => ClusterSummary, { description: "Counts and capacity within your scope." })
  summary(@Root() cluster: ClusterView, @Ctx() ctx: RequestContext): Promise<ClusterSummary> {
    return ctx.loaders.clusterSummary.load(cluster.name);
  }
}

@Resolver(() => ClusterOutcome)
export class ClusterOutcomeResolver {
  @FieldResolver(() => Cluster, { description: "The cluster." })
  cluster(@Root() outcome: OutcomeView, @Ctx() ctx: RequestContext): ClusterView {
    return clusterOf(outcome.clusterName, ctx);
  }
}
