/** Autoscaling relations: an autoscaler's target workload, and a workload's autoscaler. */
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { isWorkloadKind } from "../src/query-service/index.js";
import type { RequestContext } from "../src/request/context.js";
import { HorizontalPodAutoscaler } from "../schema/autoscaling.js";
import { Workload } from "../schema/workload.js";
import {
  horizontalPodAutoscalerView,
  workloadView,
  type HorizontalPodAutoscalerView,
  type WorkloadView,
} from "./views/index.js";

@Resolver(() => HorizontalPodAutoscaler)
export class HorizontalPodAutoscalerResolver {
  @FieldResolver(() => Workload, {
    nullable: true,
    description:
      "The workload it scales; null when it is not a workload kind, is gone, or is outside your scope.",
  })
  target(@Root() hpa: HorizontalPodAutoscalerView, @Ctx() ctx: RequestContext): WorkloadView | null {
    const { kind, name } = hpa.scaleTargetRef;
    if (!isWorkloadKind(kind)) return null;
    const entry = ctx.services.graph.byName(hpa.entry.cluster, kind, hpa.entry.namespace, name, ctx.scope);
    return entry ? workloadView(entry as never) : null;
  }
}

@Resolver(() => Workload)
export class WorkloadAutoscalerResolver {
  @FieldResolver(() => HorizontalPodAutoscaler, {
    nullable: true,
    description: "The HorizontalPodAutoscaler that scales it; null when none does.",
  })
  autoscaler(@Root() workload: WorkloadView, @Ctx() ctx: RequestContext): HorizontalPodAutoscalerView | null {
    const hpa = ctx.services.graph.autoscalerOf(workload.entry, ctx.scope);
    return hpa ? horizontalPodAutoscalerView(hpa as never) : null;
  }
}
