/**
 * The object lists of Query. Thin by design: arguments go to the one list service with the
 * caller's Scope; every filter, order and page decision is made there.
 */
import { Arg, Args, Ctx, Query, Resolver } from "type-graphql";
import { EVENT, NAMESPACE, NODE, POD, SERVICE } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { ObjectListArgs } from "../schema/args.js";
import type { ConnectionShape } from "../schema/connection.js";
import {
  ClusterNodeConnection,
  EventConnection,
  NamespaceConnection,
  PodConnection,
  ServiceConnection,
  WorkloadConnection,
} from "../schema/connections.js";
import {
  ClusterNodeFilter,
  EventFilter,
  NamespaceFilter,
  PodFilter,
  ServiceFilter,
  WorkloadFilter,
} from "../schema/filters.js";
import {
  ClusterNodeOrder,
  EventOrder,
  NamespaceOrder,
  PodOrder,
  ServiceOrder,
  WorkloadOrder,
  type OrderField,
} from "../schema/orders.js";
import type { OutcomeView } from "./connection.js";
import { listOf, listRequest } from "./list.js";
import { workloadKinds } from "./workload-kinds.js";
import {
  clusterNodeView,
  eventView,
  namespaceView,
  podView,
  serviceView,
  workloadView,
  type ClusterNodeView,
  type EventView,
  type NamespaceView,
  type PodView,
  type ServiceView,
  type WorkloadView,
} from "./views/index.js";

type Page<V> = Promise<ConnectionShape<V, OutcomeView>>;

@Resolver()
export class ListResolver {
  @Query(() => NamespaceConnection, { description: "Namespaces across the fleet." })
  namespaces(
    @Arg("filter", () => NamespaceFilter, { nullable: true, description: "Which namespaces." })
    filter: NamespaceFilter | null,
    @Arg("orderBy", () => NamespaceOrder, { nullable: true, description: "Default: CLUSTER ASC." })
    orderBy: OrderField | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<NamespaceView> {
    const view = (e: Parameters<typeof namespaceView>[0]) => namespaceView(e, ctx.services.workspaceLabel);
    return listOf(ctx, [NAMESPACE], listRequest(filter, orderBy, args), view);
  }

  @Query(() => ClusterNodeConnection, { description: "Kubernetes nodes (ClusterNode) across the fleet." })
  clusterNodes(
    @Arg("filter", () => ClusterNodeFilter, { nullable: true, description: "Which nodes." })
    filter: ClusterNodeFilter | null,
    @Arg("orderBy", () => ClusterNodeOrder, { nullable: true, description: "Default: CLUSTER ASC." })
    orderBy: OrderField | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<ClusterNodeView> {
    return listOf(ctx, [NODE], listRequest(filter, orderBy, args), clusterNodeView);
  }

  @Query(() => WorkloadConnection, {
    description: "Deployments, StatefulSets, DaemonSets, Jobs and CronJobs across the fleet.",
  })
  workloads(
    @Arg("filter", () => WorkloadFilter, { nullable: true, description: "Which workloads." })
    filter: WorkloadFilter | null,
    @Arg("orderBy", () => WorkloadOrder, { nullable: true, description: "Default: CLUSTER ASC." })
    orderBy: OrderField | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<WorkloadView> {
    return listOf(ctx, workloadKinds(filter), listRequest(filter, orderBy, args), workloadView);
  }

  @Query(() => PodConnection, { description: "Pods across the fleet." })
  pods(
    @Arg("filter", () => PodFilter, { nullable: true, description: "Which pods." }) filter: PodFilter | null,
    @Arg("orderBy", () => PodOrder, { nullable: true, description: "Default: CLUSTER ASC." })
    orderBy: OrderField | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<PodView> {
    return listOf(ctx, [POD], listRequest(filter, orderBy, args), podView);
  }

  @Query(() => ServiceConnection, { description: "Services across the fleet." })
  services(
    @Arg("filter", () => ServiceFilter, { nullable: true, description: "Which services." })
    filter: ServiceFilter | null,
    @Arg("orderBy", () => ServiceOrder, { nullable: true, description: "Default: CLUSTER ASC." })
    orderBy: OrderField | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<ServiceView> {
    return listOf(ctx, [SERVICE], listRequest(filter, orderBy, args), serviceView);
  }

  @Query(() => EventConnection, {
    description: "Kubernetes events across the fleet, the latest first unless ordered otherwise.",
  })
  events(
    @Arg("filter", () => EventFilter, { nullable: true, description: "Which events." })
    filter: EventFilter | null,
    @Arg("orderBy", () => EventOrder, { nullable: true, description: "Default: LAST_SEEN DESC." })
    orderBy: OrderField | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<EventView> {
    return listOf(ctx, [EVENT], listRequest(filter, orderBy, args), eventView);
  }
}
