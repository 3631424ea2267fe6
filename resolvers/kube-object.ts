/**
 * Relations every cached object has, declared on the KubeObject and NamespacedObject interfaces
 * so every kind inherits them: its cluster, one label by key, its own events; its namespace and
 * workspace.
 */
import { GraphQLError } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { EVENT } from "../src/kinds/index.js";
import { labelValue } from "../src/query-service/index.js";
import type { RequestContext } from "../src/request/context.js";
import { ObjectEventListArgs } from "../schema/list-args.js";
import { Cluster } from "../schema/cluster.js";
import type { ConnectionShape } from "../schema/connection.js";
import { EventConnection } from "../schema/connections.js";
import { KubeObject, NamespacedObject } from "../schema/kube-object.js";
import { Namespace } from "../schema/namespace.js";
import { Workspace } from "../schema/workspace.js";
import type { OutcomeView } from "./connection.js";
import { listOf, listRequest } from "./list.js";
import {
  clusterView,
  eventView,
  namespaceView,
  workspaceView,
  type ClusterView,
  type EventView,
  type NamespaceView,
  type Viewed,
  type WorkspaceView,
} from "./views/index.js";

/** The cluster of an object the caller can read is readable; it vanishes only if it leaves the fleet. */
export function clusterOf(name: string, ctx: RequestContext): ClusterView {
  const record = ctx.services.clusters.get(name, ctx.scope);
  if (!record) {
    throw new GraphQLError(`cluster "${name}" has left the fleet`, {
      extensions: { code: "CLUSTER_UNAVAILABLE", cluster: name, retryable: false },
    });
  }
  return clusterView(record);
}

export function workspaceOf(name: string | undefined, ctx: RequestContext): WorkspaceView | null {
  if (name === undefined) return null;
  const record = ctx.services.workspaces.get(name, ctx.scope);
  return record ? workspaceView(record) : null;
}

@Resolver(() => KubeObject)
export class KubeObjectResolver {
  @FieldResolver(() => Cluster, { description: "The cluster it lives in." })
  cluster(@Root() object: Viewed, @Ctx() ctx: RequestContext): ClusterView {
    return clusterOf(object.entry.cluster, ctx);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The value of one label; null when it has none.",
  })
  label(
    @Root() object: Viewed,
    @Arg("key", { description: 'The label key, e.g. "app.kubernetes.io/name".' }) key: string,
  ): string | null {
    return labelValue(object.entry.labels, key) ?? null;
  }

  @FieldResolver(() => EventConnection, {
    description:
      "Events about this object (involvedObject is it), the latest first unless ordered otherwise.",
  })
  events(
    @Root() object: Viewed,
    @Args(() => ObjectEventListArgs) args: ObjectEventListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<EventView, OutcomeView>> {
    const request = listRequest(args, { involvedUid: object.entry.uid });
    return listOf(ctx, [EVENT], request, eventView, ctx.services.graph.eventsOf(object.entry));
  }
}

@Resolver(() => NamespacedObject)
export class NamespacedObjectResolver {
  @FieldResolver(() => Namespace, {
    nullable: true,
    description: "Its namespace; null when outside your scope.",
  })
  namespace(@Root() object: Viewed, @Ctx() ctx: RequestContext): NamespaceView | null {
    const ns = ctx.services.graph.namespaceOf(object.entry, ctx.scope);
    return ns ? namespaceView(ns as never, ctx.services.workspaceLabel) : null;
  }

  @FieldResolver(() => Workspace, {
    nullable: true,
    description: "The workspace its namespace belongs to; null when none (or outside your scope).",
  })
  workspace(@Root() object: Viewed, @Ctx() ctx: RequestContext): WorkspaceView | null {
    const ns = ctx.services.graph.namespaceOf(object.entry, ctx.scope);
    return workspaceOf(ns?.labels[ctx.services.workspaceLabel], ctx);
  }
}
