/**
 * The cursor of a log, event or audit entry: where it sits in the merged order, which order, and
 * which list: each sorts on its own fields, so another list's position is no position here.
 */
import { decodeOpaqueCursor, encodeOpaqueCursor } from "../cache/query/opaque-cursor.js";
import { QueryInputError } from "../cache/query/errors.js";
import type { Order, SortKey } from "./store-search.js";

const MAX_CURSOR_LENGTH = 1024;

/** The lists whose entries have cursors. */
export type EntryList = "logs" | "events" | "audit";

export function encodeEntryCursor(key: SortKey, order: Order, list: EntryList): string {
  return encodeOpaqueCursor({ k: key, o: order, l: list });
}

export function decodeEntryCursor(text: string, order: Order, list: EntryList, argument = "after"): SortKey {
  const body = decodeOpaqueCursor(argument, text, MAX_CURSOR_LENGTH) as {
    k?: unknown;
    o?: unknown;
    l?: unknown;
  };
  const key = body?.k;
  const valid =
    Array.isArray(key) &&
    key.length === 4 &&
    Number.isFinite(key[0]) &&
    typeof key[1] === "string" &&
    typeof key[2] === "string" &&
    Number.isInteger(key[3]);
  if (!valid)
    throw new QueryInputError(argument, `invalid cursor in "${argument}": not a cursor returned by this API`);
  if (body.l !== list)
    throw new QueryInputError(
      argument,
      `invalid cursor in "${argument}": it comes from another list than ${list}; restart paging without it`,
    );
  if (body.o !== order)
    throw new QueryInputError(
      argument,
      `the cursor in "${argument}" belongs to the ${body.o === "asc" ? "OLDEST_FIRST" : "NEWEST_FIRST"} order; page with the direction it was made with`,
    );
  return key as unknown as SortKey;
}
