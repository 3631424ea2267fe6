/** Namespace relations: its workloads and pods, batched across namespaces. */
import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../src/query-service/index.js";
import { WorkloadKind } from "../schema/enums.js";
import { Namespace } from "../schema/namespace.js";
import { Pod } from "../schema/pod.js";
import { Workload } from "../schema/workload.js";
import { podView, workloadView, type NamespaceView, type PodView, type WorkloadView } from "./views.js";

@Resolver(() => Namespace)
export class NamespaceResolver {
  @FieldResolver(() => [Workload])
  async workloads(
    @Root() namespace: NamespaceView,
    @Arg("kinds", () => [WorkloadKind], { nullable: true }) kinds: WorkloadKind[] | null,
    @Ctx() ctx: RequestContext,
  ): Promise<WorkloadView[]> {
    const key = { cluster: namespace.cluster, namespace: namespace.name };
    const entries = await ctx.loaders.workloadsInNamespace.load(key);
    const wanted = kinds ? new Set<string>(kinds) : undefined;
    return entries.filter((e) => wanted === undefined || wanted.has(e.kind)).map(workloadView);
  }

  @FieldResolver(() => [Pod])
  async pods(@Root() namespace: NamespaceView, @Ctx() ctx: RequestContext): Promise<PodView[]> {
    const key = { cluster: namespace.cluster, namespace: namespace.name };
    return (await ctx.loaders.podsInNamespace.load(key)).map(podView);
  }
}
