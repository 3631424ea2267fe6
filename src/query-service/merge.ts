/**
 * One page over several kinds (the Workload interface spans five): each kind is queried with
 * the same order and page, and the results are merged. This is exact because the engine's
 * cursors are positions in a total order that does not depend on the kind (key, cluster,
 * namespace, name, uid): the first N of the union are among the first N of each part.
 */
import {
  DEFAULT_PAGE_SIZE,
  LazyCursors,
  LazyPageInfo,
  orderingFor,
  type OrderBy,
  type PageArgs,
  type QueryResult,
} from "../cache/query/index.js";

export function mergeResults<D>(
  parts: readonly QueryResult<D>[],
  order: OrderBy,
  page: PageArgs,
): QueryResult<D> {
  const ordering = orderingFor(order);
  const rows = parts.flatMap((part) =>
    part.items.map((item, i) => ({ item, part, index: i, key: ordering.keyOf(item) })),
  );
  rows.sort((a, b) => ordering.compare(a.key, a.item, b.key, b.item));

  // The engine's rule for which end of the window a page is taken from.
  const fromEnd = page.last != null || (page.first == null && page.before != null && page.after == null);
  const take = page.first ?? page.last ?? DEFAULT_PAGE_SIZE;
  const overflow = rows.length > take;
  const kept = fromEnd ? rows.slice(Math.max(0, rows.length - take)) : rows.slice(0, take);
  // Each kept item's cursor is its part's (still unencoded) cursor.
  const cursors = new LazyCursors(kept.length, (i) => kept[i]!.part.cursors.at(kept[i]!.index)!);
  const anyPart = (pick: (p: QueryResult<D>) => boolean) => parts.some(pick);
  return {
    items: kept.map((r) => r.item),
    cursors,
    totalCount: parts.reduce((sum, p) => sum + p.totalCount, 0),
    pageInfo: new LazyPageInfo(
      (!fromEnd && overflow) || anyPart((p) => p.pageInfo.hasNextPage),
      (fromEnd && overflow) || anyPart((p) => p.pageInfo.hasPreviousPage),
      cursors,
    ),
  };
}
