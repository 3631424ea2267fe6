/**
 * A watch cursor: where a reader stands in each (cluster, kind) change stream, as the
 * resourceVersions the caches were at. A list hands one out (`watchCursor`: the versions it was
 * read at), every subscription event carries one, and a subscription started `after:` one
 * delivers exactly what changed since. Opaque to clients; versioned for the gateway.
 */
import { QueryInputError } from "./query/index.js";
import type { CachedKind } from "./entry.js";

/** cluster -> kind -> resourceVersion. */
export type Positions = Map<string, Map<CachedKind, string>>;

const PREFIX = "wc1:";

export function encodeWatchCursor(positions: Positions): string {
  const plain: Record<string, Record<string, string>> = {};
  for (const [cluster, kinds] of positions) plain[cluster] = Object.fromEntries(kinds);
  return PREFIX + Buffer.from(JSON.stringify(plain), "utf8").toString("base64url");
}

/** Throws QueryInputError (BAD_USER_INPUT, naming `argument`) for anything not made by encode. */
export function decodeWatchCursor(text: string, argument = "after"): Positions {
  const refuse = (): never => {
    throw new QueryInputError(
      argument,
      "not a watch cursor: pass a list's watchCursor or a subscription event's cursor unchanged",
    );
  };
  if (!text.startsWith(PREFIX)) return refuse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text.slice(PREFIX.length), "base64url").toString("utf8"));
  } catch {
    return refuse();
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return refuse();
  const positions: Positions = new Map();
  for (const [cluster, kinds] of Object.entries(parsed)) {
    if (typeof kinds !== "object" || kinds === null || Array.isArray(kinds)) return refuse();
    const byKind = new Map<CachedKind, string>();
    for (const [kind, version] of Object.entries(kinds as Record<string, unknown>)) {
      if (typeof version !== "string") return refuse();
      byKind.set(kind, version);
    }
    positions.set(cluster, byKind);
  }
  return positions;
}

export function copyPositions(positions: Positions): Positions {
  return new Map([...positions].map(([cluster, kinds]) => [cluster, new Map(kinds)]));
}

export function positionOf(positions: Positions, cluster: string, kind: CachedKind): string | undefined {
  return positions.get(cluster)?.get(kind);
}

export function setPosition(positions: Positions, cluster: string, kind: CachedKind, version: string): void {
  let kinds = positions.get(cluster);
  if (!kinds) positions.set(cluster, (kinds = new Map<CachedKind, string>()));
  kinds.set(kind, version);
}
