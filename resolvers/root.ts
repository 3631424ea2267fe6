/** Query.node(s), clusters, workspaces, and lookups of one object by its natural key (for deep links). */
import { GraphQLError } from "graphql";
import { Arg, Args, Ctx, ID, Query, Resolver } from "type-graphql";
import { QueryInputError } from "../src/cache/query/index.js";
import type { RequestContext } from "../src/request/context.js";
import { Cluster } from "../schema/cluster.js";
import { ClusterNode } from "../schema/cluster-node.js";
import type { ConnectionShape } from "../schema/connection.js";
import { ClusterConnection, WorkspaceConnection } from "../schema/connections.js";
import { WorkloadKind } from "../schema/enums.js";
import { Namespace } from "../schema/namespace.js";
import { Pod } from "../schema/pod.js";
import { RelayNode } from "../schema/relay-node.js";
import { Service } from "../schema/service.js";
import { Workload } from "../schema/workload.js";
import { Workspace } from "../schema/workspace.js";
import { toConnection, type OutcomeView } from "./connection.js";
import {
  anyView,
  clusterNodeView,
  clusterView,
  fleetWorkloadView,
  namespaceView,
  podView,
  serviceView,
  workloadView,
  workspaceView,
  type ClusterNodeView,
  type ClusterView,
  type FleetWorkloadView,
  type NamespaceView,
  type PodView,
  type ServiceView,
  type Viewed,
  type WorkloadView,
  type WorkspaceView,
} from "./views/index.js";
import { ClusterListArgs, WorkspaceListArgs } from "../schema/list-args.js";
import { nameListRequest, clusterConnection } from "./list.js";

/** Relay's batch refetch takes many ids at once, but not unboundedly many. */
export const MAX_IDS = 1000;

type Found = Viewed | ClusterView | WorkspaceView | FleetWorkloadView;

export function findNode(id: string, ctx: RequestContext): Found | null {
  const target = ctx.services.nodes.find(id, ctx.scope);
  if (!target) return null;
  switch (target.type) {
    case "Cluster":
      return clusterView(target.cluster);
    case "Workspace":
      return workspaceView(target.workspace);
    case "FleetWorkload":
      return fleetWorkloadView(target.group);
    default:
      return anyView(target.entry, ctx.services.workspaceLabel);
  }
}

@Resolver()
export class RootResolver {
  @Query(() => RelayNode, {
    nullable: true,
    description: "Any object by its global id; null when it does not exist or is outside your scope.",
  })
  node(
    @Arg("id", () => ID, { description: "A global id from any answer." }) id: string,
    @Ctx() ctx: RequestContext,
  ): Found | null {
    return findNode(id, ctx);
  }

  @Query(() => [RelayNode], {
    nullable: "items",
    description:
      "Objects by global id, in the order asked (Relay's batch refetch): null for one that does not exist or is outside your scope, an error for a malformed one.",
  })
  nodes(
    @Arg("ids", () => [ID], { description: `Global ids (at most ${MAX_IDS}).` }) ids: string[],
    @Ctx() ctx: RequestContext,
  ): (Found | GraphQLError | null)[] {
    if (ids.length > MAX_IDS)
      throw new QueryInputError("ids", `"ids" takes at most ${MAX_IDS} ids, got ${ids.length}`);
    return ids.map((id) => {
      try {
        return findNode(id, ctx);
      } catch (error) {
        // One malformed id fails its own item, not the batch.
        if (error instanceof QueryInputError)
          return new GraphQLError(error.message, { extensions: error.extensions });
        throw error;
      }
    });
  }

  @Query(() => ClusterConnection, { description: "The member clusters you may read." })
  clusters(
    @Args(() => ClusterListArgs) args: ClusterListArgs,
    @Ctx() ctx: RequestContext,
  ): ConnectionShape<ClusterView, OutcomeView> {
    return clusterConnection(ctx.services.clusters.list(nameListRequest(args), ctx.scope));
  }

  @Query(() => Cluster, {
    nullable: true,
    description: "One cluster by name; null when unknown or outside your scope.",
  })
  cluster(
    @Arg("name", { description: "The cluster's name." }) name: string,
    @Ctx() ctx: RequestContext,
  ): ClusterView | null {
    const record = ctx.services.clusters.get(name, ctx.scope);
    return record ? clusterView(record) : null;
  }

  @Query(() => WorkspaceConnection, {
    description: "The workspaces (tenants) with namespaces you may read, across the fleet.",
  })
  workspaces(
    @Args(() => WorkspaceListArgs) args: WorkspaceListArgs,
    @Ctx() ctx: RequestContext,
  ): ConnectionShape<WorkspaceView, OutcomeView> {
    return toConnection(ctx.services.workspaces.list(nameListRequest(args), ctx.scope), workspaceView);
  }

  @Query(() => Workspace, {
    nullable: true,
    description: "One workspace by name; null when it has no namespace you may read.",
  })
  workspace(
    @Arg("name", { description: "The workspace's name." }) name: string,
    @Ctx() ctx: RequestContext,
  ): WorkspaceView | null {
    const record = ctx.services.workspaces.get(name, ctx.scope);
    return record ? workspaceView(record) : null;
  }

  @Query(() => Namespace, {
    nullable: true,
    description: "One namespace by cluster and name; null when absent or outside your scope.",
  })
  namespace(
    @Arg("cluster", { description: "The cluster's name." }) cluster: string,
    @Arg("name", { description: "The namespace's name." }) name: string,
    @Ctx() ctx: RequestContext,
  ): NamespaceView | null {
    const entry = ctx.services.graph.byName(cluster, "Namespace", "", name, ctx.scope);
    return entry ? namespaceView(entry as never, ctx.services.workspaceLabel) : null;
  }

  @Query(() => ClusterNode, {
    nullable: true,
    description: "One Kubernetes node by cluster and name; null when absent or outside your scope.",
  })
  clusterNode(
    @Arg("cluster", { description: "The cluster's name." }) cluster: string,
    @Arg("name", { description: "The node's name." }) name: string,
    @Ctx() ctx: RequestContext,
  ): ClusterNodeView | null {
    const entry = ctx.services.graph.byName(cluster, "Node", "", name, ctx.scope);
    return entry ? clusterNodeView(entry as never) : null;
  }

  @Query(() => Pod, {
    nullable: true,
    description: "One pod by cluster, namespace and name; null when absent or outside your scope.",
  })
  pod(
    @Arg("cluster", { description: "The cluster's name." }) cluster: string,
    @Arg("namespace", { description: "The namespace's name." }) namespace: string,
    @Arg("name", { description: "The pod's name." }) name: string,
    @Ctx() ctx: RequestContext,
  ): PodView | null {
    const entry = ctx.services.graph.byName(cluster, "Pod", namespace, name, ctx.scope);
    return entry ? podView(entry as never) : null;
  }

  @Query(() => Workload, {
    nullable: true,
    description: "One workload by cluster, namespace, kind and name; null when absent or outside your scope.",
  })
  workload(
    @Arg("cluster", { description: "The cluster's name." }) cluster: string,
    @Arg("namespace", { description: "The namespace's name." }) namespace: string,
    @Arg("kind", () => WorkloadKind, { description: "The workload's kind." }) kind: WorkloadKind,
    @Arg("name", { description: "The workload's name." }) name: string,
    @Ctx() ctx: RequestContext,
  ): WorkloadView | null {
    const entry = ctx.services.graph.byName(cluster, kind, namespace, name, ctx.scope);
    return entry ? workloadView(entry as never) : null;
  }

  @Query(() => Service, {
    nullable: true,
    description: "One service by cluster, namespace and name; null when absent or outside your scope.",
  })
  service(
    @Arg("cluster", { description: "The cluster's name." }) cluster: string,
    @Arg("namespace", { description: "The namespace's name." }) namespace: string,
    @Arg("name", { description: "The service's name." }) name: string,
    @Ctx() ctx: RequestContext,
  ): ServiceView | null {
    const entry = ctx.services.graph.byName(cluster, "Service", namespace, name, ctx.scope);
    return entry ? serviceView(entry as never) : null;
  }
}
