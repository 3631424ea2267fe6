/**
 * Aggregations over the documents a search matched: date_histogram (fixed_interval and
 * calendar_interval, UTC), terms, cardinality, min, max, avg, sum, value_count, with
 * sub-aggregations at any depth. Results have ES's shapes. Being computed over every index at once
 * (not per shard and then merged) makes `terms` counts exact: doc_count_error_upper_bound is 0,
 * and cardinality is exact rather than HyperLogLog++.
 */
import { formatDate, resolveDateMath, roundDown } from "./date-math.js";
import { EsError, esErrors, text } from "./errors.js";
import type { LogIndex } from "./log-index.js";
import type { LeafField } from "./mapping.js";

/** Documents of one index (sorted ordinals). */
export interface Part {
  index: LogIndex;
  docs: ArrayLike<number>;
}

type Json = Record<string, unknown>;

export interface AggregationLimits {
  maxBuckets: number;
  now: number;
}

interface AggSpec {
  name: string;
  type: string;
  params: Json;
  subs: AggSpec[];
}

const SUPPORTED = new Set([
  "date_histogram",
  "terms",
  "cardinality",
  "min",
  "max",
  "avg",
  "sum",
  "value_count",
]);

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function parseAggregations(json: unknown): AggSpec[] {
  if (!isObject(json))
    throw esErrors.parsing("Expected [START_OBJECT] under [aggregations], but got a value");
  return Object.entries(json).map(([name, body]) => {
    if (!isObject(body)) throw esErrors.parsing(`Expected [START_OBJECT] under [${name}], but got a value`);
    let type: string | undefined;
    let subs: AggSpec[] = [];
    for (const [key, value] of Object.entries(body)) {
      if (key === "aggs" || key === "aggregations") subs = parseAggregations(value);
      else if (key === "meta") continue;
      else if (type !== undefined) {
        throw esErrors.parsing(`Found two aggregation type definitions in [${name}]: [${type}] and [${key}]`);
      } else type = key;
    }
    if (type === undefined) throw esErrors.parsing(`Missing definition for aggregation [${name}]`);
    if (!SUPPORTED.has(type)) {
      throw esErrors.parsing(`[sim] aggregation type [${type}] is not simulated by the fleetgraph log store`);
    }
    const params = body[type];
    if (!isObject(params)) throw esErrors.parsing(`[${type}] aggregation [${name}] must be an object`);
    if (type === "date_histogram" && "interval" in params) {
      throw esErrors.parsing("[date_histogram] unknown field [interval]");
    }
    return { name, type, params, subs };
  });
}

export class Aggregator {
  private buckets = 0;

  constructor(private readonly limits: AggregationLimits) {}

  run(specs: AggSpec[], parts: Part[]): Json {
    const out: Json = {};
    for (const spec of specs) out[spec.name] = this.one(spec, parts);
    return out;
  }

  private one(spec: AggSpec, parts: Part[]): Json {
    const fieldName = spec.params.field;
    if (typeof fieldName !== "string") {
      throw esErrors.illegalArgument(`Required one of fields [field, script], but none were specified.`);
    }
    const leaf = leafOf(parts, fieldName);
    if (leaf?.kind === "text") {
      throw esErrors.illegalArgument(
        `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${fieldName}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
      );
    }
    switch (spec.type) {
      case "date_histogram":
        return this.dateHistogram(spec, parts, fieldName, leaf);
      case "terms":
        return this.terms(spec, parts, fieldName, leaf);
      default:
        return metric(spec.type, parts, fieldName, leaf);
    }
  }

  private dateHistogram(spec: AggSpec, parts: Part[], field: string, leaf: LeafField | undefined): Json {
    const p = spec.params;
    const step = intervalOf(p);
    const minDocCount = typeof p.min_doc_count === "number" ? p.min_doc_count : 0;
    if (p.time_zone !== undefined && !["UTC", "Z", "+00:00", "Etc/UTC", "GMT"].includes(text(p.time_zone))) {
      throw esErrors.illegalArgument(
        `[sim] date_histogram time_zone [${text(p.time_zone)}] is not simulated (UTC only)`,
      );
    }
    if (leaf && leaf.kind !== "date" && leaf.kind !== "number") {
      throw esErrors.illegalArgument(
        `Field [${field}] of type [${leaf.type}] is not supported for aggregation [date_histogram]`,
      );
    }
    const groups = new Map<number, Map<LogIndex, number[]>>();
    for (const part of parts) {
      forEachNumber(part, field, (doc, values) => {
        for (const key of new Set(values.map((t) => step.floor(t)))) addDoc(groups, key, part.index, doc);
      });
    }
    const keys = [...groups.keys()].sort((a, b) => a - b);
    let lo = keys[0];
    let hi = keys[keys.length - 1];
    const bounds = p.extended_bounds;
    if (isObject(bounds)) {
      const at = (v: unknown) =>
        step.floor(
          resolveDateMath(typeof v === "number" ? v : String(v), {
            now: this.limits.now,
            format: text(p.format ?? "strict_date_optional_time||epoch_millis"),
          }),
        );
      if (bounds.min !== undefined) lo = lo === undefined ? at(bounds.min) : Math.min(lo, at(bounds.min));
      if (bounds.max !== undefined) hi = hi === undefined ? at(bounds.max) : Math.max(hi, at(bounds.max));
    }
    const buckets: Json[] = [];
    const emit = (key: number) => {
      const members = groups.get(key);
      const count = members ? countOf(members) : 0;
      if (count < minDocCount) return;
      this.countBucket();
      buckets.push({
        key_as_string: formatKey(key, p.format),
        key,
        doc_count: count,
        ...this.run(spec.subs, partsOf(members)),
      });
    };
    if (minDocCount === 0 && lo !== undefined && hi !== undefined) {
      for (let key = lo; key <= hi; key = step.next(key)) emit(key);
    } else for (const key of keys) emit(key);
    return { buckets };
  }

  private terms(spec: AggSpec, parts: Part[], field: string, leaf: LeafField | undefined): Json {
    const p = spec.params;
    const size = typeof p.size === "number" ? p.size : 10;
    const minDocCount = typeof p.min_doc_count === "number" ? p.min_doc_count : 1;
    const groups = new Map<string | number, Map<LogIndex, number[]>>();
    let total = 0;
    for (const part of parts) {
      if (leaf?.kind === "keyword" || leaf === undefined) {
        const column = part.index.field(field)?.keywords;
        for (let i = 0; i < part.docs.length; i++) {
          const doc = part.docs[i]!;
          const v =
            column?.[part.index.position(doc)] ?? (p.missing !== undefined ? text(p.missing) : undefined);
          if (v === undefined) continue;
          for (const key of typeof v === "string" ? [v] : v) addDoc(groups, key, part.index, doc);
          total += typeof v === "string" ? 1 : v.length;
        }
      } else {
        forEachNumber(part, field, (doc, values) => {
          for (const key of new Set(values)) addDoc(groups, key, part.index, doc);
          total += new Set(values).size;
        });
      }
    }
    const order = orderOf(p.order);
    const entries = [...groups.entries()]
      .map(([key, members]) => ({ key, members, count: countOf(members) }))
      .filter((e) => e.count >= minDocCount)
      .sort((a, b) => {
        for (const [by, dir] of order) {
          const c = by === "_count" ? a.count - b.count : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
          if (c !== 0) return dir === "asc" ? c : -c;
        }
        return 0;
      });
    const top = entries.slice(0, size);
    let shown = 0;
    const buckets = top.map((e) => {
      shown += e.count;
      this.countBucket();
      const key = leaf?.kind === "boolean" ? e.key : e.key;
      return {
        key,
        ...(leaf?.kind === "date" ? { key_as_string: formatDate(e.key as number) } : {}),
        ...(leaf?.kind === "boolean" ? { key_as_string: e.key === 1 ? "true" : "false" } : {}),
        doc_count: e.count,
        ...this.run(spec.subs, partsOf(e.members)),
      };
    });
    return { doc_count_error_upper_bound: 0, sum_other_doc_count: total - shown, buckets };
  }

  private countBucket(): void {
    if (++this.buckets > this.limits.maxBuckets) {
      throw new EsError(
        400,
        "too_many_buckets_exception",
        `Trying to create too many buckets. Must be less than or equal to: [${this.limits.maxBuckets}] but this number of buckets was exceeded. This limit can be set by changing the [search.max_buckets] cluster level setting.`,
        { extra: { max_buckets: this.limits.maxBuckets } },
      );
    }
  }
}

function metric(type: string, parts: Part[], field: string, leaf: LeafField | undefined): Json {
  if (type === "cardinality" || type === "value_count") {
    const distinct = new Set<string | number>();
    let count = 0;
    for (const part of parts) {
      if (leaf?.kind === "keyword") {
        const column = part.index.field(field)?.keywords;
        for (let i = 0; i < part.docs.length; i++) {
          const v = column?.[part.index.position(part.docs[i]!)];
          if (v === undefined) continue;
          for (const key of typeof v === "string" ? [v] : v) distinct.add(key);
          count += typeof v === "string" ? 1 : v.length;
        }
      } else {
        forEachNumber(part, field, (_doc, values) => {
          for (const v of values) distinct.add(v);
          count += values.length;
        });
      }
    }
    return { value: type === "cardinality" ? distinct.size : count };
  }
  if (leaf?.kind === "keyword") {
    throw esErrors.illegalArgument(
      `Field [${field}] of type [${leaf.type}] is not supported for aggregation [${type}]`,
    );
  }
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const part of parts) {
    forEachNumber(part, field, (_doc, values) => {
      for (const v of values) {
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        n++;
      }
    });
  }
  const value = type === "min" ? min : type === "max" ? max : type === "sum" ? sum : n ? sum / n : null;
  if (type === "sum") return { value: sum };
  if (value === null || !Number.isFinite(value)) return { value: null };
  return { value, ...(leaf?.kind === "date" ? { value_as_string: formatDate(value) } : {}) };
}

function leafOf(parts: Part[], field: string): LeafField | undefined {
  for (const part of parts) {
    const leaf = part.index.mapping.field(field);
    if (leaf) return leaf;
  }
  return undefined;
}

function forEachNumber(part: Part, field: string, visit: (doc: number, values: number[]) => void): void {
  const f = part.index.field(field);
  if (!f) return;
  for (let i = 0; i < part.docs.length; i++) {
    const doc = part.docs[i]!;
    const n = f.numbers[part.index.position(doc)];
    if (n === undefined || Number.isNaN(n)) continue;
    visit(doc, f.moreNumbers.get(doc) ?? [n]);
  }
}

function addDoc<K>(groups: Map<K, Map<LogIndex, number[]>>, key: K, index: LogIndex, doc: number): void {
  let members = groups.get(key);
  if (!members) groups.set(key, (members = new Map<LogIndex, number[]>()));
  const docs = members.get(index);
  if (!docs) members.set(index, [doc]);
  else if (docs[docs.length - 1] !== doc) docs.push(doc);
}

function countOf(members: Map<LogIndex, number[]>): number {
  let n = 0;
  for (const docs of members.values()) n += docs.length;
  return n;
}

function partsOf(members: Map<LogIndex, number[]> | undefined): Part[] {
  return members ? [...members].map(([index, docs]) => ({ index, docs })) : [];
}

function orderOf(raw: unknown): [string, "asc" | "desc"][] {
  const items = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out: [string, "asc" | "desc"][] = [];
  for (const item of items) {
    if (!isObject(item)) throw esErrors.parsing("[terms] order must be an object");
    for (const [by, dir] of Object.entries(item)) {
      if (by !== "_count" && by !== "_key") {
        throw esErrors.illegalArgument(
          `[sim] terms order by [${by}] is not simulated (only _count and _key)`,
        );
      }
      out.push([by, String(dir) === "asc" ? "asc" : "desc"]);
    }
  }
  if (!out.some(([by]) => by === "_count"))
    return out.length
      ? out
      : [
          ["_count", "desc"],
          ["_key", "asc"],
        ];
  if (!out.some(([by]) => by === "_key")) out.push(["_key", "asc"]);
  return out;
}

interface Step {
  floor(t: number): number;
  next(t: number): number;
}

const FIXED_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const CALENDAR: Record<string, string> = {
  minute: "m",
  "1m": "m",
  hour: "h",
  "1h": "h",
  day: "d",
  "1d": "d",
  week: "w",
  "1w": "w",
  month: "M",
  "1M": "M",
  quarter: "q",
  "1q": "q",
  year: "y",
  "1y": "y",
};

function intervalOf(p: Json): Step {
  if (p.fixed_interval !== undefined && p.calendar_interval !== undefined) {
    throw esErrors.illegalArgument(
      "Cannot use [fixed_interval] with [calendar_interval] configuration option.",
    );
  }
  if (p.fixed_interval !== undefined) {
    const m = /^(\d+)(ms|s|m|h|d)$/.exec(text(p.fixed_interval));
    if (!m || Number(m[1]) === 0) {
      throw esErrors.illegalArgument(
        `failed to parse setting [date_histogram.fixedInterval] with value [${text(p.fixed_interval)}] as a time value: unit is missing or unrecognized`,
      );
    }
    const ms = Number(m[1]) * FIXED_UNITS[m[2]!]!;
    return { floor: (t) => Math.floor(t / ms) * ms, next: (t) => t + ms };
  }
  if (p.calendar_interval !== undefined) {
    const unit = CALENDAR[text(p.calendar_interval)];
    if (!unit) {
      throw esErrors.illegalArgument(
        `The supplied interval [${text(p.calendar_interval)}] could not be parsed as a calendar interval.`,
      );
    }
    if (unit === "q") {
      return {
        floor: (t) => {
          const d = new Date(t);
          return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
        },
        next: (t) => new Date(t).setUTCMonth(new Date(t).getUTCMonth() + 3),
      };
    }
    return {
      floor: (t) => roundDown(t, unit),
      next: (t) => {
        const d = new Date(t);
        if (unit === "M") return d.setUTCMonth(d.getUTCMonth() + 1);
        if (unit === "y") return d.setUTCFullYear(d.getUTCFullYear() + 1);
        return t + { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[unit as "m"];
      },
    };
  }
  throw esErrors.illegalArgument("Invalid interval specified, must be non-null and non-empty");
}

function formatKey(key: number, format: unknown): string {
  if (format === "epoch_millis") return String(key);
  if (format === "yyyy-MM-dd" || format === "strict_date") return formatDate(key).slice(0, 10);
  return formatDate(key);
}
