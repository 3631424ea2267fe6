/** A page with nothing in it, for a relation that can match nothing (a service without a selector). */
import { LazyCursors, LazyPageInfo, type PageArgs, type QueryResult } from "../cache/query/index.js";
import { resolvePage } from "../cache/query/page.js";

export function emptyPage<D>(page: PageArgs, list: string, field: string): QueryResult<D> {
  // The arguments are still checked: a bad cursor is refused whether or not anything matches.
  resolvePage(page, list, field);
  const cursors = new LazyCursors(0, () => "");
  return { items: [], cursors, totalCount: 0, pageInfo: new LazyPageInfo(false, false, cursors) };
}
