/**
 * The search and count APIs over resolved indices: request validation, the per-shard limits
 * (max_result_window, max_clause_count, max_terms_count, sort checks) failing as shard failures
 * inside a 400 search_phase_execution_exception, query evaluation, top-k selection under the sort
 * with `search_after`, hit totals per `track_total_hits`, `_source` filtering and aggregations.
 */
import { analyze } from "./analyzer.js";
import { Aggregator, parseAggregations, type Part } from "./aggregations.js";
import type { DocSet } from "./doc-set.js";
import { EsError, esErrors, text } from "./errors.js";
import type { LogIndex } from "./log-index.js";
import { leafCount, parseQuery, type Query } from "./query-parse.js";
import { QueryRun } from "./query-eval.js";
import {
  checkSort,
  compareTuples,
  isStringSort,
  parseSearchAfter,
  parseSort,
  sortValue,
  type SortSpec,
  type SortValue,
} from "./sort.js";
import { filterSource, parseSourceFilter } from "./source-paths.js";

export interface SearchLimits {
  maxClauseCount: number;
  maxBuckets: number;
}

type Json = Record<string, unknown>;

const BODY_KEYS = new Set([
  "query",
  "size",
  "from",
  "sort",
  "search_after",
  "track_total_hits",
  "_source",
  "aggs",
  "aggregations",
  "timeout",
  "track_scores",
  "min_score",
  "version",
  "seq_no_primary_term",
  "stored_fields",
  "explain",
  "terminate_after",
]);

const NOT_SIMULATED = new Set([
  "highlight",
  "fields",
  "docvalue_fields",
  "script_fields",
  "post_filter",
  "collapse",
  "pit",
  "runtime_mappings",
  "suggest",
  "rescore",
  "knn",
  "indices_boost",
  "profile",
  "stats",
]);

export const SEARCH_PARAMS = new Set([
  "size",
  "from",
  "sort",
  "track_total_hits",
  "_source",
  "_source_includes",
  "_source_excludes",
  "ignore_unavailable",
  "allow_no_indices",
  "expand_wildcards",
  "timeout",
  "rest_total_hits_as_int",
  "typed_keys",
  "track_scores",
  "search_type",
  "request_cache",
  "preference",
  "routing",
  "batched_reduce_size",
  "ccs_minimize_roundtrips",
  "allow_partial_search_results",
  "pretty",
  "error_trace",
  "human",
  "filter_path",
  "q",
  "ignore_throttled",
]);

interface Candidate {
  index: number;
  doc: number;
  keys: SortValue[];
  score: number;
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function intParam(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n)) throw esErrors.parsing(`[${name}] must be an integer, got [${text(value)}]`);
  return n;
}

/** Runs one search; `indices` are already resolved (in name order, as shards are ordered). */
export function search(
  indices: LogIndex[],
  body: Json,
  params: URLSearchParams,
  limits: SearchLimits,
  now: number,
): Json {
  const started = performance.now();
  for (const key of Object.keys(body)) {
    if (NOT_SIMULATED.has(key))
      throw esErrors.parsing(`[sim] search option [${key}] is not simulated by the fleetgraph log store`);
    if (!BODY_KEYS.has(key)) {
      const kind = isObject(body[key])
        ? "START_OBJECT"
        : Array.isArray(body[key])
          ? "START_ARRAY"
          : "VALUE_STRING";
      throw esErrors.parsing(`Unknown key for a ${kind} in [${key}].`);
    }
  }
  if (params.has("q"))
    throw esErrors.parsing("[sim] the q= query-string search is not simulated by the fleetgraph log store");
  const size = intParam(params.get("size") ?? body.size, "size") ?? 10;
  let from = intParam(params.get("from") ?? body.from, "from") ?? 0;
  if (size < 0) throw esErrors.illegalArgument(`[size] parameter cannot be negative, found [${size}]`);
  if (from < 0) {
    if (from !== -1) throw esErrors.illegalArgument(`[from] parameter cannot be negative, found [${from}]`);
    from = 0;
  }
  const query: Query = body.query === undefined ? { type: "match_all", boost: 1 } : parseQuery(body.query);
  const sort = parseSort(params.has("sort") ? (params.get("sort") ?? "").split(",") : body.sort);
  const trackScores = body.track_scores === true || params.get("track_scores") === "true";
  const sortsByScore = sort.length === 0 || sort.some((s) => s.field === "_score");
  const needScores = sortsByScore || trackScores;
  const specs: SortSpec[] = sort.length
    ? sort
    : [{ field: "_score", order: "desc", missing: "_last", mode: undefined, unmappedType: undefined }];
  const stringSorts = specs.map((s) => isStringSort(s, indices));
  const after =
    body.search_after === undefined ? undefined : parseSearchAfter(body.search_after, specs, stringSorts);
  if (after && from > 0)
    throw esErrors.illegalArgument("[from] parameter must be set to 0 when [search_after] is used");
  const trackTotal = trackTotalOf(params.get("track_total_hits") ?? body.track_total_hits);
  const sourceFilter = sourceFilterOf(body._source, params);
  const aggSpecs = body.aggs ?? body.aggregations;
  const aggs = aggSpecs === undefined ? undefined : parseAggregations(aggSpecs);

  // Per shard: the checks each shard makes when it creates its search context, then the query.
  const parts: Part[] = [];
  const runs: QueryRun[] = [];
  const window = from + size;
  for (const index of indices) {
    const fail = (cause: EsError) => esErrors.searchPhase(index.name, cause);
    if (window > index.settings.maxResultWindow)
      throw fail(esErrors.resultWindow(index.settings.maxResultWindow, window));
    const clauses = leafCount(query, (field, text) =>
      index.mapping.field(field)?.kind === "text" ? new Set(analyze(text)).size : 1,
    );
    if (clauses > limits.maxClauseCount) throw fail(esErrors.tooManyNestedClauses(limits.maxClauseCount));
    const sortError = checkSort(sort, index);
    if (sortError) throw fail(sortError);
    const run = new QueryRun(index, now);
    let docs: DocSet;
    try {
      docs = run.matches(query);
    } catch (error) {
      if (error instanceof EsError && error.status === 400) throw fail(error);
      throw error;
    }
    runs.push(run);
    parts.push({ index, docs });
  }

  const total = parts.reduce((n, p) => n + p.docs.length, 0);
  const minScore = typeof body.min_score === "number" ? body.min_score : undefined;
  const top = selectTop(parts, runs, query, specs, stringSorts, after, window, needScores, minScore);
  const page = top.slice(from);
  const maxScore = needScores && top.length ? Math.max(...top.map((c) => c.score)) : null;

  const hits = page.map((c) => {
    const index = parts[c.index]!.index;
    const hit: Json = {
      _index: index.name,
      _id: index.idOf(c.doc),
      _score: needScores ? c.score : null,
    };
    if (body.version === true) hit._version = index.get(index.idOf(c.doc))?.version;
    if (sourceFilter !== false) {
      const source = JSON.parse(index.sourceText(c.doc)) as Json;
      hit._source = sourceFilter === true ? source : filterSource(source, sourceFilter);
    }
    if (sort.length) hit.sort = c.keys;
    return hit;
  });

  const hitsJson: Json = {};
  if (trackTotal !== false) {
    const exact = trackTotal === true || total <= trackTotal;
    const value = exact ? total : trackTotal;
    hitsJson.total =
      params.get("rest_total_hits_as_int") === "true" ? total : { value, relation: exact ? "eq" : "gte" };
  }
  hitsJson.max_score = maxScore;
  hitsJson.hits = hits;
  const response: Json = {
    took: 0,
    timed_out: false,
    _shards: { total: indices.length, successful: indices.length, skipped: 0, failed: 0 },
    hits: hitsJson,
  };
  if (aggs) {
    try {
      response.aggregations = new Aggregator({ maxBuckets: limits.maxBuckets, now }).run(aggs, parts);
    } catch (error) {
      if (error instanceof EsError && error.type !== "too_many_buckets_exception" && indices.length)
        throw esErrors.searchPhase(indices[0]!.name, error);
      throw error;
    }
  }
  response.took = Math.round(performance.now() - started);
  return response;
}

/** The count API: the number of documents a query matches. */
export function count(indices: LogIndex[], body: Json, limits: SearchLimits, now: number): Json {
  for (const key of Object.keys(body)) {
    if (key !== "query") throw esErrors.parsing(`request does not support [${key}]`);
  }
  const query: Query = body.query === undefined ? { type: "match_all", boost: 1 } : parseQuery(body.query);
  let n = 0;
  for (const index of indices) {
    const clauses = leafCount(query, (field, text) =>
      index.mapping.field(field)?.kind === "text" ? new Set(analyze(text)).size : 1,
    );
    if (clauses > limits.maxClauseCount)
      throw esErrors.searchPhase(index.name, esErrors.tooManyNestedClauses(limits.maxClauseCount));
    try {
      n += new QueryRun(index, now).matches(query).length;
    } catch (error) {
      if (error instanceof EsError && error.status === 400) throw esErrors.searchPhase(index.name, error);
      throw error;
    }
  }
  return { count: n, _shards: { total: indices.length, successful: indices.length, skipped: 0, failed: 0 } };
}

function trackTotalOf(value: unknown): number | boolean {
  if (value === undefined || value === null) return 10_000;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  const n = Number(value);
  if (!Number.isInteger(n))
    throw esErrors.parsing(`[track_total_hits] must be a boolean or an integer, got [${text(value)}]`);
  if (n < -1)
    throw esErrors.illegalArgument(`[track_total_hits] parameter must be positive or equals to -1, got ${n}`);
  return n === -1 ? true : n;
}

function sourceFilterOf(bodyValue: unknown, params: URLSearchParams) {
  if (params.has("_source")) return parseSourceFilter(params.get("_source"));
  const includes = params.get("_source_includes");
  const excludes = params.get("_source_excludes");
  if (includes !== null || excludes !== null) {
    return { includes: includes ? includes.split(",") : [], excludes: excludes ? excludes.split(",") : [] };
  }
  return parseSourceFilter(bodyValue);
}

/**
 * The first `k` candidates in sort order after `search_after`, with ties broken by index (shard)
 * order and then document order, as ES breaks them. A bounded heap keeps this O(n log k).
 */
function selectTop(
  parts: Part[],
  runs: QueryRun[],
  query: Query,
  specs: SortSpec[],
  stringSorts: boolean[],
  after: SortValue[] | undefined,
  k: number,
  needScores: boolean,
  minScore: number | undefined,
): Candidate[] {
  if (k === 0) return [];
  const compare = (a: Candidate, b: Candidate) =>
    compareTuples(specs, a.keys, b.keys) || a.index - b.index || a.doc - b.doc;
  const heap: Candidate[] = [];
  // Worst candidate at heap[0].
  const worse = (a: Candidate, b: Candidate) => compare(a, b) > 0;
  const push = (c: Candidate) => {
    if (heap.length < k) {
      heap.push(c);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
      return;
    }
    if (!worse(heap[0]!, c)) return;
    heap[0] = c;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let pi = 0; pi < parts.length; pi++) {
    const { index, docs } = parts[pi]!;
    const run = runs[pi]!;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      const score = needScores ? run.score(query, doc) : 0;
      if (minScore !== undefined && score < minScore) continue;
      const keys = specs.map((s, j) => sortValue(s, stringSorts[j]!, index, doc, score));
      if (after && compareTuples(specs, keys, after) <= 0) continue;
      push({ index: pi, doc, keys, score });
    }
  }
  return heap.sort(compare);
}
