/**
 * What the resolvers of stored entries share (log lines, event history, audit): the page
 * arguments and the request they make, the connection a page is answered with, and the
 * histogram's argument and view.
 */
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Int } from "type-graphql";
import type { EntryPage, EntryPageRequest } from "../src/logs/entry-search.js";
import type { Histogram as HistogramData } from "../src/logs/histogram.js";
import type { PageOutcome } from "../src/query-service/outcomes.js";
import type { ConnectionShape } from "../schema/connection.js";
import { LogDirection, type Histogram } from "../schema/logs.js";
import { outcomeView, type OutcomeView } from "./connection.js";
import { selectsField } from "./selection.js";

/**
 * Pages of entries are merged across clusters: priced as one page, not one per cluster, and as
 * one upstream call (a search per store, and the stores are fewer than the clusters).
 */
export const MERGED_PAGE = { mergedPage: true, upstreamCalls: 1 };

/**
 * A field that sends a log store search (or reads pods/log) each time it resolves: priced like 100
 * objects per resolution on top of its page, so `pods(first: 1000) { logs { ... } }` is refused.
 */
export const PER_OBJECT_SEARCH = { perCallCost: 100, upstreamCalls: 1 };

export const pageArgs = {
  first: () => Arg("first", () => Int, { nullable: true, description: "At most 1,000; default 100." }),
  after: () =>
    Arg("after", () => String, { nullable: true, description: "An entry's cursor: the page after it." }),
  direction: () =>
    Arg("direction", () => LogDirection, {
      nullable: true,
      defaultValue: LogDirection.NEWEST_FIRST,
      description: "Default NEWEST_FIRST.",
    }),
};

/** The page the arguments ask for; the total is counted only when the query selects it. */
export function pageRequest(
  first: number | null,
  after: string | null,
  direction: LogDirection,
  info: GraphQLResolveInfo,
): EntryPageRequest {
  return { first, after, direction, countTotal: selectsField(info, "totalCount") };
}

export function entryConnection<E extends { cursor: string }>(
  page: EntryPage<E>,
): ConnectionShape<E, OutcomeView> {
  const last = page.entries.at(-1);
  return {
    edges: page.entries.map((node) => ({ cursor: node.cursor, node })),
    nodes: page.entries,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: page.entries[0]?.cursor ?? null,
      endCursor: page.endCursor ?? last?.cursor ?? null,
    },
    totalCount: page.totalCount,
    outcomes: page.outcomes.map(outcomeView),
    watchCursor: null,
  };
}

export const intervalArg = () =>
  Arg("interval", () => String, {
    nullable: true,
    description:
      'A duration such as "30s", "5m", "1h" or "1d"; default about 60 buckets. At most 1,000 buckets.',
  });

export function histogramView(result: HistogramData & { outcomes: PageOutcome[] }): Histogram {
  return {
    interval: result.interval,
    buckets: result.buckets.map((b) => ({ time: new Date(b.time), count: b.count })),
    total: result.total,
    outcomes: result.outcomes.map(outcomeView),
  };
}
