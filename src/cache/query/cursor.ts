/**
 * Opaque, keyset cursors: base64url of the JSON tuple [list, order field, key, cluster, namespace,
 * name, uid] of an item. Paging "after" a cursor means "strictly after this position in the
 * order", whether or not that item still exists, so unrelated inserts and deletes never shift a
 * page. The list and the field are part of the tuple so a cursor from another list, or from the
 * same list in another order, is refused rather than silently misread.
 */
import { QueryInputError } from "./errors.js";
import { decodeOpaqueCursor, encodeOpaqueCursor } from "./opaque-cursor.js";
import type { SortKey, TieFields } from "./order.js";
import type { OrderField } from "./types.js";

export interface CursorPosition extends TieFields {
  readonly key: SortKey;
}

/** Far above any real cursor (names are at most 253 characters); bounds the decoding work. */
const MAX_CURSOR_LENGTH = 4096;

export function encodeCursor(list: string, field: OrderField, key: SortKey, at: TieFields): string {
  const tuple = [list, field, key, at.cluster, at.namespace, at.name, at.uid];
  return encodeOpaqueCursor(tuple);
}

/** Throws QueryInputError naming `argument` ("after" or "before") when the cursor is not ours. */
export function decodeCursor(
  argument: string,
  cursor: string,
  list: string,
  field: OrderField,
): CursorPosition {
  const fail = (why: string): never => {
    throw new QueryInputError(argument, `invalid cursor in "${argument}": ${why}`);
  };
  const tuple = decodeOpaqueCursor(argument, cursor, MAX_CURSOR_LENGTH);
  if (!Array.isArray(tuple) || tuple.length !== 7) return fail("not a cursor returned by this API");
  const [cursorList, cursorField, key, cluster, namespace, name, uid] = tuple as unknown[];
  if (cursorList !== list) {
    fail(`it comes from a list of ${String(cursorList)} objects, not of ${list} objects`);
  }
  if (cursorField !== field) {
    fail(`it belongs to a list ordered by ${String(cursorField)}, not ${field}; restart paging without it`);
  }
  if (!validKey(field, key)) fail(`its ${field} key is malformed`);
  if (![cluster, namespace, name, uid].every((s) => typeof s === "string")) {
    fail("not a cursor returned by this API");
  }
  return {
    key: key as SortKey,
    cluster: cluster as string,
    namespace: namespace as string,
    name: name as string,
    uid: uid as string,
  };
}

function validKey(field: OrderField, key: unknown): boolean {
  switch (field) {
    case "CREATED":
      return typeof key === "number" && Number.isFinite(key);
    case "NAME":
    case "NAMESPACE":
    case "CLUSTER":
      return typeof key === "string";
    default:
      return typeof key === "string" || (typeof key === "number" && Number.isFinite(key));
  }
}
