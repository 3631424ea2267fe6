/** Owner references as the schema's OwnerRef, each with the owner object when it is readable. */
import type { CacheEntry } from "../src/cache/entry.js";
import type { RequestContext } from "../src/request/context.js";
import type { OwnerRef } from "../schema/common.js";
import { anyView, type Viewed } from "./views/index.js";

export type OwnerRefView = OwnerRef & { object: Viewed | null };

export function ownerRefs(entry: CacheEntry, ctx: RequestContext): OwnerRefView[] {
  return ctx.services.graph.ownerChain(entry, ctx.scope).map(({ ref, entry: owner }) => ({
    kind: ref.kind,
    name: ref.name,
    uid: ref.uid,
    object: owner ? anyView(owner, ctx.services.workspaceLabel) : null,
  }));
}
