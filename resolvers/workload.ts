/**
 * Workload relations (declared on the interface, so every kind has them), Deployment revisions,
 * and ReplicaSet relations.
 */
import { Arg, Args, Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import { POD, REPLICA_SET } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { ObjectListArgs, PageArgs } from "../schema/args.js";
import { OwnerRef } from "../schema/common.js";
import type { ConnectionShape } from "../schema/connection.js";
import { PodConnection, ReplicaSetConnection } from "../schema/connections.js";
import { PodFilter } from "../schema/filters.js";
import { PodOrder, ReplicaSetOrder, type OrderField } from "../schema/orders.js";
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

function pods(
  of: Viewed,
  args: ObjectListArgs,
  filter: PodFilter | null,
  orderBy: OrderField | null,
  ctx: RequestContext,
): Page<PodView> {
  const within = ctx.services.graph.podsOf(of.entry, ctx.scope);
  return listOf(ctx, [POD], listRequest(filter, orderBy, args), podView, within);
}

@Resolver(() => Workload)
export class WorkloadResolver {
  @FieldResolver(() => PodConnection, {
    description: "Its pods by owner: through the ReplicaSets of a Deployment and the Jobs of a CronJob.",
  })
  pods(
    @Root() workload: WorkloadView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => PodFilter, { nullable: true, description: "Which of its pods." })
    filter: PodFilter | null,
    @Arg("orderBy", () => PodOrder, { nullable: true, description: "Default: by name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<PodView> {
    return pods(workload, args, filter, orderBy, ctx);
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
    @Args(() => PageArgs) args: PageArgs,
    @Arg("orderBy", () => ReplicaSetOrder, { nullable: true, description: "Default: REVISION DESC." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<ReplicaSetView> {
    const order = orderBy ?? { field: "REVISION", direction: "DESC" as const };
    const within = ctx.services.graph.ownedBy(deployment.entry);
    return listOf(ctx, [REPLICA_SET], listRequest(null, order, args), replicaSetView, within);
  }
}

@Resolver(() => ReplicaSet)
export class ReplicaSetResolver {
  @FieldResolver(() => PodConnection, { description: "Its pods." })
  pods(
    @Root() replicaSet: ReplicaSetView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => PodFilter, { nullable: true, description: "Which of its pods." })
    filter: PodFilter | null,
    @Arg("orderBy", () => PodOrder, { nullable: true, description: "Default: by name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Page<PodView> {
    return pods(replicaSet, args, filter, orderBy, ctx);
  }

  @FieldResolver(() => [OwnerRef], { description: "Controller owners from the nearest up (its Deployment)." })
  @Extensions({ maxItems: 8 })
  owners(@Root() replicaSet: ReplicaSetView, @Ctx() ctx: RequestContext): OwnerRefView[] {
    return ownerRefs(replicaSet.entry, ctx);
  }
}
