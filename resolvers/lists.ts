/**
 * The object lists of Query. Thin by design: arguments go to the read services with the
 * caller's Scope; every filter, order and page decision is made there.
 */
import { Arg, Args, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../src/query-service/index.js";
import { ObjectListArgs, OrderBy, PodOrderBy } from "../schema/args.js";
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
import type { ConnectionShape } from "../schema/connection.js";
import { toConnection } from "./connection.js";
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
} from "./views.js";

const request = <F, O>(filter: F | null, orderBy: O | null, args: ObjectListArgs) => ({
  filter,
  orderBy,
  page: { first: args.first, after: args.after, last: args.last, before: args.before },
  consistency: args.consistency,
});

@Resolver()
export class ListResolver {
  @Query(() => NamespaceConnection)
  async namespaces(
    @Arg("filter", () => NamespaceFilter, { nullable: true }) filter: NamespaceFilter | null,
    @Arg("orderBy", () => OrderBy, { nullable: true }) orderBy: OrderBy | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<NamespaceView>> {
    const { services, scope, outcomes } = ctx;
    const page = await services.objects.namespaces(request(filter, orderBy, args), scope, outcomes);
    return toConnection(page, (e) => namespaceView(e, services.workspaceLabel));
  }

  @Query(() => ClusterNodeConnection, { description: "Kubernetes nodes (ClusterNode) across the fleet." })
  async nodes(
    @Arg("filter", () => ClusterNodeFilter, { nullable: true }) filter: ClusterNodeFilter | null,
    @Arg("orderBy", () => OrderBy, { nullable: true }) orderBy: OrderBy | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<ClusterNodeView>> {
    const page = await ctx.services.objects.nodes(request(filter, orderBy, args), ctx.scope, ctx.outcomes);
    return toConnection(page, clusterNodeView);
  }

  @Query(() => WorkloadConnection, {
    description: "Deployments, StatefulSets, DaemonSets, Jobs and CronJobs.",
  })
  async workloads(
    @Arg("filter", () => WorkloadFilter, { nullable: true }) filter: WorkloadFilter | null,
    @Arg("orderBy", () => OrderBy, { nullable: true }) orderBy: OrderBy | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<WorkloadView>> {
    const page = await ctx.services.objects.workloads(
      request(filter, orderBy, args),
      ctx.scope,
      ctx.outcomes,
    );
    return toConnection(page, workloadView);
  }

  @Query(() => PodConnection)
  async pods(
    @Arg("filter", () => PodFilter, { nullable: true }) filter: PodFilter | null,
    @Arg("orderBy", () => PodOrderBy, { nullable: true }) orderBy: PodOrderBy | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<PodView>> {
    const page = await ctx.services.objects.pods(request(filter, orderBy, args), ctx.scope, ctx.outcomes);
    return toConnection(page, podView);
  }

  @Query(() => ServiceConnection)
  async services(
    @Arg("filter", () => ServiceFilter, { nullable: true }) filter: ServiceFilter | null,
    @Arg("orderBy", () => OrderBy, { nullable: true }) orderBy: OrderBy | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<ServiceView>> {
    const page = await ctx.services.objects.services(request(filter, orderBy, args), ctx.scope, ctx.outcomes);
    return toConnection(page, serviceView);
  }

  @Query(() => EventConnection)
  async events(
    @Arg("filter", () => EventFilter, { nullable: true }) filter: EventFilter | null,
    @Arg("orderBy", () => OrderBy, { nullable: true }) orderBy: OrderBy | null,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<EventView>> {
    const page = await ctx.services.objects.events(request(filter, orderBy, args), ctx.scope, ctx.outcomes);
    return toConnection(page, eventView);
  }
}
