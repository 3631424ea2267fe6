/**
 * How many entries fall in each interval of a range, across stores: one date_histogram per store
 * (fixed intervals, which Elasticsearch aligns to the epoch, so every store's buckets line up) and
 * the counts summed per bucket. Empty intervals are kept, so a chart has every point.
 */
import type { estypes } from "@elastic/elasticsearch";
import { QueryInputError } from "../cache/query/errors.js";
import {
  SEARCH_OPTIONS,
  asStoreError,
  indicesFor,
  storeQuery,
  type SearchSpec,
  type StoreFailure,
} from "./store-search.js";
import { groupByStore, type LogTarget } from "./targets.js";
import type { TimeRange } from "./time-range.js";

export const MAX_BUCKETS = 1000;
const DEFAULT_BUCKETS = 60;
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const NICE_INTERVALS = ["1s", "5s", "10s", "30s", "1m", "5m", "10m", "30m", "1h", "3h", "6h", "12h", "1d"];

export interface Bucket {
  /** The interval's start, epoch ms. */
  time: number;
  count: number;
}

export interface Histogram {
  /** The interval as Elasticsearch's fixed_interval writes it, e.g. "5m". */
  interval: string;
  buckets: Bucket[];
  total: number;
  failures: StoreFailure[];
}

/** "30s", "5m", "1h", "1d" -> milliseconds; anything else is refused with the forms accepted. */
export function intervalMs(interval: string, argument = "interval"): number {
  const match = /^([1-9]\d{0,5})([smhd])$/.exec(interval);
  if (!match)
    throw new QueryInputError(
      argument,
      `interval "${interval}" is not a duration such as 30s, 5m, 1h or 1d (a whole number and one of s, m, h, d)`,
    );
  return Number(match[1]) * UNITS[match[2]!]!;
}

/** The interval asked for, or the nicest one giving about 60 buckets; never more than 1,000 buckets. */
export function chooseInterval(range: TimeRange, asked: string | null | undefined): string {
  const span = range.end - range.start + 1;
  if (asked) {
    const buckets = Math.ceil(span / intervalMs(asked)) + 1;
    if (buckets > MAX_BUCKETS)
      throw new QueryInputError(
        "interval",
        `interval ${asked} cuts the range into ${buckets} buckets; at most ${MAX_BUCKETS} are allowed: choose a longer interval or a shorter range`,
      );
    return asked;
  }
  return NICE_INTERVALS.find((i) => span / intervalMs(i) <= DEFAULT_BUCKETS) ?? "1d";
}

interface HistogramAggregation {
  histogram: estypes.AggregationsDateHistogramAggregate;
}

export async function histogram(
  targets: readonly LogTarget[],
  spec: SearchSpec,
  range: TimeRange,
  interval: string,
  signal?: AbortSignal,
): Promise<Histogram> {
  const step = intervalMs(interval);
  const counts = new Map<number, number>();
  // Every bucket of the range, present even when no store has an entry in it.
  for (let t = Math.floor(range.start / step) * step; t <= range.end; t += step) counts.set(t, 0);
  const failures: StoreFailure[] = [];
  let total = 0;
  await Promise.all(
    groupByStore(targets).map(async (group) => {
      try {
        const answer = await group.source.client.search<unknown>(
          {
            index: indicesFor(group, spec, range),
            ...SEARCH_OPTIONS,
            query: storeQuery(group, spec, range),
            size: 0,
            track_total_hits: true,
            aggs: {
              histogram: {
                date_histogram: {
                  field: spec.timeField,
                  fixed_interval: interval,
                  min_doc_count: 0,
                  extended_bounds: { min: range.start, max: range.end },
                },
              },
            },
          },
          signal,
        );
        const aggregation = (answer.aggregations as HistogramAggregation | undefined)?.histogram;
        const buckets = Array.isArray(aggregation?.buckets) ? aggregation.buckets : [];
        for (const b of buckets) {
          const key = Number(b.key);
          counts.set(key, (counts.get(key) ?? 0) + b.doc_count);
          total += b.doc_count;
        }
      } catch (error) {
        failures.push({ clusters: group.targets.map((t) => t.cluster), error: asStoreError(group, error) });
      }
    }),
  );
  const buckets = [...counts].sort((a, b) => a[0] - b[0]).map(([time, count]) => ({ time, count }));
  return { interval, buckets, total, failures };
}
