/** Pod relations: its node, controlling workload and owner chain. */
import { Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../src/request/context.js";
import { ClusterNode } from "../schema/cluster-node.js";
import { OwnerRef } from "../schema/common.js";
import { Pod } from "../schema/pod.js";
import { Workload } from "../schema/workload.js";
import { ownerRefs, type OwnerRefView } from "./owners.js";
import {
  clusterNodeView,
  workloadView,
  type ClusterNodeView,
  type PodView,
  type WorkloadView,
} from "./views/index.js";

@Resolver(() => Pod)
export class PodResolver {
  @FieldResolver(() => ClusterNode, {
    nullable: true,
    description: "The node it is scheduled on; null when unscheduled, or when nodes are outside your scope.",
  })
  node(@Root() pod: PodView, @Ctx() ctx: RequestContext): ClusterNodeView | null {
    if (pod.nodeName === null) return null;
    const node = ctx.services.graph.byName(pod.entry.cluster, "Node", "", pod.nodeName, ctx.scope);
    return node ? clusterNodeView(node as never) : null;
  }

  @FieldResolver(() => Workload, {
    nullable: true,
    description:
      "The controlling workload: the Deployment of a ReplicaSet-owned pod, the Job (or its CronJob) of a Job's pod.",
  })
  owner(@Root() pod: PodView, @Ctx() ctx: RequestContext): WorkloadView | null {
    const workload = ctx.services.graph.controllingWorkload(pod.entry, ctx.scope);
    return workload ? workloadView(workload) : null;
  }

  @FieldResolver(() => [OwnerRef], {
    description: "Controller owners from the nearest up (ReplicaSet, Deployment).",
  })
  @Extensions({ maxItems: 8 })
  owners(@Root() pod: PodView, @Ctx() ctx: RequestContext): OwnerRefView[] {
    return ownerRefs(pod.entry, ctx);
  }
}
