/** ServiceAccount and PersistentVolumeClaim links of pods, and a ServiceAccount's pods. */
import { Args, Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";
import { POD } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { PodListArgs } from "../schema/list-args.js";
import { ServiceAccount } from "../schema/config.js";
import type { ConnectionShape } from "../schema/connection.js";
import { PodConnection } from "../schema/connections.js";
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
    @Args(() => PodListArgs) args: PodListArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionShape<PodView, OutcomeView>> {
    const request = listRequest(args, { serviceAccountName: account.name });
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
