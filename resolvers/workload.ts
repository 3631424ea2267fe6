/** Workload relations (declared on the interface, so every kind has them) and ReplicaSet owners. */
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../src/query-service/index.js";
import { OwnerRef } from "../schema/owner-ref.js";
import { Pod } from "../schema/pod.js";
import { ReplicaSet, Workload } from "../schema/workload.js";
import { ownerRefs } from "./owners.js";
import { podView, type PodView, type ReplicaSetView, type WorkloadView } from "./views.js";

@Resolver(() => Workload)
export class WorkloadResolver {
  @FieldResolver(() => [Pod], {
    description: "Its pods by owner: through the ReplicaSets of a Deployment and the Jobs of a CronJob.",
  })
  async pods(@Root() workload: WorkloadView, @Ctx() ctx: RequestContext): Promise<PodView[]> {
    const { cluster, namespace, uid } = workload;
    const pods = await ctx.loaders.podsOfWorkload.load({
      cluster,
      kind: workload.entry.kind,
      namespace,
      uid,
    });
    return pods.map(podView);
  }

  @FieldResolver(() => [OwnerRef], {
    description: "Controller owners from the nearest up (a Job's CronJob).",
  })
  owners(@Root() workload: WorkloadView, @Ctx() ctx: RequestContext): Promise<OwnerRef[]> {
    return ownerRefs(workload.entry, ctx.loaders);
  }
}

@Resolver(() => ReplicaSet)
export class ReplicaSetResolver {
  @FieldResolver(() => [OwnerRef])
  owners(@Root() replicaSet: ReplicaSetView, @Ctx() ctx: RequestContext): Promise<OwnerRef[]> {
    return ownerRefs(replicaSet.entry, ctx.loaders);
  }
}
