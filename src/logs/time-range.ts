/**
 * The time range of a log, event or audit search: bounded (so no search walks years of indices)
 * and turned into the names of the daily indices it covers, never a `*` over every day.
 */
import { QueryInputError } from "../cache/query/errors.js";

export interface TimeRange {
  /** Epoch milliseconds, inclusive. */
  start: number;
  /** Epoch milliseconds, inclusive. */
  end: number;
}

export interface TimeRangeInput {
  start?: Date | null;
  end?: Date | null;
}

export const DEFAULT_RANGE_MS = 60 * 60 * 1000;
export const MAX_RANGE_DAYS = 31;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The range asked for, defaults applied: the last hour up to now. */
export function resolveRange(
  input: TimeRangeInput | null | undefined,
  now: number,
  argument = "filter.range",
): TimeRange {
  const endDate = input?.end ?? undefined;
  const startDate = input?.start ?? undefined;
  for (const [name, date] of [
    ["start", startDate],
    ["end", endDate],
  ] as const)
    if (date !== undefined && !Number.isFinite(date.getTime()))
      throw new QueryInputError(`${argument}.${name}`, `${argument}.${name} is not a valid date-time`);
  const end = endDate?.getTime() ?? now;
  const start = startDate?.getTime() ?? end - DEFAULT_RANGE_MS;
  if (start > end)
    throw new QueryInputError(
      argument,
      `${argument} starts (${new Date(start).toISOString()}) after it ends (${new Date(end).toISOString()})`,
    );
  if (end - start > MAX_RANGE_DAYS * DAY_MS)
    throw new QueryInputError(
      argument,
      `${argument} spans ${Math.ceil((end - start) / DAY_MS)} days; at most ${MAX_RANGE_DAYS} days can be searched at once`,
    );
  return { start, end };
}

/**
 * `prefix-YYYY.MM.DD` for every UTC day the range touches, oldest first, and the day after it: a
 * pipeline names the index by when it ingests a document, which trails the document's own time
 * (a request received at 23:50 and logged when it completes at 00:20 is in the next day's index).
 * Days without an index cost nothing (`ignore_unavailable`).
 */
export function dailyIndices(prefix: string, range: TimeRange): string[] {
  const names: string[] = [];
  const first = Math.floor(range.start / DAY_MS) * DAY_MS;
  for (let day = first; day <= range.end + DAY_MS; day += DAY_MS) {
    const d = new Date(day);
    const mm = String(d.getUTCMonth() + 1).padStart(2, "0");
    const dd = String(d.getUTCDate()).padStart(2, "0");
    names.push(`${prefix}-${d.getUTCFullYear()}.${mm}.${dd}`);
  }
  return names;
}
