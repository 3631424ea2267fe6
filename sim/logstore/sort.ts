/**
 * Sorting hits: `sort` as ES accepts it (a field name, `{field: order}`, `{field: {order, missing,
 * mode, unmapped_type}}`, or a list of those; `_score`, `_doc`, `_index`), the sort values hits
 * carry (dates as epoch milliseconds, missing numbers as Long.MAX_VALUE/MIN_VALUE the way ES
 * reports them) and `search_after`. Sorting on `_id` or a text field fails as in ES 8.
 */
import { parseDate } from "./date-math.js";
import { esErrors, text, type EsError } from "./errors.js";
import type { LogIndex } from "./log-index.js";

export interface SortSpec {
  field: string;
  order: "asc" | "desc";
  /** "_last" (default), "_first", or a value standing in for missing ones. */
  missing: unknown;
  mode: "min" | "max" | undefined;
  unmappedType: string | undefined;
}

export type SortValue = number | string | null;

// Long.MAX_VALUE and MIN_VALUE as a JavaScript number reads them (the client parses them so too).
const LONG_MAX = 2 ** 63;
const LONG_MIN = -(2 ** 63);

type Json = Record<string, unknown>;

export function parseSort(raw: unknown): SortSpec[] {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  const out: SortSpec[] = [];
  for (const item of items) {
    if (typeof item === "string") {
      // The query-string form `field:desc` as well as a plain name.
      const [field, order] = item.split(":");
      out.push(spec(field!, order ?? (field === "_score" ? "desc" : "asc"), {}));
      continue;
    }
    if (item && typeof item === "object" && !Array.isArray(item)) {
      for (const [field, value] of Object.entries(item as Json)) {
        if (typeof value === "string") out.push(spec(field, value, {}));
        else if (value && typeof value === "object") {
          const options = value as Json;
          out.push(spec(field, text(options.order ?? (field === "_score" ? "desc" : "asc")), options));
        } else throw esErrors.parsing(`[sort] unknown value for field [${field}]`);
      }
      continue;
    }
    throw esErrors.parsing("[sort] malformed sort");
  }
  return out;
}

function spec(field: string, order: string, options: Json): SortSpec {
  const o = order.toLowerCase();
  if (o !== "asc" && o !== "desc") throw esErrors.illegalArgument(`Unknown SortOrder [${order}]`);
  const mode = options.mode === "min" || options.mode === "max" ? options.mode : undefined;
  return {
    field,
    order: o,
    missing: options.missing ?? "_last",
    mode,
    unmappedType: typeof options.unmapped_type === "string" ? options.unmapped_type : undefined,
  };
}

/** Checks the sort against an index before searching it: ES's errors for _id, text and unmapped fields. */
export function checkSort(specs: SortSpec[], index: LogIndex): EsError | undefined {
  for (const s of specs) {
    if (s.field === "_score" || s.field === "_doc" || s.field === "_index") continue;
    if (s.field === "_id") {
      return esErrors.illegalArgument(
        "Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled",
      );
    }
    const leaf = index.mapping.field(s.field);
    if (!leaf) {
      if (s.unmappedType) continue;
      return esErrors.queryShard(index.name, `No mapping found for [${s.field}] in order to sort on`);
    }
    if (leaf.kind === "text") {
      return esErrors.illegalArgument(
        `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${s.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
      );
    }
  }
  return undefined;
}

/** Whether a sort field compares as strings (keywords, `_index`) rather than numbers. */
export function isStringSort(s: SortSpec, indices: LogIndex[]): boolean {
  if (s.field === "_index") return true;
  if (s.field === "_score" || s.field === "_doc") return false;
  for (const index of indices) {
    const leaf = index.mapping.field(s.field);
    if (leaf) return leaf.kind === "keyword";
  }
  return s.unmappedType === "keyword";
}

/** The sort value of one document for one sort field. */
export function sortValue(
  s: SortSpec,
  isString: boolean,
  index: LogIndex,
  doc: number,
  score: number,
): SortValue {
  if (s.field === "_score") return score;
  if (s.field === "_doc") return doc;
  if (s.field === "_index") return index.name;
  const field = index.field(s.field);
  const p = index.position(doc);
  const useMax = s.mode ? s.mode === "max" : s.order === "desc";
  if (isString) {
    const v = field?.keywords[p];
    if (v === undefined) return missingValue(s, true);
    if (typeof v === "string") return v;
    return useMax ? v[v.length - 1]! : v[0]!;
  }
  const n = field?.numbers[p];
  if (n === undefined || Number.isNaN(n)) return missingValue(s, false);
  const more = field!.moreNumbers.get(doc);
  if (more) return useMax ? Math.max(...more) : Math.min(...more);
  return n;
}

function missingValue(s: SortSpec, isString: boolean): SortValue {
  const first = s.missing === "_first";
  if (s.missing !== "_last" && s.missing !== "_first") {
    if (isString) return String(s.missing);
    const n = Number(s.missing);
    return Number.isFinite(n) ? n : (parseDate(s.missing) ?? null);
  }
  if (isString) return null;
  // Missing numbers sort as the extreme long that puts them first or last.
  return (s.order === "asc") !== first ? LONG_MAX : LONG_MIN;
}

/** Compares two sort-value tuples under the specs (nulls: missing keywords, placed by `missing`). */
export function compareTuples(specs: SortSpec[], a: SortValue[], b: SortValue[]): number {
  for (let i = 0; i < specs.length; i++) {
    const c = compareValues(specs[i]!, a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

function compareValues(s: SortSpec, x: SortValue, y: SortValue): number {
  if (x === y) return 0;
  if (x === null || y === null) {
    // Missing keywords go last unless `_first`, whatever the order.
    const missingFirst = s.missing === "_first";
    return (x === null) === missingFirst ? -1 : 1;
  }
  const c = x < y ? -1 : x > y ? 1 : 0;
  return s.order === "asc" ? c : -c;
}

/** `search_after` values as the sort compares them (dates may come as strings). */
export function parseSearchAfter(values: unknown, specs: SortSpec[], stringSorts: boolean[]): SortValue[] {
  if (!Array.isArray(values)) throw esErrors.parsing("[search_after] must be an array");
  if (values.length !== specs.length) {
    throw esErrors.illegalArgument(
      `search_after has ${values.length} value(s) but sort has ${specs.length}.`,
    );
  }
  return values.map((v, i) => {
    if (v === null) return null;
    if (stringSorts[i]) return String(v);
    if (typeof v === "number") return v;
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    const t = parseDate(v);
    if (t === undefined) throw esErrors.illegalArgument(`Failed to parse search_after value [${String(v)}]`);
    return t;
  });
}
