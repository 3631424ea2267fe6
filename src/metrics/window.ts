/**
 * The time window of a `metrics(range:)` field, checked and aligned: start and end on multiples
 * of the step (so the same chart asked twice is the same query, and cacheable), the step at least
 * a second, and the number of points bounded — Prometheus refuses more than 11,000 per series,
 * and a dashboard never draws that many.
 */
import { QueryInputError } from "../cache/query/errors.js";
import type { RangeWindow } from "./sources.js";

export const MAX_POINTS = 1_000;
export const MIN_STEP_SECONDS = 1;
/** Fifteen days: the retention of a default Prometheus. */
export const MAX_RANGE_SECONDS = 15 * 24 * 3600;
/** The points a range asks for when it names none: 60 (an hour at a minute). */
export const DEFAULT_POINTS = 60;

export interface RangeInput {
  start: Date;
  end?: Date | null;
  /** Seconds between points; default (end - start) / 60. */
  step?: number | null;
}

export interface AlignedWindow extends RangeWindow {
  /** Points in the window: (end - start) / step + 1. */
  points: number;
}

export function alignWindow(input: RangeInput, nowMs: number = Date.now()): AlignedWindow {
  const endMs = input.end?.getTime() ?? nowMs;
  const startMs = input.start.getTime();
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs))
    throw new QueryInputError("range", "range.start and range.end must be valid times");
  if (endMs <= startMs) throw new QueryInputError("range", "range.end must be after range.start");
  const span = (endMs - startMs) / 1000;
  if (span > MAX_RANGE_SECONDS)
    throw new QueryInputError("range", `a range may span at most ${MAX_RANGE_SECONDS / 86400} days`);
  if (endMs > nowMs + 3600_000)
    throw new QueryInputError("range", "range.end is more than an hour in the future");
  const step = input.step ?? Math.max(MIN_STEP_SECONDS, Math.ceil(span / DEFAULT_POINTS));
  if (!Number.isInteger(step) || step < MIN_STEP_SECONDS)
    throw new QueryInputError(
      "range",
      `range.step must be a whole number of seconds, at least ${MIN_STEP_SECONDS}`,
    );
  const start = Math.floor(startMs / 1000 / step) * step;
  const end = Math.ceil(endMs / 1000 / step) * step;
  const points = (end - start) / step + 1;
  if (points > MAX_POINTS)
    throw new QueryInputError(
      "range",
      `the range has ${points} points at a ${step} s step; at most ${MAX_POINTS} (use a step of at least ${Math.ceil((end - start) / (MAX_POINTS - 1))} s)`,
    );
  return { start, end, step, points };
}

/** Values at start, start+step, ... end; null where Prometheus had no point. */
export function alignedValues(
  window: AlignedWindow,
  points: ReadonlyArray<readonly [number, number]>,
): (number | null)[] {
  const values: (number | null)[] = new Array<number | null>(window.points).fill(null);
  for (const [time, value] of points) {
    const i = Math.round((time - window.start) / window.step);
    if (i >= 0 && i < window.points && Number.isFinite(value)) values[i] = value;
  }
  return values;
}
