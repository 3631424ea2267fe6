/**
 * What the searches of stored entries share (log lines, event history, audit): the page a caller
 * asks for (direction, size, the cursor after which it starts), the options a search is made with,
 * and the two ways a prepared search is read from the stores, a page and a histogram, each with
 * the stores' failures recorded against their clusters.
 */
import { QueryInputError } from "../cache/query/errors.js";
import type { PageOutcome } from "../query-service/outcomes.js";
import { decodeEntryCursor, type EntryList } from "./cursor.js";
import { chooseInterval, histogram, type Histogram } from "./histogram.js";
import { recordFailures, storeOutcomes, type SearchScopeDeps, type SearchTargets } from "./search-scope.js";
import { searchPage, type Order, type SearchSpec, type SortKey } from "./store-search.js";
import type { TimeRange } from "./time-range.js";

export type Direction = "NEWEST_FIRST" | "OLDEST_FIRST";

export interface EntryPageRequest {
  first?: number | null;
  after?: string | null;
  direction?: Direction | null;
  /** Count every match (an exact count costs the store more than a page). */
  countTotal: boolean;
}

export interface EntryPage<E> {
  entries: E[];
  hasNextPage: boolean;
  totalCount: number | null;
  outcomes: PageOutcome[];
  /** Requests sent to log stores for this page. */
  requests: number;
  /**
   * Where the next page starts when that is not the last entry's cursor (event history stopped
   * reading a run of superseded versions before it found a whole page).
   */
  endCursor?: string;
}

/** What a request's search of stored entries is made with. */
export interface EntrySearchOptions extends SearchScopeDeps {
  now?: () => number;
  signal?: AbortSignal;
}

/** A page request, checked: its order, its size and the entry it starts after. */
export interface PagePosition {
  order: Order;
  first: number;
  after: SortKey | undefined;
}

/** A filter made into a search: its clauses, the stores and namespaces it reads, its range. */
export interface PreparedSearch {
  spec: SearchSpec;
  searched: SearchTargets;
  range: TimeRange;
}

export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;
const MAX_KEYWORDS = 16;
const MAX_KEYWORD_LENGTH = 512;

export function orderOf(direction: Direction | null | undefined): Order {
  return direction === "OLDEST_FIRST" ? "asc" : "desc";
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE)
    throw new QueryInputError("first", `first must be between 0 and ${MAX_PAGE}, not ${first}`);
  return first;
}

export function pagePosition(request: EntryPageRequest, list: EntryList): PagePosition {
  const order = orderOf(request.direction);
  const first = pageSize(request.first);
  const after = request.after ? decodeEntryCursor(request.after, order, list) : undefined;
  return { order, first, after };
}

/** A filter's keywords, bounded in number and length; blank ones are dropped. */
export function checkKeywords(keywords: readonly string[] | null | undefined): string[] {
  if (!keywords) return [];
  if (keywords.length > MAX_KEYWORDS)
    throw new QueryInputError(
      "filter.keywords",
      `at most ${MAX_KEYWORDS} keywords are allowed, not ${keywords.length}`,
    );
  const kept: string[] = [];
  for (const k of keywords) {
    if (k.length > MAX_KEYWORD_LENGTH)
      throw new QueryInputError(
        "filter.keywords",
        `a keyword may have at most ${MAX_KEYWORD_LENGTH} characters`,
      );
    if (k.trim() === "") continue;
    // The store's analyser keeps letters and digits only: a keyword without any would match
    // nothing there and everything in text the gateway matches itself.
    if (!/[\p{L}\p{N}]/u.test(k))
      throw new QueryInputError(
        "filter.keywords",
        `the keyword "${k.slice(0, 40)}" has no letter or digit: keywords are words to find, not patterns`,
      );
    kept.push(k);
  }
  return kept;
}

/** One page merged across the stores (`searchPage`), each hit made an entry by `toEntry`. */
export async function storePage<E>(
  options: EntrySearchOptions,
  { spec, searched, range }: PreparedSearch,
  { order, first, after }: PagePosition,
  countTotal: boolean,
  toEntry: (cluster: string, key: SortKey, source: unknown, order: Order) => E,
): Promise<EntryPage<E>> {
  const result = await searchPage(searched.targets, spec, {
    range,
    first,
    order,
    countTotal,
    ...(after ? { after } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  recordFailures(options.outcomes, searched, result.failures);
  return {
    entries: result.hits.map((hit) => toEntry(hit.cluster, hit.key, hit.source, order)),
    hasNextPage: result.hasNextPage,
    totalCount: result.total,
    outcomes: storeOutcomes(options.outcomes, searched),
    requests: result.requests,
  };
}

/** How many stored entries fell in each interval of the range, across the stores. */
export async function storeHistogram(
  options: EntrySearchOptions,
  { spec, searched, range }: PreparedSearch,
  interval: string | null | undefined,
): Promise<Histogram & { outcomes: PageOutcome[] }> {
  const chosen = chooseInterval(range, interval);
  const result = await histogram(searched.targets, spec, range, chosen, options.signal);
  recordFailures(options.outcomes, searched, result.failures);
  return { ...result, outcomes: storeOutcomes(options.outcomes, searched) };
}
