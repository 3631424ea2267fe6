/**
 * The log store: a set of indices behind the REST API, with ES's index-level operations (create
 * with mappings and settings, delete, resolve targets with wildcards and the
 * ignore_unavailable / allow_no_indices / expand_wildcards options, auto-create on write, index
 * templates), document writes (index, create, delete, bulk), search and count, and the bounds
 * that keep a simulator's memory flat: a retention period for daily indices and a cap on
 * documents across the store, oldest documents aging out first.
 */
import { randomBytes } from "node:crypto";
import { dailySuffix } from "./date-math.js";
import { EsError, esErrors, text } from "./errors.js";
import { LogIndex, type IndexSettings } from "./log-index.js";
import { count, search, type SearchLimits } from "./search.js";

type Json = Record<string, unknown>;

export interface LogStoreOptions {
  /** `indices.query.bool.max_clause_count` (ES 8 derives it from heap and CPUs; 4096 here). */
  maxClauseCount?: number;
  /** `search.max_buckets` (65,536 as in ES 8). */
  maxBuckets?: number;
  /** Documents kept across the whole store; the oldest age out beyond it. Default 1,000,000. */
  maxDocuments?: number;
  /** Daily indices (named `*-YYYY.MM.DD`) older than this go (ms). Default 7 days. */
  retentionMs?: number;
  /** `action.destructive_requires_name`: true in ES 8, so DELETE of a wildcard or `_all` fails. */
  destructiveRequiresName?: boolean;
  /** Default `index.max_result_window` / `index.max_terms_count` of new indices. */
  maxResultWindow?: number;
  maxTermsCount?: number;
  now?: () => number;
}

interface IndexTemplate {
  name: string;
  patterns: string[];
  priority: number;
  template: { settings?: unknown; mappings?: unknown };
  raw: Json;
}

export interface ResolveOptions {
  ignoreUnavailable?: boolean;
  allowNoIndices?: boolean;
  expandWildcards?: string;
}

export interface WriteResult {
  status: number;
  body: Json;
}

export const DEFAULT_MAX_DOCUMENTS = 1_000_000;
export const DEFAULT_RETENTION_MS = 7 * 86_400_000;

export class LogStore {
  readonly limits: SearchLimits;
  readonly maxDocuments: number;
  readonly retentionMs: number;
  private readonly indices = new Map<string, LogIndex>();
  private readonly templates = new Map<string, IndexTemplate>();
  private readonly options: LogStoreOptions;
  private readonly now: () => number;
  private documents = 0;
  /** Documents ever written and ever aged out (for the feeders' and benchmarks' figures). */
  written = 0;
  evicted = 0;

  constructor(options: LogStoreOptions = {}) {
    this.options = options;
    this.limits = {
      maxClauseCount: options.maxClauseCount ?? 4096,
      maxBuckets: options.maxBuckets ?? 65_536,
    };
    this.maxDocuments = options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.now = options.now ?? Date.now;
  }

  /** Live documents across every index. */
  get documentCount(): number {
    return this.documents;
  }

  indexNames(): string[] {
    return [...this.indices.keys()].sort();
  }

  index(name: string): LogIndex | undefined {
    return this.indices.get(name);
  }

  // ---- index management ----

  createIndex(name: string, body: Json = {}): LogIndex {
    validateIndexName(name);
    const existing = this.indices.get(name);
    if (existing) throw esErrors.indexExists(name, existing.uuid);
    for (const key of Object.keys(body)) {
      if (key !== "mappings" && key !== "settings" && key !== "aliases") {
        throw esErrors.parsing(`unknown key [${key}] for create index`);
      }
    }
    const template = this.templateFor(name);
    const settings = settingsOf(body.settings, settingsOf(template?.template.settings, {}));
    const index = new LogIndex(name, {
      settings: {
        maxResultWindow: settings.maxResultWindow ?? this.options.maxResultWindow,
        maxTermsCount: settings.maxTermsCount ?? this.options.maxTermsCount,
        other: settings.other ?? {},
      },
      ...(template?.template.mappings !== undefined ? { mappings: template.template.mappings } : {}),
    });
    if (body.mappings !== undefined) index.mapping.merge(body.mappings);
    this.indices.set(name, index);
    return index;
  }

  /** DELETE /{target}: names, comma lists and (unless destructive_requires_name) wildcards. */
  deleteIndices(target: string, options: ResolveOptions = {}): string[] {
    const wildcard = target === "_all" || target.split(",").some((p) => p.includes("*"));
    if (wildcard && (this.options.destructiveRequiresName ?? true)) {
      throw esErrors.illegalArgument("Wildcard expressions or all indices are not allowed");
    }
    const indices = this.resolve(target, options);
    for (const index of indices) {
      this.documents -= index.docCount;
      this.indices.delete(index.name);
    }
    return indices.map((i) => i.name);
  }

  putTemplate(name: string, body: Json): void {
    const patterns = body.index_patterns;
    const list =
      typeof patterns === "string" ? [patterns] : Array.isArray(patterns) ? patterns.map(String) : undefined;
    if (!list) throw esErrors.illegalArgument("index patterns are missing");
    const template = (body.template ?? {}) as IndexTemplate["template"];
    this.templates.set(name, {
      name,
      patterns: list,
      priority: Number(body.priority ?? 0),
      template,
      raw: body,
    });
  }

  getTemplates(name?: string): Json {
    const list = [...this.templates.values()].filter((t) => name === undefined || matches(name, t.name));
    if (name !== undefined && !name.includes("*") && list.length === 0) {
      throw new EsError(404, "resource_not_found_exception", `index template matching [${name}] not found`);
    }
    return { index_templates: list.map((t) => ({ name: t.name, index_template: t.raw })) };
  }

  deleteTemplate(name: string): void {
    if (!this.templates.delete(name)) {
      throw new EsError(404, "resource_not_found_exception", `index_template [${name}] missing`);
    }
  }

  /**
   * The indices a target names: a comma list of names and wildcard patterns (`-pattern` excludes),
   * `_all` / `*` / empty for all. A missing concrete name is 404 unless ignore_unavailable; a
   * wildcard matching nothing is fine unless allow_no_indices=false.
   */
  resolve(target: string, options: ResolveOptions = {}): LogIndex[] {
    const expressions = target === "" || target === "_all" ? ["*"] : target.split(",").map((e) => e.trim());
    const expand = options.expandWildcards ?? "open";
    const wildcardsExpand = !expand.split(",").every((e) => e === "none" || e === "closed");
    const chosen = new Set<string>();
    let sawWildcard = false;
    for (let i = 0; i < expressions.length; i++) {
      let expr = expressions[i]!;
      if (expr === "") continue;
      const exclude = expr.startsWith("-") && i > 0;
      if (exclude) expr = expr.slice(1);
      if (expr.includes("*")) {
        sawWildcard = true;
        if (!wildcardsExpand) continue;
        for (const name of this.indices.keys()) {
          // Hidden-style (dot) indices are matched only by patterns starting with a dot.
          if (name.startsWith(".") && !expr.startsWith(".")) continue;
          if (!matches(expr, name)) continue;
          if (exclude) chosen.delete(name);
          else chosen.add(name);
        }
        continue;
      }
      if (exclude) {
        chosen.delete(expr);
        continue;
      }
      if (this.indices.has(expr)) chosen.add(expr);
      else if (!options.ignoreUnavailable) throw esErrors.indexNotFound(expr);
    }
    if (chosen.size === 0 && options.allowNoIndices === false) {
      throw esErrors.indexNotFound(sawWildcard ? expressions.join(",") : (expressions[0] ?? target));
    }
    return [...chosen].sort().map((name) => this.indices.get(name)!);
  }

  // ---- documents ----

  /** Index or create one document; auto-creates the index. */
  write(indexName: string, id: string | undefined, source: unknown, opType: "index" | "create"): WriteResult {
    if (source === null || typeof source !== "object" || Array.isArray(source)) {
      throw esErrors.mapperParsing("failed to parse, document is empty");
    }
    const index = this.indices.get(indexName) ?? this.createIndex(indexName);
    const docId = id ?? generateId();
    if (docId.length > 512) {
      throw esErrors.illegalArgument(
        `id [${docId.slice(0, 10)}...] is too long, must be no longer than 512 bytes but was: ${docId.length}`,
      );
    }
    const result = index.write(docId, source as Json, opType === "create");
    if (result.created) this.documents++;
    this.written++;
    this.enforceCap();
    return {
      status: result.created ? 201 : 200,
      body: {
        _index: index.name,
        _id: docId,
        _version: result.version,
        result: result.created ? "created" : "updated",
        _shards: { total: 2, successful: 1, failed: 0 },
        _seq_no: result.seqNo,
        _primary_term: 1,
      },
    };
  }

  getDocument(indexName: string, id: string): WriteResult {
    const index = this.indices.get(indexName);
    if (!index) throw esErrors.indexNotFound(indexName);
    const doc = index.get(id);
    if (!doc) return { status: 404, body: { _index: indexName, _id: id, found: false } };
    return {
      status: 200,
      body: {
        _index: indexName,
        _id: id,
        _version: doc.version,
        _seq_no: doc.seqNo,
        _primary_term: 1,
        found: true,
        _source: doc.source,
      },
    };
  }

  deleteDocument(indexName: string, id: string): WriteResult {
    const index = this.indices.get(indexName);
    if (!index) throw esErrors.indexNotFound(indexName);
    const deleted = index.delete(id);
    if (deleted) this.documents--;
    return {
      status: deleted ? 200 : 404,
      body: {
        _index: indexName,
        _id: id,
        _version: deleted?.version ?? 1,
        result: deleted ? "deleted" : "not_found",
        _shards: { total: 2, successful: 1, failed: 0 },
        _seq_no: deleted?.seqNo ?? 0,
        _primary_term: 1,
      },
    };
  }

  /** `_bulk`: NDJSON action/metadata lines, each followed by a source line (none for delete). */
  bulk(ndjson: string, defaultIndex?: string): Json {
    const started = performance.now();
    if (ndjson.length > 0 && !ndjson.endsWith("\n")) {
      throw esErrors.illegalArgument("The bulk request must be terminated by a newline [\\n]");
    }
    const lines = ndjson.split("\n");
    const items: Json[] = [];
    let errors = false;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === "") continue;
      let action: Json;
      try {
        action = JSON.parse(line) as Json;
      } catch {
        throw esErrors.illegalArgument(
          `Malformed action/metadata line [${i + 1}], expected START_OBJECT but found [VALUE_STRING]`,
        );
      }
      const keys = action && typeof action === "object" ? Object.keys(action) : [];
      const op = keys[0];
      if (keys.length !== 1 || !op || !["index", "create", "delete", "update"].includes(op)) {
        throw esErrors.illegalArgument(
          `Malformed action/metadata line [${i + 1}], expected field [create], [delete], [index] or [update] but found [${op ?? ""}]`,
        );
      }
      const meta = (action[op] ?? {}) as Json;
      const indexName = typeof meta._index === "string" ? meta._index : defaultIndex;
      const id = meta._id === undefined ? undefined : text(meta._id);
      let source: unknown;
      if (op !== "delete") {
        const sourceLine = lines[++i];
        if (sourceLine === undefined || sourceLine.trim() === "") {
          throw esErrors.illegalArgument(`Validation Failed: 1: no requests added;`);
        }
        try {
          source = JSON.parse(sourceLine);
        } catch (error) {
          items.push({
            [op]: {
              _index: indexName,
              _id: id ?? null,
              status: 400,
              error: esErrors.mapperParsing(`failed to parse: ${String(error)}`).toJSON(),
            },
          });
          errors = true;
          continue;
        }
      }
      if (!indexName) {
        throw new EsError(
          400,
          "action_request_validation_exception",
          "Validation Failed: 1: index is missing;",
        );
      }
      try {
        let result: WriteResult;
        if (op === "delete") {
          if (id === undefined)
            throw new EsError(
              400,
              "action_request_validation_exception",
              "Validation Failed: 1: id is missing;",
            );
          result = this.indices.has(indexName)
            ? this.deleteDocument(indexName, id)
            : {
                status: 404,
                body: {
                  _index: indexName,
                  _id: id,
                  _version: 1,
                  result: "not_found",
                  _shards: { total: 2, successful: 1, failed: 0 },
                  _seq_no: 0,
                  _primary_term: 1,
                },
              };
        } else if (op === "update") {
          throw esErrors.illegalArgument("[sim] bulk update is not simulated by the fleetgraph log store");
        } else {
          result = this.write(indexName, id, source, op as "index" | "create");
        }
        items.push({ [op]: { ...result.body, status: result.status } });
      } catch (error) {
        if (!(error instanceof EsError)) throw error;
        errors = true;
        items.push({
          [op]: { _index: indexName, _id: id ?? null, status: error.status, error: error.toJSON() },
        });
      }
    }
    return { errors, took: Math.round(performance.now() - started), items };
  }

  // ---- search ----

  search(target: string, body: Json, params: URLSearchParams): Json {
    return search(this.resolve(target, resolveOptionsOf(params)), body, params, this.limits, this.now());
  }

  count(target: string, body: Json, params: URLSearchParams): Json {
    return count(this.resolve(target, resolveOptionsOf(params)), body, this.limits, this.now());
  }

  // ---- bounds ----

  /** Drops daily indices older than the retention, then trims to the document cap. */
  enforceBounds(): void {
    const cutoff = dailySuffix(this.now() - this.retentionMs);
    for (const [name, index] of this.indices) {
      const suffix = dailySuffixOf(name);
      if (suffix !== undefined && suffix < cutoff) {
        this.documents -= index.docCount;
        this.evicted += index.docCount;
        this.indices.delete(name);
      }
    }
    this.enforceCap();
  }

  private enforceCap(): void {
    if (this.documents <= this.maxDocuments) return;
    // Trim a little below the cap, so the next writes do not trim again one by one.
    let excess = this.documents - Math.floor(this.maxDocuments * 0.95);
    const oldestFirst = [...this.indices.values()].sort(
      (a, b) =>
        (dailySuffixOf(a.name) ?? "").localeCompare(dailySuffixOf(b.name) ?? "") || a.createdAt - b.createdAt,
    );
    for (const index of oldestFirst) {
      if (excess <= 0) break;
      const removed = index.evictOldest(excess);
      excess -= removed;
      this.documents -= removed;
      this.evicted += removed;
      if (index.docCount === 0 && index !== oldestFirst[oldestFirst.length - 1])
        this.indices.delete(index.name);
    }
  }

  private templateFor(name: string): IndexTemplate | undefined {
    let best: IndexTemplate | undefined;
    for (const t of this.templates.values()) {
      if (t.patterns.some((p) => matches(p, name)) && (!best || t.priority > best.priority)) best = t;
    }
    return best;
  }
}

export function resolveOptionsOf(params: URLSearchParams): ResolveOptions {
  const bool = (name: string) => {
    const v = params.get(name);
    return v === null ? undefined : v === "" || v === "true";
  };
  const ignoreUnavailable = bool("ignore_unavailable");
  const allowNoIndices = bool("allow_no_indices");
  const expandWildcards = params.get("expand_wildcards");
  return {
    ...(ignoreUnavailable !== undefined ? { ignoreUnavailable } : {}),
    ...(allowNoIndices !== undefined ? { allowNoIndices } : {}),
    ...(expandWildcards !== null ? { expandWildcards } : {}),
  };
}

/** `*` wildcard match of an index name. */
export function matches(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const parts = pattern.split("*");
  if (!name.startsWith(parts[0]!) || !name.endsWith(parts[parts.length - 1]!)) return false;
  let at = parts[0]!.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = name.indexOf(parts[i]!, at);
    if (found < 0) return false;
    at = found + parts[i]!.length;
  }
  return at <= name.length - parts[parts.length - 1]!.length;
}

function dailySuffixOf(name: string): string | undefined {
  const m = /(\d{4}\.\d{2}\.\d{2})$/.exec(name);
  return m?.[1];
}

/** ES's auto-generated ids: 20 URL-safe base64 characters. */
export function generateId(): string {
  return randomBytes(15).toString("base64url");
}

const INVALID_CHARS = ["\\", "/", "*", "?", '"', "<", ">", "|", " ", ",", "#", ":"];

export function validateIndexName(name: string): void {
  if (name !== name.toLowerCase()) throw esErrors.invalidIndexName(name, "must be lowercase");
  for (const ch of INVALID_CHARS) {
    if (name.includes(ch))
      throw esErrors.invalidIndexName(
        name,
        `must not contain the following characters [${INVALID_CHARS.map((c) => (c === " " ? "' '" : c)).join(", ")}]`,
      );
  }
  if (/^[_\-+]/.test(name)) throw esErrors.invalidIndexName(name, "must not start with '_', '-', or '+'");
  if (name === "." || name === "..") throw esErrors.invalidIndexName(name, "must not be '.' or '..'");
  if (Buffer.byteLength(name) > 255)
    throw esErrors.invalidIndexName(name, "index name is too long, (" + Buffer.byteLength(name) + " > 255)");
}

function settingsOf(raw: unknown, base: Partial<IndexSettings>): Partial<IndexSettings> {
  if (raw === undefined || raw === null) return base;
  if (typeof raw !== "object") throw esErrors.parsing("settings must be an object");
  // Settings come nested ({index:{max_result_window}}) or flat ("index.max_result_window").
  const flat: Json = {};
  const walk = (node: Json, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === "object" && !Array.isArray(v)) walk(v as Json, key);
      else flat[key.startsWith("index.") ? key : `index.${key}`] = v;
    }
  };
  walk(raw as Json, "");
  const out: Partial<IndexSettings> = { ...base, other: { ...(base.other ?? {}) } };
  for (const [key, value] of Object.entries(flat)) {
    const n = Number(value);
    if (key === "index.max_result_window") {
      if (!Number.isInteger(n) || n < 1)
        throw esErrors.illegalArgument(
          `Failed to parse value [${String(value)}] for setting [index.max_result_window] must be >= 1`,
        );
      out.maxResultWindow = n;
    } else if (key === "index.max_terms_count") {
      if (!Number.isInteger(n) || n < 1)
        throw esErrors.illegalArgument(
          `Failed to parse value [${String(value)}] for setting [index.max_terms_count] must be >= 1`,
        );
      out.maxTermsCount = n;
    } else out.other![key] = String(value);
  }
  return out;
}
