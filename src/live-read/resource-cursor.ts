/**
 * The opaque cursor of a generic resources list: the API server's continue token plus how many
 * items of that chunk were already returned, bound to the query it came from (cluster,
 * apiVersion, kind, namespace, selector) so that it cannot be replayed against another list.
 *
 * Every edge gets an exact cursor although an API server gives one continue token per page:
 * continue tokens name a snapshot, so re-listing from the page's token and skipping `skip`
 * items lands exactly after that edge. The last edge carries the server's own next token.
 */
import { QueryInputError, decodeOpaqueCursor, encodeOpaqueCursor } from "../cache/query/index.js";

export interface ResourceQueryKey {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  labelSelector: string;
}

export interface ResourceCursor {
  /** The continue token to list from; "" for the beginning. */
  token: string;
  /** Items of that chunk to skip. */
  skip: number;
}

const VERSION = "res/1";
const MAX_CURSOR_LENGTH = 16 * 1024;

function queryOf(q: ResourceQueryKey): string[] {
  return [q.cluster, q.apiVersion, q.kind, q.namespace, q.labelSelector];
}

export function encodeResourceCursor(query: ResourceQueryKey, cursor: ResourceCursor): string {
  const body = { v: VERSION, q: queryOf(query), t: cursor.token, s: cursor.skip };
  return encodeOpaqueCursor(body);
}

export function decodeResourceCursor(text: string, query: ResourceQueryKey, maxSkip: number): ResourceCursor {
  const fail = (why: string): never => {
    throw new QueryInputError("after", `invalid cursor in "after": ${why}`);
  };
  const body = decodeOpaqueCursor("after", text, MAX_CURSOR_LENGTH);
  const { v, q, t, s } = (body ?? {}) as { v?: unknown; q?: unknown; t?: unknown; s?: unknown };
  if (v !== VERSION || !Array.isArray(q) || typeof t !== "string" || typeof s !== "number") {
    return fail("not a cursor returned by this API");
  }
  if (JSON.stringify(q) !== JSON.stringify(queryOf(query))) {
    fail(
      "it belongs to another resources query (cluster, apiVersion, kind, namespace or labelSelector differ)",
    );
  }
  if (!Number.isInteger(s) || s < 0 || s > maxSkip) fail("its offset is malformed");
  return { token: t, skip: s };
}
