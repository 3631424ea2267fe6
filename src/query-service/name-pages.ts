/**
 * Paging of small in-memory lists keyed by a unique name (clusters, workspaces), with the same
 * keyset cursors, Relay window rules and page facts as the object lists.
 */
import { encodeCursor } from "../cache/query/cursor.js";
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
  const window = resolvePage(page, list, "NAME");
  const sign = direction === "DESC" ? -1 : 1;
  const sorted = [...matches].sort((a, b) => sign * compareTies(position(nameOf(a)), position(nameOf(b))));
  const compare = (a: string, b: { name: string }) => sign * compareTies(position(a), position(b.name));
  let beforeWindow = 0;
  let afterWindow = 0;
  const inWindow = sorted.filter((item) => {
    const name = nameOf(item);
    if (window.after !== undefined && compare(name, window.after) <= 0) beforeWindow++;
    else if (window.before !== undefined && compare(name, window.before) >= 0) afterWindow++;
    else return true;
    return false;
  });
  const more = inWindow.length > window.take;
  const items =
    window.from === "FIRST"
      ? inWindow.slice(0, window.take)
      : inWindow.slice(Math.max(0, inWindow.length - window.take));
  const cursors = new LazyCursors(items.length, (i) => {
    const name = nameOf(items[i]!);
    return encodeCursor(list, "NAME", name, position(name));
  });
  return {
    items,
    cursors,
    totalCount: sorted.length,
    pageInfo: new LazyPageInfo(
      window.from === "FIRST" ? more : afterWindow > 0,
      window.from === "LAST" ? more : beforeWindow > 0,
      cursors,
    ),
  };
}
