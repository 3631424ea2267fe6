/**
 * The opaque cursor of a STRONG list: the position of an item in the merged order and, for each
 * stream that is not finished, the API server's continue token from which that stream resumes.
 * Resuming re-reads the stream's chunk from its token and skips what is not after the position,
 * so any item's cursor is exact even when its chunk was only partly emitted. The order is part
 * of the cursor so that a cursor from a list in another order (or from a CACHED list) is refused.
 *
 * Streams whose state the position implies are left out: under CLUSTER or NAMESPACE order a
 * stream whose (cluster, namespace) lies wholly before the position is finished and one wholly
 * after it starts from its beginning, so those cursors carry only the streams of the position's
 * own namespace. Under NAME order every stream is interleaved with every other and is listed
 * (token null = not started); an unlisted stream is finished.
 */
import { QueryInputError, decodeOpaqueCursor, encodeOpaqueCursor } from "../cache/query/index.js";
import type { CachedKind } from "../cache/entry.js";
import { isCachedKind } from "../kinds/index.js";
import type { Position, StreamOrder } from "./stream-order.js";

export interface StreamKey {
  kind: CachedKind;
  cluster: string;
  namespace: string;
}

export interface ResumeState extends StreamKey {
  /** The continue token to list from; null lists from the beginning. */
  token: string | null;
}

export interface MergedCursor {
  position: Position;
  streams: ResumeState[];
}

const VERSION = "strong/1";
/** Several clusters x namespaces of continue tokens fit; bounds the decoding work. */
const MAX_CURSOR_LENGTH = 256 * 1024;

export function streamId(key: StreamKey): string {
  return JSON.stringify([key.kind, key.cluster, key.namespace]);
}

export function encodeMergedCursor(order: StreamOrder, cursor: MergedCursor): string {
  const { key, cluster, namespace, name, uid } = cursor.position;
  const body = {
    v: VERSION,
    o: `${order.field} ${order.direction}`,
    p: [key, cluster, namespace, name, uid],
    s: cursor.streams.map((s) => [s.kind, s.cluster, s.namespace, s.token]),
  };
  return encodeOpaqueCursor(body);
}

/** Throws QueryInputError naming `after` when the cursor is not a STRONG cursor of this order. */
export function decodeMergedCursor(text: string, order: StreamOrder): MergedCursor {
  const fail = (why: string): never => {
    throw new QueryInputError("after", `invalid cursor in "after": ${why}`);
  };
  const body = decodeOpaqueCursor("after", text, MAX_CURSOR_LENGTH);
  if (Array.isArray(body)) {
    fail("it belongs to a list read with consistency CACHED; restart paging without it");
  }
  const { v, o, p, s } = (body ?? {}) as { v?: unknown; o?: unknown; p?: unknown; s?: unknown };
  if (v !== VERSION || typeof o !== "string" || !Array.isArray(p) || !Array.isArray(s)) {
    return fail("not a cursor returned by this API");
  }
  const expected = `${order.field} ${order.direction}`;
  if (o !== expected)
    fail(`it belongs to a list ordered by ${o}, not ${expected}; restart paging without it`);
  if (p.length !== 5 || !p.every((x) => typeof x === "string")) fail("its position is malformed");
  const [key, cluster, namespace, name, uid] = p as string[];
  const position: Position = { key: key!, cluster: cluster!, namespace: namespace!, name: name!, uid: uid! };
  const streams = s.map((entry: unknown): ResumeState => {
    if (!Array.isArray(entry) || entry.length !== 4) return fail("its streams are malformed");
    const [kind, c, ns, token] = entry as unknown[];
    if (
      typeof kind !== "string" ||
      !isCachedKind(kind) ||
      typeof c !== "string" ||
      typeof ns !== "string" ||
      !(token === null || typeof token === "string")
    ) {
      return fail("its streams are malformed");
    }
    return { kind, cluster: c, namespace: ns, token };
  });
  return { position, streams };
}
