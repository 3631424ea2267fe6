/**
 * The object lists of Query. Thin by design: arguments go to the one list service with the
 * caller's Scope; every filter, order and page decision is made there.
 */
import { Args, Ctx, Query, Resolver } from "type-graphql";
import { EVENT, NAMESPACE, NODE, POD, SERVICE } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import {
  ClusterNodeListArgs,
  EventListArgs,
  NamespaceListArgs,
  PodListArgs,
  ServiceListArgs,
  WorkloadListArgs,
} from "../schema/list-args.js";
import type { ConnectionShape } from "../schema/connection.js";
import {
  ClusterNodeConnection,
  EventConnection,
  NamespaceConnection,
  PodConnection,
  ServiceConnection,
  WorkloadConnection,
} from "../schema/connections.js";
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
    @Args(() => NamespaceListArgs) args: NamespaceListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<NamespaceView> {
    const view = (e: Parameters<typeof namespaceView>[0]) => namespaceView(e, ctx.services.workspaceLabel);
    return listOf(ctx, [NAMESPACE], listRequest(args), view);
  }

  @Query(() => ClusterNodeConnection, { description: "Kubernetes nodes (ClusterNode) across the fleet." })
  clusterNodes(
    @Args(() => ClusterNodeListArgs) args: ClusterNodeListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<ClusterNodeView> {
    return listOf(ctx, [NODE], listRequest(args), clusterNodeView);
  }

  @Query(() => WorkloadConnection, {
    description: "Deployments, StatefulSets, DaemonSets, Jobs and CronJobs across the fleet.",
  })
  workloads(
    @Args(() => WorkloadListArgs) args: WorkloadListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<WorkloadView> {
    return listOf(ctx, workloadKinds(args.filter), listRequest(args), workloadView);
  }

  @Query(() => PodConnection, { description: "Pods across the fleet." })
  pods(@Args(() => PodListArgs) args: PodListArgs, @Ctx() ctx: RequestContext): Page<PodView> {
    return listOf(ctx, [POD], listRequest(args), podView);
  }

  @Query(() => ServiceConnection, { description: "Services across the fleet." })
  services(
    @Args(() => ServiceListArgs) args: ServiceListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<ServiceView> {
    return listOf(ctx, [SERVICE], listRequest(args), serviceView);
  }

  @Query(() => EventConnection, {
    description: "Kubernetes events across the fleet, the latest first unless ordered otherwise.",
  })
  events(@Args(() => EventListArgs) args: EventListArgs, @Ctx() ctx: RequestContext): Page<EventView> {
    return listOf(ctx, [EVENT], listRequest(args), eventView);
  }
}
