/**
 * Running a parsed query over one index: each node evaluates to the sorted set of matching
 * documents, from postings where the field has them (keyword values, text tokens) and by scanning
 * doc-value columns otherwise (ranges, numbers, dates). A bool runs its postings-backed clauses
 * first and hands the shrinking candidate set to the rest, so a range or a phrase check only looks
 * at documents that already passed the cheap clauses.
 *
 * Text and keyword semantics follow ES: `term` is not analysed (on a text field it matches one
 * token, so `term` of `foo-bar` on text finds nothing while `foo-bar` on `.keyword` does); `match`
 * analyses with the standard analyzer on text fields and matches the whole value on keywords.
 *
 * Scores are BM25 (k1 1.2, b 0.75) per matching term with the term frequency taken as 1; constant
 * score queries (terms, range, exists, prefix, wildcard, ids) score their boost; filter and
 * must_not clauses score nothing.
 */
import { analyze } from "./analyzer.js";
import { DEFAULT_DATE_FORMAT, parseDate, resolveDateMath } from "./date-math.js";
import { EMPTY, clip, contains, filter, intersect, subtract, unionMany, type DocSet } from "./doc-set.js";
import { esErrors, text } from "./errors.js";
import type { FieldIndex, LogIndex } from "./log-index.js";
import type { LeafField } from "./mapping.js";
import type { Query, Scalar } from "./query-parse.js";
import { valuesAt } from "./source-paths.js";

const K1 = 1.2;
const B = 0.75;

export class QueryRun {
  private readonly cache = new Map<Query, DocSet>();

  constructor(
    readonly index: LogIndex,
    /** Epoch ms that `now` means in date math: one instant for the whole request. */
    readonly now: number,
  ) {}

  /** The live documents matching a query. */
  matches(query: Query): DocSet {
    const docs = clip(this.evaluate(query, undefined), this.index.start, this.index.end);
    return this.index.deletedCount ? subtract(docs, this.index.deleted()) : docs;
  }

  private evaluate(query: Query, within: DocSet | undefined): DocSet {
    const docs = this.run(query, within);
    this.cache.set(query, docs);
    return docs;
  }

  private run(query: Query, within: DocSet | undefined): DocSet {
    switch (query.type) {
      case "match_all":
        return within ?? this.index.all();
      case "match_none":
        return EMPTY;
      case "bool":
        return this.bool(query, within);
      case "ids": {
        const ordinals: number[] = [];
        for (const id of new Set(query.values)) {
          const doc = this.index.has(id) ? this.index.get(id) : undefined;
          if (doc) ordinals.push(doc.ordinal);
        }
        return restrict(Int32Array.from(ordinals.sort((a, b) => a - b)), within);
      }
      case "exists":
        return this.exists(query.field, within);
      default:
        return this.fieldQuery(query, within);
    }
  }

  private bool(query: Extract<Query, { type: "bool" }>, within: DocSet | undefined): DocSet {
    const required = [...query.must, ...query.filter].sort((a, b) => cost(a) - cost(b));
    let docs = within;
    for (const clause of required) {
      docs = this.evaluate(clause, docs);
      if (docs.length === 0) return EMPTY;
    }
    const minimum = minimumShouldMatch(query.minimumShouldMatch, query.should.length, required.length > 0);
    if (query.should.length > 0) {
      const base = docs;
      const sets = query.should.map((q) => this.evaluate(q, base));
      if (minimum > 0) {
        const [from, to] = base
          ? [base[0] ?? 0, (base[base.length - 1] ?? -1) + 1]
          : [this.index.start, this.index.end];
        docs = restrict(unionMany(sets, from, to, minimum), base);
      }
    }
    docs ??= this.index.all();
    for (const clause of query.mustNot) {
      if (docs.length === 0) break;
      docs = subtract(docs, this.evaluate(clause, docs));
    }
    return docs;
  }

  private exists(path: string, within: DocSet | undefined): DocSet {
    const sets: DocSet[] = [];
    for (const leaf of this.index.mapping.fieldsUnder(path)) {
      const field = this.index.field(leaf.path);
      if (!field) continue;
      sets.push(this.scan(field, within, (p) => hasValue(field, p)));
    }
    if (sets.length === 0) return EMPTY;
    if (sets.length === 1) return sets[0]!;
    return unionMany(sets, this.index.start, this.index.end);
  }

  private fieldQuery(
    query: Exclude<Query, { type: "bool" | "match_all" | "match_none" | "ids" | "exists" }>,
    within: DocSet | undefined,
  ): DocSet {
    const leaf = this.index.mapping.field(query.field);
    const field = this.index.field(query.field);
    if (!leaf || !field) {
      if (leaf && !leaf.indexed)
        throw this.shardError(`Cannot search on field [${query.field}] since it is not indexed.`);
      return EMPTY;
    }
    switch (query.type) {
      case "term":
        return this.termLike(field, [query.value], query.caseInsensitive, within);
      case "terms":
        if (query.values.length > this.index.settings.maxTermsCount) {
          throw esErrors.tooManyTerms(query.values.length, this.index.settings.maxTermsCount);
        }
        return this.termLike(field, query.values, false, within);
      case "match":
        return this.match(field, query, within);
      case "match_phrase":
      case "match_phrase_prefix":
        return this.phrase(
          field,
          query.query,
          query.type === "match_phrase_prefix" ? query.maxExpansions : 0,
          within,
        );
      case "wildcard":
      case "prefix": {
        if (leaf.kind !== "keyword" && leaf.kind !== "text") {
          throw this.shardError(
            `Can only use ${query.type} queries on keyword and text fields - not on [${leaf.path}] which is of type [${leaf.type}]`,
          );
        }
        const test =
          query.type === "prefix"
            ? prefixTest(query.prefix, query.caseInsensitive)
            : wildcardTest(query.pattern, query.caseInsensitive);
        return this.termsWhere(field, test, within);
      }
      case "range":
        return this.range(field, query, within);
    }
  }

  /** Exact values: postings on keyword/text, column equality on numbers, dates and booleans. */
  private termLike(
    field: FieldIndex,
    values: Scalar[],
    caseInsensitive: boolean,
    within: DocSet | undefined,
  ): DocSet {
    const kind = field.leaf.kind;
    if (kind === "keyword" || kind === "text") {
      if (caseInsensitive) {
        const wanted = new Set(values.map((v) => String(v).toLowerCase()));
        return this.termsWhere(field, (t) => wanted.has(t.toLowerCase()), within);
      }
      const lists: number[][] = [];
      for (const v of new Set(values.map(String))) {
        const docs = field.postings(v);
        if (docs) lists.push(docs);
      }
      return this.unionPostings(lists, within);
    }
    const wanted = new Set(values.map((v) => this.numberOf(field.leaf, v, false)));
    return this.scanNumbers(field, within, (n) => wanted.has(n));
  }

  private match(
    field: FieldIndex,
    query: Extract<Query, { type: "match" }>,
    within: DocSet | undefined,
  ): DocSet {
    if (field.leaf.kind !== "text") return this.termLike(field, [query.query], false, within);
    const tokens = [...new Set(analyze(String(query.query)))];
    if (tokens.length === 0) return EMPTY;
    const lists = tokens.map((t) => field.postings(t) ?? []);
    if (query.operator === "and") {
      let docs: DocSet | undefined = within;
      for (const list of [...lists].sort((a, b) => a.length - b.length)) {
        docs = docs ? intersect(docs, list) : Int32Array.from(list);
        if (docs.length === 0) return EMPTY;
      }
      return docs ?? EMPTY;
    }
    const minimum = Math.max(1, minimumShouldMatch(query.minimumShouldMatch, tokens.length, false));
    if (minimum > tokens.length) return EMPTY;
    return restrict(unionMany(lists, this.index.start, this.index.end, minimum), within);
  }

  /** Tokens at consecutive positions; with `expansions`, the last token is a prefix. */
  private phrase(field: FieldIndex, text: string, expansions: number, within: DocSet | undefined): DocSet {
    const path = field.leaf.path;
    if (field.leaf.kind !== "text") {
      if (expansions > 0) return this.termsWhere(field, prefixTest(text, false), within);
      return this.termLike(field, [text], false, within);
    }
    const tokens = analyze(text);
    if (tokens.length === 0) return EMPTY;
    const exact = expansions > 0 ? tokens.slice(0, -1) : tokens;
    let candidates: DocSet | undefined = within;
    for (const token of [...new Set(exact)]) {
      const list = field.postings(token) ?? [];
      candidates = candidates ? intersect(candidates, list) : Int32Array.from(list);
      if (candidates.length === 0) return EMPTY;
    }
    let last: Set<string> | undefined;
    if (expansions > 0) {
      const prefix = tokens[tokens.length - 1]!;
      const expanded = [...field.terms.keys()]
        .filter((t) => t.startsWith(prefix))
        .sort()
        .slice(0, expansions);
      if (expanded.length === 0) return EMPTY;
      last = new Set(expanded);
      const union = unionMany(
        expanded.map((t) => field.postings(t)!),
        this.index.start,
        this.index.end,
      );
      candidates = candidates ? intersect(candidates, union) : union;
    }
    if (!candidates) return EMPTY;
    if (tokens.length === 1 && !last) return candidates;
    const index = this.index;
    return filter(candidates, (doc) =>
      valuesAt(index.doc(doc).source, path).some((v) => hasPhrase(analyze(String(v)), exact, last)),
    );
  }

  private range(
    field: FieldIndex,
    query: Extract<Query, { type: "range" }>,
    within: DocSet | undefined,
  ): DocSet {
    const leaf = field.leaf;
    if (leaf.kind === "keyword" || leaf.kind === "text") {
      const s = (v: unknown) => (v === undefined ? undefined : text(v));
      const [gt, gte, lt, lte] = [s(query.gt), s(query.gte), s(query.lt), s(query.lte)];
      return this.termsWhere(
        field,
        (t) =>
          (gt === undefined || t > gt) &&
          (gte === undefined || t >= gte) &&
          (lt === undefined || t < lt) &&
          (lte === undefined || t <= lte),
        within,
      );
    }
    const bound = (v: unknown, roundUp: boolean) =>
      v === undefined ? undefined : this.numberOf(leaf, v, roundUp, query.format);
    const gt = bound(query.gt, true);
    const gte = bound(query.gte, false);
    const lt = bound(query.lt, false);
    const lte = bound(query.lte, true);
    const lo = gte ?? (gt === undefined ? -Infinity : gt);
    const hi = lte ?? (lt === undefined ? Infinity : lt);
    const loOpen = gte === undefined && gt !== undefined;
    const hiOpen = lte === undefined && lt !== undefined;
    return this.scanNumbers(field, within, (n) => (loOpen ? n > lo : n >= lo) && (hiOpen ? n < hi : n <= hi));
  }

  /** A query value as the field's number (epoch ms for dates, 1/0 for booleans). */
  private numberOf(leaf: LeafField, value: unknown, roundUp: boolean, format?: string): number {
    if (leaf.kind === "date") {
      try {
        return resolveDateMath(typeof value === "number" ? value : String(value), {
          now: this.now,
          format: format ?? leaf.format ?? DEFAULT_DATE_FORMAT,
          roundUp,
        });
      } catch {
        const t = parseDate(value, DEFAULT_DATE_FORMAT, roundUp);
        if (t !== undefined) return t;
        throw this.shardError(
          `failed to create query: failed to parse date field [${String(value)}] with format [${format ?? leaf.format ?? DEFAULT_DATE_FORMAT}]`,
        );
      }
    }
    if (leaf.kind === "boolean") {
      if (value === true || value === "true") return 1;
      if (value === false || value === "false") return 0;
      throw this.shardError(
        `failed to create query: Can't parse boolean value [${String(value)}], expected [true] or [false]`,
      );
    }
    const n = typeof value === "number" ? value : Number(value);
    if (typeof value === "boolean" || !Number.isFinite(n) || String(value).trim() === "") {
      throw this.shardError(`failed to create query: For input string: "${String(value)}"`);
    }
    return leaf.integral && !roundUp ? Math.ceil(n) : leaf.integral ? Math.floor(n) : n;
  }

  private shardError(reason: string) {
    return esErrors.queryShard(this.index.name, reason);
  }

  private unionPostings(lists: number[][], within: DocSet | undefined): DocSet {
    if (lists.length === 0) return EMPTY;
    if (within && lists.length === 1) return intersect(within, lists[0]!);
    if (within && within.length * 8 < this.index.end - this.index.start) {
      // Few candidates: test each against the lists rather than merging every list.
      return filter(within, (doc) => lists.some((l) => contains(l, doc)));
    }
    return restrict(unionMany(lists, this.index.start, this.index.end), within);
  }

  /** Union of the postings of every term (of the field's dictionary) passing a test. */
  private termsWhere(field: FieldIndex, test: (term: string) => boolean, within: DocSet | undefined): DocSet {
    const lists: number[][] = [];
    for (const [term, entry] of field.terms) if (test(term)) lists.push(entry.docs);
    return this.unionPostings(lists, within);
  }

  private scan(field: FieldIndex, within: DocSet | undefined, keep: (position: number) => boolean): DocSet {
    const index = this.index;
    if (within) return filter(within, (doc) => keep(index.position(doc)));
    const out: number[] = [];
    for (let doc = index.start; doc < index.end; doc++) if (keep(index.position(doc))) out.push(doc);
    return Int32Array.from(out);
  }

  private scanNumbers(field: FieldIndex, within: DocSet | undefined, keep: (n: number) => boolean): DocSet {
    const column = field.numbers;
    const more = field.moreNumbers;
    const index = this.index;
    const test = (p: number) => {
      const n = column[p];
      if (n === undefined || Number.isNaN(n)) return false;
      if (keep(n)) return true;
      const extra = more.size ? more.get(p + (index.start - index.position(index.start))) : undefined;
      return extra !== undefined && extra.some(keep);
    };
    return this.scan(field, within, test);
  }

  /** The query's score for a document it matched. */
  score(query: Query, doc: number): number {
    switch (query.type) {
      case "match_all":
        return query.boost;
      case "match_none":
        return 0;
      case "bool": {
        let total = 0;
        for (const q of query.must) total += this.score(q, doc);
        for (const q of query.should) {
          const docs = this.cache.get(q);
          if (docs && contains(docs, doc)) total += this.score(q, doc);
        }
        return total * query.boost;
      }
      case "term":
      case "match":
      case "match_phrase":
      case "match_phrase_prefix": {
        const field = this.index.field(query.field);
        if (!field) return 0;
        if (field.leaf.kind !== "text" && field.leaf.kind !== "keyword") return query.boost;
        const terms =
          query.type === "term"
            ? [String(query.value)]
            : field.leaf.kind === "text"
              ? analyze(String(query.query))
              : [String(query.query)];
        let total = 0;
        for (const term of new Set(terms)) {
          const docs = field.postings(term);
          if (docs && contains(docs, doc)) total += this.bm25(field, docs.length, doc);
        }
        return total * query.boost;
      }
      default:
        return query.boost;
    }
  }

  private bm25(field: FieldIndex, docFreq: number, doc: number): number {
    const n = Math.max(field.docCount, docFreq);
    const idf = Math.log(1 + (n - docFreq + 0.5) / (docFreq + 0.5));
    if (field.leaf.kind !== "text") return idf / (1 + K1);
    const avg = field.docCount ? field.totalLength / field.docCount : 1;
    const length = field.lengths[this.index.position(doc)] ?? 1;
    return idf / (1 + K1 * (1 - B + (B * length) / avg));
  }
}

/** Cheap clauses first: postings-backed ones before column scans and phrase checks. */
function cost(query: Query): number {
  switch (query.type) {
    case "term":
    case "terms":
    case "ids":
    case "match_none":
      return 0;
    case "match":
    case "bool":
      return 1;
    case "prefix":
    case "wildcard":
      return 2;
    case "range":
    case "exists":
      return 3;
    default:
      return 4;
  }
}

/** minimum_should_match as ES reads it: an integer, a negative integer, or a percentage. */
export function minimumShouldMatch(
  value: string | number | undefined,
  optional: number,
  hasRequired: boolean,
): number {
  if (optional === 0) return 0;
  if (value === undefined) return hasRequired ? 0 : 1;
  const text = String(value).trim();
  let n: number;
  if (text.endsWith("%")) {
    const pct = Number(text.slice(0, -1));
    n = pct < 0 ? optional + Math.trunc((optional * pct) / 100) : Math.trunc((optional * pct) / 100);
  } else {
    const k = Number(text);
    if (!Number.isInteger(k))
      throw esErrors.illegalArgument(`[sim] minimum_should_match [${text}] is not simulated`);
    n = k < 0 ? optional + k : k;
  }
  return Math.min(optional, Math.max(0, n));
}

function restrict(docs: DocSet, within: DocSet | undefined): DocSet {
  return within ? intersect(within, docs) : docs;
}

function hasValue(field: FieldIndex, p: number): boolean {
  switch (field.leaf.kind) {
    case "text":
      return (field.lengths[p] ?? 0) > 0;
    case "keyword":
      return field.keywords[p] !== undefined;
    default: {
      const n = field.numbers[p];
      return n !== undefined && !Number.isNaN(n);
    }
  }
}

function hasPhrase(tokens: string[], phrase: string[], last: Set<string> | undefined): boolean {
  const length = phrase.length + (last ? 1 : 0);
  outer: for (let i = 0; i + length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    if (last && !last.has(tokens[i + phrase.length]!)) continue;
    return true;
  }
  return false;
}

function prefixTest(prefix: string, caseInsensitive: boolean): (term: string) => boolean {
  if (!caseInsensitive) return (t) => t.startsWith(prefix);
  const lower = prefix.toLowerCase();
  return (t) => t.toLowerCase().startsWith(lower);
}

/** `*` any run, `?` one character, `\` escapes. */
export function wildcardTest(pattern: string, caseInsensitive: boolean): (term: string) => boolean {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) source += escapeRegex(pattern[++i]!);
    else if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += escapeRegex(ch);
  }
  const regex = new RegExp(`^${source}$`, caseInsensitive ? "iu" : "u");
  return (t) => regex.test(t);
}

function escapeRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}
