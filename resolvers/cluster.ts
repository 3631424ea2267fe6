/** Cluster relations: its objects as connections, its workspaces and summary; an outcome's cluster. */
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { NAMESPACE, NODE, POD, SERVICE } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { ObjectListArgs } from "../schema/args.js";
import { Cluster, ClusterSummary } from "../schema/cluster.js";
import type { ConnectionShape } from "../schema/connection.js";
import {
  ClusterNodeConnection,
  NamespaceConnection,
  PodConnection,
  ServiceConnection,
  WorkloadConnection,
} from "../schema/connections.js";
import {
  ClusterNodeFilter,
  NamespaceFilter,
  PodFilter,
  ServiceFilter,
  WorkloadFilter,
} from "../schema/filters.js";
import { ClusterOutcome } from "../schema/outcome.js";
import {
  ClusterNodeOrder,
  NamespaceOrder,
  PodOrder,
  ServiceOrder,
  WorkloadOrder,
  type OrderField,
} from "../schema/orders.js";
import { Workspace } from "../schema/workspace.js";
import type { OutcomeView } from "./connection.js";
import { clusterOf } from "./kube-object.js";
import { listOf, listRequest } from "./list.js";
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
    return cluster.record.info.labels[key] ?? null;
  }

  @FieldResolver(() => NamespaceConnection, { description: "Its namespaces you may read." })
  namespaces(
    @Root() cluster: ClusterView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => NamespaceFilter, { nullable: true, description: "Which namespaces." })
    filter: NamespaceFilter | null,
    @Arg("orderBy", () => NamespaceOrder, { nullable: true, description: "Default: by name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<NamespaceView> {
    const view = (e: Parameters<typeof namespaceView>[0]) => namespaceView(e, ctx.services.workspaceLabel);
    return listOf(ctx, [NAMESPACE], listRequest(filter, orderBy, args), view, { cluster: cluster.name });
  }

  @FieldResolver(() => ClusterNodeConnection, {
    description: "Its nodes; empty when nodes are outside your scope.",
  })
  nodes(
    @Root() cluster: ClusterView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => ClusterNodeFilter, { nullable: true, description: "Which nodes." })
    filter: ClusterNodeFilter | null,
    @Arg("orderBy", () => ClusterNodeOrder, { nullable: true, description: "Default: by name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<ClusterNodeView> {
    return listOf(ctx, [NODE], listRequest(filter, orderBy, args), clusterNodeView, {
      cluster: cluster.name,
    });
  }

  @FieldResolver(() => WorkloadConnection, { description: "Its workloads you may read." })
  workloads(
    @Root() cluster: ClusterView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => WorkloadFilter, { nullable: true, description: "Which workloads." })
    filter: WorkloadFilter | null,
    @Arg("orderBy", () => WorkloadOrder, { nullable: true, description: "Default: by namespace and name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<WorkloadView> {
    return listOf(ctx, workloadKinds(filter), listRequest(filter, orderBy, args), workloadView, {
      cluster: cluster.name,
    });
  }

  @FieldResolver(() => PodConnection, { description: "Its pods you may read." })
  pods(
    @Root() cluster: ClusterView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => PodFilter, { nullable: true, description: "Which pods." }) filter: PodFilter | null,
    @Arg("orderBy", () => PodOrder, { nullable: true, description: "Default: by namespace and name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<PodView> {
    return listOf(ctx, [POD], listRequest(filter, orderBy, args), podView, { cluster: cluster.name });
  }

  @FieldResolver(() => ServiceConnection, { description: "Its services you may read." })
  services(
    @Root() cluster: ClusterView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => ServiceFilter, { nullable: true, description: "Which services." })
    filter: ServiceFilter | null,
    @Arg("orderBy", () => ServiceOrder, { nullable: true, description: "Default: by namespace and name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<ServiceView> {
    return listOf(ctx, [SERVICE], listRequest(filter, orderBy, args), serviceView, { cluster: cluster.name });
  }

  @FieldResolver(() => [Workspace], {
    description: "The workspaces with namespaces in it (that you may read), by name.",
    // As many as the cluster's namespaces at most; priced as one page by the cost model.
  })
  workspaces(@Root() cluster: ClusterView, @Ctx() ctx: RequestContext): WorkspaceView[] {
    const page = ctx.services.workspaces.list(
      { filter: { clusters: [cluster.name] }, page: { first: 1000 } },
      ctx.scope,
    );
    return page.items.map(workspaceView);
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
