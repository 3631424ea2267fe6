/**
 * A watch cursor: where a reader stands in each (cluster, kind) change stream, as the
 * resourceVersions the caches were at. A list hands one out (`watchCursor`: the versions it was
 * read at), every subscription event carries one, and a subscription started `after:` one
 * delivers exactly what changed since. Opaque to clients; versioned for the gateway.
 */
import { QueryInputError } from "./query/index.js";
import type { CachedKind } from "./entry.js";

const PREFIX = "wc1:";

/**
 * (cluster, kind) -> resourceVersion, flat, with keys shared by every instance: ten thousand
 * idle subscribers over 50 clusters hold one small map each, not fifty.
 */
export class WatchPositions {
  private constructor(private readonly versions: Map<string, string>) {}

  static empty(): WatchPositions {
    return new WatchPositions(new Map());
  }

  get(cluster: string, kind: CachedKind): string | undefined {
    return this.versions.get(keyOf(cluster, kind));
  }

  set(cluster: string, kind: CachedKind, version: string): void {
    this.versions.set(keyOf(cluster, kind), version);
  }

  copy(): WatchPositions {
    return new WatchPositions(new Map(this.versions));
  }

  get size(): number {
    return this.versions.size;
  }

  *entries(): Generator<[cluster: string, kind: CachedKind, version: string]> {
    for (const [key, version] of this.versions) {
      const [cluster, kind] = partsOf(key);
      yield [cluster, kind, version];
    }
  }

  encode(): string {
    const plain: Record<string, Record<string, string>> = {};
    for (const [cluster, kind, version] of this.entries()) (plain[cluster] ??= {})[kind] = version;
    return PREFIX + Buffer.from(JSON.stringify(plain), "utf8").toString("base64url");
  }

  /** Throws QueryInputError (BAD_USER_INPUT, naming `argument`) for anything not made by encode. */
  static decode(text: string, argument = "after"): WatchPositions {
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
    if (!isRecord(parsed)) return refuse();
    const positions = WatchPositions.empty();
    for (const [cluster, kinds] of Object.entries(parsed)) {
      if (!isRecord(kinds)) return refuse();
      for (const [kind, version] of Object.entries(kinds)) {
        if (typeof version !== "string") return refuse();
        positions.set(cluster, kind, version);
      }
    }
    return positions;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One key string per (cluster, kind) for the whole process: bounded by the fleet's size. */
const KEYS = new Map<string, Map<CachedKind, string>>();
const PARTS = new Map<string, [string, CachedKind]>();

function keyOf(cluster: string, kind: CachedKind): string {
  let byKind = KEYS.get(cluster);
  if (!byKind) KEYS.set(cluster, (byKind = new Map<CachedKind, string>()));
  let key = byKind.get(kind);
  if (key === undefined) {
    key = `${cluster}\u0000${kind}`;
    byKind.set(kind, key);
    PARTS.set(key, [cluster, kind]);
  }
  return key;
}

function partsOf(key: string): [string, CachedKind] {
  return PARTS.get(key)!;
}
