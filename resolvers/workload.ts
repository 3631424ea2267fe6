/**
 * Workload relations (declared on the interface, so every kind has them), Deployment revisions,
 * and ReplicaSet relations.
 */
import { Args, Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import { POD, REPLICA_SET } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { PodListArgs, RevisionListArgs } from "../schema/list-args.js";
import { OwnerRef } from "../schema/common.js";
import type { ConnectionShape } from "../schema/connection.js";
import { PodConnection, ReplicaSetConnection } from "../schema/connections.js";
import { Deployment, ReplicaSet, Workload } from "../schema/workload.js";
import type { OutcomeView } from "./connection.js";
import { listOf, listRequest } from "./list.js";
import { ownerRefs, type OwnerRefView } from "./owners.js";
import {
  podView,
  replicaSetView,
  type PodView,
  type ReplicaSetView,
  type Viewed,
  type WorkloadView,
} from "./views/index.js";

type Page<V> = Promise<ConnectionShape<V, OutcomeView>>;

function pods(of: Viewed, args: PodListArgs, ctx: RequestContext): Page<PodView> {
  const within = ctx.services.graph.podsOf(of.entry, ctx.scope);
  return listOf(ctx, [POD], listRequest(args), podView, within);
}

@Resolver(() => Workload)
export class WorkloadResolver {
  @FieldResolver(() => PodConnection, {
    description: "Its pods by owner: through the ReplicaSets of a Deployment and the Jobs of a CronJob.",
  })
  pods(
    @Root() workload: WorkloadView,
    @Args(() => PodListArgs) args: PodListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<PodView> {
    return pods(workload, args, ctx);
  }

  @FieldResolver(() => [OwnerRef], {
    description: "Controller owners from the nearest up (a Job's CronJob).",
  })
  @Extensions({ maxItems: 8 })
  owners(@Root() workload: WorkloadView, @Ctx() ctx: RequestContext): OwnerRefView[] {
    return ownerRefs(workload.entry, ctx);
  }
}

@Resolver(() => Deployment)
export class DeploymentResolver {
  @FieldResolver(() => ReplicaSetConnection, {
    description:
      "Its ReplicaSets, one per revision kept (revisionHistoryLimit); the newest first unless ordered otherwise.",
  })
  revisions(
    @Root() deployment: WorkloadView,
    @Args(() => RevisionListArgs) args: RevisionListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<ReplicaSetView> {
    const orderBy = args.orderBy ?? { field: "REVISION", direction: "DESC" as const };
    const within = ctx.services.graph.ownedBy(deployment.entry);
    return listOf(ctx, [REPLICA_SET], listRequest({ ...args, orderBy }), replicaSetView, within);
  }
}

@Resolver(() => ReplicaSet)
export class ReplicaSetResolver {
  @FieldResolver(() => PodConnection, { description: "Its pods." })
  pods(
    @Root() replicaSet: ReplicaSetView,
    @Args(() => PodListArgs) args: PodListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<PodView> {
    return pods(replicaSet, args, ctx);
  }

  @FieldResolver(() => [OwnerRef], { description: "Controller owners from the nearest up (its Deployment)." })
  @Extensions({ maxItems: 8 })
  owners(@Root() replicaSet: ReplicaSetView, @Ctx() ctx: RequestContext): OwnerRefView[] {
    return ownerRefs(replicaSet.entry, ctx);
  }
}
