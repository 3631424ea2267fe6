/** Pod relations: its node, controlling workload and owner chain, batched across a page. */
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { controllingWorkload, type RequestContext } from "../src/query-service/index.js";
import { ClusterNode } from "../schema/cluster-node.js";
import { OwnerRef } from "../schema/owner-ref.js";
import { Pod } from "../schema/pod.js";
import { Workload } from "../schema/workload.js";
import { ownerRefs } from "./owners.js";
import {
  clusterNodeView,
  workloadView,
  type ClusterNodeView,
  type PodView,
  type WorkloadView,
} from "./views.js";

@Resolver(() => Pod)
export class PodResolver {
  @FieldResolver(() => ClusterNode, {
    nullable: true,
    description: "Null when unscheduled, or when nodes are outside your scope.",
  })
  async node(@Root() pod: PodView, @Ctx() ctx: RequestContext): Promise<ClusterNodeView | null> {
    if (pod.nodeName === null) return null;
    const node = await ctx.loaders.node.load({ cluster: pod.cluster, nodeName: pod.nodeName });
    return node ? clusterNodeView(node) : null;
  }

  @FieldResolver(() => Workload, {
    nullable: true,
    description:
      "The controlling workload: the Deployment of a ReplicaSet-owned pod, the Job of a Job's pod.",
  })
  async owner(@Root() pod: PodView, @Ctx() ctx: RequestContext): Promise<WorkloadView | null> {
    const workload = await controllingWorkload(pod.entry, ctx.loaders);
    return workload ? workloadView(workload) : null;
  }

  @FieldResolver(() => [OwnerRef], {
    description: "Controller owners from the nearest up (ReplicaSet, Deployment).",
  })
  owners(@Root() pod: PodView, @Ctx() ctx: RequestContext): Promise<OwnerRef[]> {
    return ownerRefs(pod.entry, ctx.loaders);
  }
}
