/** ServiceAccount and PersistentVolumeClaim links of pods, and a ServiceAccount's pods. */
import { Arg, Args, Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import { POD } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { ObjectListArgs } from "../schema/args.js";
import { ServiceAccount } from "../schema/config.js";
import type { ConnectionShape } from "../schema/connection.js";
import { PodConnection } from "../schema/connections.js";
import { PodFilter } from "../schema/filters.js";
import { PodOrder, type OrderField } from "../schema/orders.js";
import { Pod } from "../schema/pod.js";
import { PersistentVolumeClaim } from "../schema/storage.js";
import type { OutcomeView } from "./connection.js";
import { listOf, listRequest } from "./list.js";
import {
  persistentVolumeClaimView,
  podView,
  serviceAccountView,
  type PersistentVolumeClaimView,
  type PodView,
  type ServiceAccountView,
} from "./views/index.js";

@Resolver(() => ServiceAccount)
export class ServiceAccountResolver {
  @FieldResolver(() => PodConnection, { description: "The pods that run as it." })
  pods(
    @Root() account: ServiceAccountView,
    @Args(() => ObjectListArgs) args: ObjectListArgs,
    @Arg("filter", () => PodFilter, { nullable: true, description: "Which of its pods." })
    filter: PodFilter | null,
    @Arg("orderBy", () => PodOrder, { nullable: true, description: "Default: by name." })
    orderBy: OrderField | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<PodView, OutcomeView>> {
    const request = listRequest({ ...filter, serviceAccountName: account.name }, orderBy, args);
    return listOf(ctx, [POD], request, podView, ctx.services.graph.inNamespaceOf(account.entry));
  }
}

@Resolver(() => Pod)
export class PodStorageResolver {
  @FieldResolver(() => ServiceAccount, {
    nullable: true,
    description: "The ServiceAccount it runs as; null when gone.",
  })
  serviceAccount(@Root() pod: PodView, @Ctx() ctx: RequestContext): ServiceAccountView | null {
    const name = pod.entry.data.shared.serviceAccountName ?? "default";
    const entry = ctx.services.graph.byName(
      pod.entry.cluster,
      "ServiceAccount",
      pod.entry.namespace,
      name,
      ctx.scope,
    );
    return entry ? serviceAccountView(entry as never) : null;
  }

  @FieldResolver(() => [PersistentVolumeClaim], {
    description: "The PersistentVolumeClaims its volumes mount (that exist).",
  })
  @Extensions({ maxItems: 16 })
  persistentVolumeClaims(@Root() pod: PodView, @Ctx() ctx: RequestContext): PersistentVolumeClaimView[] {
    const { cluster, namespace } = pod.entry;
    return pod.entry.data.shared.claims
      .map((name) => ctx.services.graph.byName(cluster, "PersistentVolumeClaim", namespace, name, ctx.scope))
      .filter((e) => e !== undefined)
      .map((e) => persistentVolumeClaimView(e as never));
  }
}
