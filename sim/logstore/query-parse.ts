/**
 * The query DSL, parsed into a tree the evaluator runs: bool, match_all, match_none, term, terms,
 * match, match_phrase, match_phrase_prefix, wildcard, prefix, range, exists, ids. Malformed queries
 * fail as ES fails them (400 parsing_exception: `unknown query [x]`, `[term] query doesn't support
 * multiple fields`, ...). `leafCount` counts clauses the way Lucene's IndexSearcher does for
 * `indices.query.bool.max_clause_count`: every leaf query is one clause (a `terms` query of any
 * size is one; a `match` of n tokens is n), a bool adds only its leaves.
 */
import { EsError, esErrors, text } from "./errors.js";

export type Scalar = string | number | boolean;

export type Query =
  | { type: "match_all"; boost: number }
  | { type: "match_none" }
  | {
      type: "bool";
      must: Query[];
      filter: Query[];
      should: Query[];
      mustNot: Query[];
      minimumShouldMatch: string | number | undefined;
      boost: number;
    }
  | { type: "term"; field: string; value: Scalar; caseInsensitive: boolean; boost: number }
  | { type: "terms"; field: string; values: Scalar[]; boost: number }
  | {
      type: "match";
      field: string;
      query: Scalar;
      operator: "or" | "and";
      minimumShouldMatch: string | number | undefined;
      boost: number;
    }
  | { type: "match_phrase"; field: string; query: string; boost: number }
  | { type: "match_phrase_prefix"; field: string; query: string; maxExpansions: number; boost: number }
  | { type: "wildcard"; field: string; pattern: string; caseInsensitive: boolean; boost: number }
  | { type: "prefix"; field: string; prefix: string; caseInsensitive: boolean; boost: number }
  | {
      type: "range";
      field: string;
      gt?: unknown;
      gte?: unknown;
      lt?: unknown;
      lte?: unknown;
      format?: string;
      boost: number;
    }
  | { type: "exists"; field: string; boost: number }
  | { type: "ids"; values: string[]; boost: number };

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

/** Parses the `query` object of a search. */
export function parseQuery(json: unknown): Query {
  if (!isObject(json)) throw esErrors.parsing("query malformed, must start with start_object");
  const keys = Object.keys(json);
  if (keys.length === 0) throw esErrors.parsing("query malformed, empty clause found");
  if (keys.length > 1) {
    throw esErrors.parsing(`[${keys[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  }
  const name = keys[0]!;
  const body = json[name];
  switch (name) {
    case "match_all":
      return { type: "match_all", boost: boostOf(objectBody(name, body)) };
    case "match_none":
      objectBody(name, body);
      return { type: "match_none" };
    case "bool":
      return parseBool(objectBody(name, body));
    case "term":
      return parseTerm(objectBody(name, body));
    case "terms":
      return parseTerms(objectBody(name, body));
    case "match":
    case "match_phrase":
    case "match_phrase_prefix":
      return parseMatch(name, objectBody(name, body));
    case "wildcard":
    case "prefix":
      return parseWildcard(name, objectBody(name, body));
    case "range":
      return parseRange(objectBody(name, body));
    case "exists": {
      const b = objectBody(name, body);
      if (typeof b.field !== "string") throw esErrors.parsing("[exists] must be provided with a [field]");
      return { type: "exists", field: b.field, boost: boostOf(b) };
    }
    case "ids": {
      const b = objectBody(name, body);
      const values = b.values;
      if (!Array.isArray(values)) throw esErrors.parsing("[ids] query requires [values]");
      return { type: "ids", values: values.map(String), boost: boostOf(b) };
    }
    case "constant_score": {
      const b = objectBody(name, body);
      if (!isObject(b.filter)) throw esErrors.parsing("[constant_score] requires a 'filter' element");
      return {
        type: "bool",
        must: [],
        filter: [parseQuery(b.filter)],
        should: [{ type: "match_all", boost: boostOf(b) }],
        mustNot: [],
        minimumShouldMatch: undefined,
        boost: 1,
      };
    }
    case "query_string":
    case "simple_query_string":
    case "regexp":
    case "fuzzy":
    case "nested":
    case "multi_match":
    case "function_score":
    case "script":
      throw esErrors.parsing(`[sim] query [${name}] is not simulated by the fleetgraph log store`);
    default:
      throw new EsError(400, "parsing_exception", `unknown query [${name}]`, {
        extra: { line: 1, col: 1 },
        causedBy: new EsError(400, "named_object_not_found_exception", `[1:1] unknown field [${name}]`),
      });
  }
}

function objectBody(name: string, body: unknown): Json {
  if (!isObject(body)) throw esErrors.parsing(`[${name}] query malformed, no start_object after query name`);
  return body;
}

function boostOf(b: Json): number {
  return typeof b.boost === "number" ? b.boost : 1;
}

function clauses(name: string, value: unknown): Query[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map((q) => parseQuery(q));
  if (isObject(value)) return [parseQuery(value)];
  throw esErrors.parsing(`[bool] query does not support [${name}]`);
}

function parseBool(b: Json): Query {
  for (const key of Object.keys(b)) {
    if (
      ![
        "must",
        "filter",
        "should",
        "must_not",
        "minimum_should_match",
        "boost",
        "_name",
        "adjust_pure_negative",
      ].includes(key)
    ) {
      throw esErrors.parsing(`[bool] query does not support [${key}]`);
    }
  }
  const msm = b.minimum_should_match;
  return {
    type: "bool",
    must: clauses("must", b.must),
    filter: clauses("filter", b.filter),
    should: clauses("should", b.should),
    mustNot: clauses("must_not", b.must_not),
    minimumShouldMatch: typeof msm === "string" || typeof msm === "number" ? msm : undefined,
    boost: boostOf(b),
  };
}

/** `{field: value}` or `{field: {value|query, ...options}}`, with one field only. */
function singleField(
  name: string,
  b: Json,
  valueKey: string,
): { field: string; value: unknown; options: Json } {
  const fields = Object.keys(b).filter((k) => k !== "boost" && k !== "_name");
  if (fields.length === 0) throw esErrors.parsing(`[${name}] query doesn't support empty field name`);
  if (fields.length > 1) {
    throw esErrors.parsing(
      `[${name}] query doesn't support multiple fields, found [${fields[0]}] and [${fields[1]}]`,
    );
  }
  const field = fields[0]!;
  const raw = b[field];
  if (isObject(raw)) {
    if (!(valueKey in raw))
      throw esErrors.parsing(`[${name}] query does not support [${Object.keys(raw)[0] ?? ""}]`);
    return { field, value: raw[valueKey], options: raw };
  }
  return { field, value: raw, options: {} };
}

function parseTerm(b: Json): Query {
  const { field, value, options } = singleField("term", b, "value");
  if (!isScalar(value)) throw esErrors.parsing("[term] query does not support array of values");
  return {
    type: "term",
    field,
    value,
    caseInsensitive: options.case_insensitive === true,
    boost: boostOf(options),
  };
}

function parseTerms(b: Json): Query {
  const fields = Object.keys(b).filter((k) => k !== "boost" && k !== "_name");
  if (fields.length !== 1) {
    throw esErrors.parsing(
      fields.length === 0
        ? "[terms] query requires a field with an array of values"
        : `[terms] query does not support multiple fields`,
    );
  }
  const field = fields[0]!;
  const values = b[field];
  if (!Array.isArray(values)) {
    if (isObject(values)) throw esErrors.parsing("[sim] terms lookup is not simulated");
    throw esErrors.parsing(`[terms] query does not support [${field}]`);
  }
  for (const v of values) {
    if (!isScalar(v)) throw esErrors.parsing("[terms] query does not support nested values");
  }
  return { type: "terms", field, values: values as Scalar[], boost: boostOf(b) };
}

function parseMatch(name: "match" | "match_phrase" | "match_phrase_prefix", b: Json): Query {
  const { field, value, options } = singleField(name, b, "query");
  if (!isScalar(value)) throw esErrors.parsing(`[${name}] unknown token [START_ARRAY] after [query]`);
  const boost = boostOf(options);
  if (name === "match_phrase") return { type: name, field, query: String(value), boost };
  if (name === "match_phrase_prefix") {
    const max = typeof options.max_expansions === "number" ? options.max_expansions : 50;
    return { type: name, field, query: String(value), maxExpansions: max, boost };
  }
  const op = text(options.operator ?? "or").toLowerCase();
  if (op !== "or" && op !== "and")
    throw esErrors.illegalArgument(
      `No enum constant org.elasticsearch.index.query.Operator.${op.toUpperCase()}`,
    );
  const msm = options.minimum_should_match;
  return {
    type: "match",
    field,
    query: value,
    operator: op,
    minimumShouldMatch: typeof msm === "string" || typeof msm === "number" ? msm : undefined,
    boost,
  };
}

function parseWildcard(name: "wildcard" | "prefix", b: Json): Query {
  const fields = Object.keys(b).filter((k) => k !== "boost" && k !== "_name");
  if (fields.length !== 1) throw esErrors.parsing(`[${name}] query doesn't support multiple fields`);
  const field = fields[0]!;
  const raw = b[field];
  const options: Json = isObject(raw) ? raw : {};
  const value = isObject(raw) ? (raw.value ?? raw[name]) : raw;
  if (!isScalar(value)) throw esErrors.parsing(`[${name}] query requires a value`);
  const caseInsensitive = options.case_insensitive === true;
  const boost = boostOf(options);
  return name === "wildcard"
    ? { type: "wildcard", field, pattern: String(value), caseInsensitive, boost }
    : { type: "prefix", field, prefix: String(value), caseInsensitive, boost };
}

function parseRange(b: Json): Query {
  const fields = Object.keys(b).filter((k) => k !== "boost" && k !== "_name");
  if (fields.length !== 1) throw esErrors.parsing("[range] query doesn't support multiple fields");
  const field = fields[0]!;
  const r = b[field];
  if (!isObject(r)) throw esErrors.parsing(`[range] query malformed, no start_object after query name`);
  const q: Query = { type: "range", field, boost: boostOf(r) };
  for (const [key, value] of Object.entries(r)) {
    if (value === null) continue;
    switch (key) {
      case "gt":
      case "gte":
      case "lt":
      case "lte":
        q[key] = value;
        break;
      // The deprecated from/to forms, inclusive by default.
      case "from":
        q[r.include_lower === false ? "gt" : "gte"] = value;
        break;
      case "to":
        q[r.include_upper === false ? "lt" : "lte"] = value;
        break;
      case "format":
        q.format = text(value);
        break;
      case "time_zone":
        if (!["UTC", "Z", "+00:00", "Etc/UTC", "GMT"].includes(text(value))) {
          throw esErrors.parsing(`[sim] range time_zone [${text(value)}] is not simulated (UTC only)`);
        }
        break;
      case "boost":
      case "include_lower":
      case "include_upper":
      case "relation":
      case "_name":
        break;
      default:
        throw esErrors.parsing(`[range] query does not support [${key}]`);
    }
  }
  return q;
}

/** Leaf clauses as Lucene counts them; `tokens` says how many terms a match query analyses to. */
export function leafCount(query: Query, tokens: (field: string, text: string) => number): number {
  switch (query.type) {
    case "bool":
      return [...query.must, ...query.filter, ...query.should, ...query.mustNot].reduce(
        (n, q) => n + leafCount(q, tokens),
        0,
      );
    case "match":
      return Math.max(1, tokens(query.field, String(query.query)));
    default:
      return 1;
  }
}
