/**
 * Paging of small in-memory lists keyed by a unique name (clusters, workspaces), with the same
 * keyset cursors, Relay window rules and page facts as the object lists.
 */
import { encodeCursor } from "../cache/query/cursor.js";
import { compareKeys, type SortKey, type TieFields } from "../cache/query/order.js";
import {
  compareTies,
  LazyCursors,
  LazyPageInfo,
  type PageArgs,
  type PageCursors,
  type PageInfo,
} from "../cache/query/index.js";
import { resolvePage } from "../cache/query/page.js";
import type { Direction } from "./list-request.js";

export interface NamePage<T> {
  items: T[];
  cursors: PageCursors;
  totalCount: number;
  pageInfo: PageInfo;
}

/** Cursor positions of named items: the name is the key and every tie-breaker. */
const position = (name: string) => ({ cluster: name, namespace: "", name, uid: name });

/** `matches` in name order (`direction`), windowed by `page`; `list` names the cursors' list. */
export function pageByName<T>(
  matches: readonly T[],
  nameOf: (item: T) => string,
  list: string,
  direction: Direction | undefined,
  page: PageArgs,
): NamePage<T> {
  return pageByKey(
    matches,
    { field: "NAME", keyOf: nameOf, tiesOf: (item) => position(nameOf(item)) },
    list,
    direction,
    page,
  );
}

/** How a list of in-memory items is ordered: a key, then ties that tell any two items apart. */
export interface ItemOrder<T> {
  field: string;
  keyOf: (item: T) => SortKey;
  tiesOf: (item: T) => TieFields;
}

/** `matches` in `order` (the key in `direction`, ties ascending), windowed by `page`. */
export function pageByKey<T>(
  matches: readonly T[],
  order: ItemOrder<T>,
  list: string,
  direction: Direction | undefined,
  page: PageArgs,
): NamePage<T> {
  const window = resolvePage(page, list, order.field);
  const sign = direction === "DESC" ? -1 : 1;
  const compare = (ka: SortKey, a: TieFields, kb: SortKey, b: TieFields) =>
    sign * compareKeys(ka, kb) || compareTies(a, b);
  const keyed = matches.map((item) => ({ item, key: order.keyOf(item), ties: order.tiesOf(item) }));
  const sorted = keyed.sort((a, b) => compare(a.key, a.ties, b.key, b.ties));
  let beforeWindow = 0;
  let afterWindow = 0;
  const inWindow = sorted.filter(({ key, ties }) => {
    if (window.after !== undefined && compare(key, ties, window.after.key, window.after) <= 0) beforeWindow++;
    else if (window.before !== undefined && compare(key, ties, window.before.key, window.before) >= 0)
      afterWindow++;
    else return true;
    return false;
  });
  const more = inWindow.length > window.take;
  const taken =
    window.from === "FIRST"
      ? inWindow.slice(0, window.take)
      : inWindow.slice(Math.max(0, inWindow.length - window.take));
  const cursors = new LazyCursors(taken.length, (i) => {
    const { key, ties } = taken[i]!;
    return encodeCursor(list, order.field, key, ties);
  });
  return {
    items: taken.map((t) => t.item),
    cursors,
    totalCount: sorted.length,
    pageInfo: new LazyPageInfo(
      window.from === "FIRST" ? more : afterWindow > 0,
      window.from === "LAST" ? more : beforeWindow > 0,
      cursors,
    ),
  };
}
