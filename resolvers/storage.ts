/** The storage graph: claim -> volume -> class, claim -> pods mounting it, class -> claims and volumes. */
import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { PERSISTENT_VOLUME, PERSISTENT_VOLUME_CLAIM, POD } from "../src/kinds/index.js";
import type { RequestContext } from "../src/request/context.js";
import { PersistentVolumeClaimListArgs, PersistentVolumeListArgs, PodListArgs } from "../schema/list-args.js";
import type { ConnectionShape } from "../schema/connection.js";
import {
  PersistentVolumeClaimConnection,
  PersistentVolumeConnection,
  PodConnection,
} from "../schema/connections.js";
import { PersistentVolume, PersistentVolumeClaim, StorageClass } from "../schema/storage.js";
import type { OutcomeView } from "./connection.js";
import { listOf, listRequest } from "./list.js";
import {
  persistentVolumeClaimView,
  persistentVolumeView,
  podView,
  storageClassView,
  type PersistentVolumeClaimView,
  type PersistentVolumeView,
  type PodView,
  type StorageClassView,
} from "./views/index.js";

type Page<V> = Promise<ConnectionShape<V, OutcomeView>>;

function storageClass(cluster: string, name: string | null, ctx: RequestContext): StorageClassView | null {
  if (name === null) return null;
  const entry = ctx.services.graph.byName(cluster, "StorageClass", "", name, ctx.scope);
  return entry ? storageClassView(entry as never) : null;
}

@Resolver(() => PersistentVolumeClaim)
export class PersistentVolumeClaimResolver {
  @FieldResolver(() => PersistentVolume, {
    nullable: true,
    description: "The volume it is bound to; null while unbound, or when volumes are outside your scope.",
  })
  volume(@Root() claim: PersistentVolumeClaimView, @Ctx() ctx: RequestContext): PersistentVolumeView | null {
    if (claim.volumeName === null) return null;
    const entry = ctx.services.graph.byName(
      claim.entry.cluster,
      "PersistentVolume",
      "",
      claim.volumeName,
      ctx.scope,
    );
    return entry ? persistentVolumeView(entry as never) : null;
  }

  @FieldResolver(() => StorageClass, {
    nullable: true,
    description: "Its storage class; null when none or unknown.",
  })
  storageClass(
    @Root() claim: PersistentVolumeClaimView,
    @Ctx() ctx: RequestContext,
  ): StorageClassView | null {
    return storageClass(claim.entry.cluster, claim.storageClassName, ctx);
  }

  @FieldResolver(() => PodConnection, { description: "The pods that mount it." })
  pods(
    @Root() claim: PersistentVolumeClaimView,
    @Args(() => PodListArgs) args: PodListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<PodView> {
    const within = ctx.services.graph.inNamespaceOf(claim.entry);
    return listOf(ctx, [POD], listRequest(args, { claimName: claim.name }), podView, within);
  }
}

@Resolver(() => PersistentVolume)
export class PersistentVolumeResolver {
  @FieldResolver(() => PersistentVolumeClaim, {
    nullable: true,
    description: "The claim it is bound to; null when unbound, or outside your scope.",
  })
  claim(@Root() volume: PersistentVolumeView, @Ctx() ctx: RequestContext): PersistentVolumeClaimView | null {
    const ref = volume.claimRef;
    if (!ref) return null;
    const entry = ctx.services.graph.byName(
      volume.entry.cluster,
      "PersistentVolumeClaim",
      ref.namespaceName,
      ref.name,
      ctx.scope,
    );
    return entry ? persistentVolumeClaimView(entry as never) : null;
  }

  @FieldResolver(() => StorageClass, {
    nullable: true,
    description: "Its storage class; null when none or unknown.",
  })
  storageClass(@Root() volume: PersistentVolumeView, @Ctx() ctx: RequestContext): StorageClassView | null {
    return storageClass(volume.entry.cluster, volume.storageClassName, ctx);
  }
}

@Resolver(() => StorageClass)
export class StorageClassResolver {
  @FieldResolver(() => PersistentVolumeClaimConnection, {
    description: "The claims of this class, in its cluster.",
  })
  persistentVolumeClaims(
    @Root() storage: StorageClassView,
    @Args(() => PersistentVolumeClaimListArgs) args: PersistentVolumeClaimListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<PersistentVolumeClaimView> {
    const request = listRequest(args, { storageClassNames: [storage.name] });
    return listOf(ctx, [PERSISTENT_VOLUME_CLAIM], request, persistentVolumeClaimView, {
      cluster: storage.entry.cluster,
    });
  }

  @FieldResolver(() => PersistentVolumeConnection, {
    description: "The volumes of this class, in its cluster.",
  })
  persistentVolumes(
    @Root() storage: StorageClassView,
    @Args(() => PersistentVolumeListArgs) args: PersistentVolumeListArgs,
    @Ctx() ctx: RequestContext,
  ): Page<PersistentVolumeView> {
    const within = { cluster: storage.entry.cluster, index: { name: "storageClass", key: storage.name } };
    return listOf(ctx, [PERSISTENT_VOLUME], listRequest(args), persistentVolumeView, within);
  }
}
