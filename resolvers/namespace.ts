/** Namespace relations: its workspace, and its pods, workloads and services as connections. */
import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { POD, SERVICE } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { PodListArgs, ServiceListArgs, WorkloadListArgs } from "../schema/list-args.js";
import type { ConnectionShape } from "../schema/connection.js";
import { PodConnection, ServiceConnection, WorkloadConnection } from "../schema/connections.js";
import { Namespace } from "../schema/namespace.js";
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
    @Args(() => WorkloadListArgs) args: WorkloadListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<WorkloadView> {
    const within = ctx.services.graph.inNamespace(namespace.entry);
    return listOf(ctx, workloadKinds(args.filter), listRequest(args), workloadView, within);
  }

  @FieldResolver(() => PodConnection, { description: "Its pods." })
  pods(
    @Root() namespace: NamespaceView,
    @Args(() => PodListArgs) args: PodListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<PodView> {
    const within = ctx.services.graph.inNamespace(namespace.entry);
    return listOf(ctx, [POD], listRequest(args), podView, within);
  }

  @FieldResolver(() => ServiceConnection, { description: "Its services." })
  services(
    @Root() namespace: NamespaceView,
    @Args(() => ServiceListArgs) args: ServiceListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<ServiceView> {
    const within = ctx.services.graph.inNamespace(namespace.entry);
    return listOf(ctx, [SERVICE], listRequest(args), serviceView, within);
  }
}
