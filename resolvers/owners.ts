/** Owner links as GraphQL OwnerRefs. */
import { CACHED_KINDS, type CacheEntry, type CachedKind } from "../src/cache/entry.js";
import { objectId, ownerChain, type Loaders } from "../src/query-service/index.js";
import type { OwnerRef } from "../schema/owner-ref.js";

const CACHED: ReadonlySet<string> = new Set(CACHED_KINDS);

export async function ownerRefs(entry: CacheEntry, loaders: Loaders): Promise<OwnerRef[]> {
  const chain = await ownerChain(entry, loaders);
  return chain.map(({ ref }) => ({
    kind: ref.kind,
    name: ref.name,
    uid: ref.uid,
    id: CACHED.has(ref.kind) ? objectId(ref.kind as CachedKind, entry.cluster, ref.uid) : null,
  }));
}
