/**
 * Relay connection arguments, validated and resolved into a window of the order: the items
 * strictly between `after` and `before`, of which the first `first` or the last `last` are
 * returned (the Relay Cursor Connections spec's algorithm). Passing both first and last is
 * refused: the spec discourages it and its result (a slice of a slice) is rarely what was meant.
 */
import { decodeCursor, type CursorPosition } from "./cursor.js";
import { QueryInputError } from "./errors.js";
import type { OrderField, PageArgs } from "./types.js";

export const MAX_PAGE_SIZE = 1000;
/** When neither first nor last is given: a bounded page rather than the whole fleet. */
export const DEFAULT_PAGE_SIZE = 100;

export interface PageWindow {
  after: CursorPosition | undefined;
  before: CursorPosition | undefined;
  /** Items to return, from the window's start (FIRST) or its end (LAST). */
  take: number;
  from: "FIRST" | "LAST";
}

export function resolvePage(page: PageArgs, list: string, field: OrderField): PageWindow {
  const first = pageSize("first", page.first);
  const last = pageSize("last", page.last);
  if (first !== undefined && last !== undefined) {
    throw new QueryInputError(
      "last",
      `"first" and "last" cannot be used together: page forward with first/after or backward with last/before`,
    );
  }
  const after = page.after == null ? undefined : decodeCursor("after", page.after, list, field);
  const before = page.before == null ? undefined : decodeCursor("before", page.before, list, field);
  if (first !== undefined) return { after, before, take: first, from: "FIRST" };
  if (last !== undefined) return { after, before, take: last, from: "LAST" };
  // Only `before`: the caller is paging backwards, so the default page ends at the cursor.
  const backwards = before !== undefined && after === undefined;
  return { after, before, take: DEFAULT_PAGE_SIZE, from: backwards ? "LAST" : "FIRST" };
}

function pageSize(argument: string, value: number | null | undefined): number | undefined {
  if (value == null) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new QueryInputError(
      argument,
      `"${argument}" must be an integer from 0 to ${MAX_PAGE_SIZE}, got ${String(value)}`,
    );
  }
  return value;
}
