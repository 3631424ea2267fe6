/** Namespace relations: its workspace, and its pods, workloads and services as connections. */
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { POD, SERVICE } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { ObjectListArgs } from "../schema/args.js";
import type { ConnectionShape } from "../schema/connection.js";
import { PodConnection, ServiceConnection, WorkloadConnection } from "../schema/connections.js";
import { PodFilter, ServiceFilter, WorkloadFilter } from "../schema/filters.js";
import { Namespace } from "../schema/namespace.js";
import { PodOrder, ServiceOrder, WorkloadOrder, type OrderField } from "../schema/orders.js";
import { Workspace } from "../schema/workspace.js";
import type { OutcomeView } from "./connection.js";
import { workspaceOf } from "./kube-object.js";
import { listOf, listRequest } from "./list.js";
import { workloadKinds } from "./workload-kinds.js";
import {
  podView,
  serviceView,
  workloadView,
  type NamespaceView,
  type PodView,
  type ServiceView,
  type WorkloadView,
  type WorkspaceView,
} from "./views/index.js";

type Page<V> = Promise<ConnectionShape<V, OutcomeView>>;

@Resolver(() => Namespace)
export class NamespaceResolver {
  @FieldResolver(() => Workspace, {
    nullable: true,
    description: "Its workspace; null when it belongs to none.",
  })
  workspace(@Root() namespace: NamespaceView, @Ctx() ctx: RequestContext): WorkspaceView | null {
    return workspaceOf(namespace.workspaceName ?? undefined, ctx);
  }

  @FieldResolver(() => WorkloadConnection, { description: "Its workloads." })
  workloads(
    @Root() namespace: NamespaceView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => WorkloadFilter, { nullable: true, description: "Which workloads." })
    filter: WorkloadFilter | null,
    @Arg("orderBy", () => WorkloadOrder, { nullable: true, description: "Default: by name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<WorkloadView> {
    const within = ctx.services.graph.inNamespace(namespace.entry);
    return listOf(ctx, workloadKinds(filter), listRequest(filter, orderBy, args), workloadView, within);
  }

  @FieldResolver(() => PodConnection, { description: "Its pods." })
  pods(
    @Root() namespace: NamespaceView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => PodFilter, { nullable: true, description: "Which pods." }) filter: PodFilter | null,
    @Arg("orderBy", () => PodOrder, { nullable: true, description: "Default: by name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<PodView> {
    const within = ctx.services.graph.inNamespace(namespace.entry);
    return listOf(ctx, [POD], listRequest(filter, orderBy, args), podView, within);
  }

  @FieldResolver(() => ServiceConnection, { description: "Its services." })
  services(
    @Root() namespace: NamespaceView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => ServiceFilter, { nullable: true, description: "Which services." })
    filter: ServiceFilter | null,
    @Arg("orderBy", () => ServiceOrder, { nullable: true, description: "Default: by name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<ServiceView> {
    const within = ctx.services.graph.inNamespace(namespace.entry);
    return listOf(ctx, [SERVICE], listRequest(filter, orderBy, args), serviceView, within);
  }
}
