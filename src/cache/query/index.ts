/** The cross-cluster query engine over the watch caches' indexes. */
export { QueryEngine, type EntryMatcher, type QueryEngineOptions } from "./engine.js";
export { QueryAccessError, QueryInputError } from "./errors.js";
export { decodeOpaqueCursor, encodeOpaqueCursor } from "./opaque-cursor.js";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./page.js";
export {
  compareKeys,
  compareTies,
  orderingFor,
  type Ordering,
  type SortKey,
  type TieFields,
} from "./order.js";
export type { ObjectFilter, OrderBy, OrderField, PageArgs, PageInfo, QueryResult } from "./types.js";
export { LazyCursors, LazyPageInfo, type PageCursors } from "./page-cursors.js";
