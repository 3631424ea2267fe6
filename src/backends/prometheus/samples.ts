/**
 * What /api/v1/query and /api/v1/query_range answer, turned into plain numbers. Prometheus sends
 * every sample value as a string (JSON has no NaN or infinities); a 2xx answer whose shape is not
 * the documented one is thrown as an AnswerShapeError for the client to report.
 */

export interface InstantSample {
  labels: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  labels: Record<string, string>;
  points: Array<[timeSeconds: number, value: number]>;
}

/** Unix seconds; `step` in seconds. */
export interface RangeWindow {
  start: number;
  end: number;
  step: number;
}

/** The success envelope's `data`, before its `result` is read. */
export interface QueryData {
  resultType: string;
  result: unknown;
}

export class AnswerShapeError extends Error {
  override readonly name = "AnswerShapeError";
}

/** `"NaN"`, `"+Inf"` and `"-Inf"` are how Prometheus writes the floats JSON cannot hold. */
export function sampleValue(text: unknown): number {
  if (typeof text !== "string") throw new AnswerShapeError(`a sample value is ${typeof text}, not a string`);
  if (text === "+Inf" || text === "Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN") return Number.NaN;
  const value = Number(text);
  if (text.trim() === "" || Number.isNaN(value))
    throw new AnswerShapeError(`"${text}" is not a sample value`);
  return value;
}

/** The success envelope's data; anything else is not Prometheus's query API. */
export function queryData(envelope: unknown): QueryData {
  const data = isObject(envelope) && envelope.status === "success" ? envelope.data : undefined;
  if (!isObject(data) || typeof data.resultType !== "string")
    throw new AnswerShapeError('no "data.resultType" in a "success" answer');
  return { resultType: data.resultType, result: data.result };
}

/** A vector's samples; samples carrying a native histogram instead of a value are left out. */
export function vectorSamples(result: unknown): InstantSample[] {
  return list(result).flatMap((entry) => {
    if (!isObject(entry)) throw new AnswerShapeError("a vector entry is not an object");
    if (entry.value === undefined && entry.histogram !== undefined) return [];
    return [{ labels: labelsOf(entry.metric), value: sampleValue(point(entry.value)[1]) }];
  });
}

/** A scalar is one value without labels: a single sample, so callers handle one shape. */
export function scalarSamples(result: unknown): InstantSample[] {
  return [{ labels: {}, value: sampleValue(point(result)[1]) }];
}

export function matrixSeries(result: unknown): RangeSeries[] {
  return list(result).map((entry) => {
    if (!isObject(entry)) throw new AnswerShapeError("a matrix entry is not an object");
    const values = entry.values === undefined ? [] : list(entry.values);
    return {
      labels: labelsOf(entry.metric),
      points: values.map((raw): [number, number] => {
        const [time, value] = point(raw);
        return [time, sampleValue(value)];
      }),
    };
  });
}

/** Warnings Prometheus attached to a successful answer (e.g. a partial answer from Thanos). */
export function warningsOf(envelope: unknown): string[] {
  const warnings = isObject(envelope) ? envelope.warnings : undefined;
  return Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === "string") : [];
}

function point(raw: unknown): [number, unknown] {
  if (!Array.isArray(raw) || raw.length !== 2 || typeof raw[0] !== "number")
    throw new AnswerShapeError("a sample is not a [time, value] pair");
  return [raw[0], raw[1]];
}

function labelsOf(metric: unknown): Record<string, string> {
  if (metric === undefined) return {};
  if (!isObject(metric)) throw new AnswerShapeError("a series' metric is not an object");
  const entries = Object.entries(metric);
  for (const [name, value] of entries)
    if (typeof value !== "string") throw new AnswerShapeError(`label ${name} is not a string`);
  // fromEntries defines own properties: a label named __proto__ stays a label.
  return Object.fromEntries(entries) as Record<string, string>;
}

function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new AnswerShapeError("a result is not a list");
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
