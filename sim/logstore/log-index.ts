/**
 * One index: a single shard holding documents in arrival order (the feeders write in time order,
 * so an index is also roughly sorted by time), with what a search needs built at write time —
 * postings (term -> sorted document ordinals) for keyword fields and the analysed tokens of text
 * fields, and columns of doc values for numbers, dates, booleans and keywords (sorting,
 * aggregations, ranges).
 *
 * Documents get ordinals that never change (a hit's `_doc`), and age out from the front: the
 * oldest documents go first (`evictOldest`), and arrays drop their dead prefix in batches. An
 * overwritten or deleted document leaves a tombstone that searches skip.
 */
import { randomBytes } from "node:crypto";
import { analyze } from "./analyzer.js";
import { DEFAULT_DATE_FORMAT, parseDate } from "./date-math.js";
import { lowerBound, range, subtract, type DocSet } from "./doc-set.js";
import { esErrors, type EsError } from "./errors.js";
import { Mapping, type LeafField } from "./mapping.js";

export interface IndexSettings {
  maxResultWindow: number;
  maxTermsCount: number;
  /** Everything else given under `settings.index`, echoed by GET. */
  other: Record<string, unknown>;
}

interface Term {
  term: string;
  docs: number[];
}

/** What one field holds, by document position (ordinal - offset). */
export class FieldIndex {
  /** keyword values and text tokens -> postings */
  readonly terms = new Map<string, Term>();
  /** keyword doc values (interned strings) */
  keywords: (string | string[] | undefined)[] = [];
  /** numbers, dates (epoch ms) and booleans (1/0); NaN when absent */
  numbers: number[] = [];
  /** extra values of multi-valued numeric fields */
  readonly moreNumbers = new Map<number, number[]>();
  /** text: token count per document (0 when absent), for BM25's length normalisation */
  lengths: number[] = [];
  totalLength = 0;
  docCount = 0;

  constructor(readonly leaf: LeafField) {}

  postings(term: string): number[] | undefined {
    return this.terms.get(term)?.docs;
  }

  addTerm(term: string, ordinal: number): string {
    let entry = this.terms.get(term);
    if (!entry) {
      entry = { term, docs: [] };
      this.terms.set(term, entry);
    }
    const docs = entry.docs;
    if (docs[docs.length - 1] !== ordinal) docs.push(ordinal);
    return entry.term;
  }
}

export interface StoredDoc {
  id: string;
  ordinal: number;
  version: number;
  seqNo: number;
  source: Record<string, unknown>;
}

export class LogIndex {
  readonly uuid = randomBytes(16).toString("base64url").slice(0, 22);
  readonly createdAt = Date.now();
  readonly mapping: Mapping;
  readonly settings: IndexSettings;
  readonly fields = new Map<string, FieldIndex>();
  /** Absolute ordinal of array position 0. */
  private offset = 0;
  /** First live ordinal (older ones aged out). */
  private startOrdinal = 0;
  private nextOrdinal = 0;
  private ids: string[] = [];
  private sources: string[] = [];
  private versions: number[] = [];
  private readonly byId = new Map<string, number>();
  /** Ordinals overwritten or deleted (>= startOrdinal), sorted on demand. */
  private readonly tombstones = new Set<number>();
  private sortedTombstones: number[] | undefined;
  private seqNo = 0;
  private bytes = 0;

  constructor(
    readonly name: string,
    options: { mappings?: unknown; settings?: Partial<IndexSettings> } = {},
  ) {
    this.mapping = new Mapping(options.mappings);
    this.settings = {
      maxResultWindow: options.settings?.maxResultWindow ?? 10_000,
      maxTermsCount: options.settings?.maxTermsCount ?? 65_536,
      other: options.settings?.other ?? {},
    };
  }

  get start(): number {
    return this.startOrdinal;
  }

  /** One past the last ordinal. */
  get end(): number {
    return this.nextOrdinal;
  }

  get docCount(): number {
    return this.nextOrdinal - this.startOrdinal - this.tombstones.size;
  }

  get deletedCount(): number {
    return this.tombstones.size;
  }

  get storeBytes(): number {
    return this.bytes;
  }

  /** Every live document. */
  all(): DocSet {
    const docs = range(this.startOrdinal, this.nextOrdinal);
    return this.tombstones.size ? subtract(docs, this.deleted()) : docs;
  }

  /** Sorted tombstoned ordinals. */
  deleted(): number[] {
    this.sortedTombstones ??= [...this.tombstones].sort((a, b) => a - b);
    return this.sortedTombstones;
  }

  isLive(ordinal: number): boolean {
    return ordinal >= this.startOrdinal && ordinal < this.nextOrdinal && !this.tombstones.has(ordinal);
  }

  field(path: string): FieldIndex | undefined {
    return this.fields.get(path);
  }

  position(ordinal: number): number {
    return ordinal - this.offset;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): StoredDoc | undefined {
    const ordinal = this.byId.get(id);
    return ordinal === undefined ? undefined : this.doc(ordinal);
  }

  doc(ordinal: number): StoredDoc {
    const p = ordinal - this.offset;
    return {
      id: this.ids[p]!,
      ordinal,
      version: this.versions[p]!,
      seqNo: 0,
      source: JSON.parse(this.sources[p]!) as Record<string, unknown>,
    };
  }

  idOf(ordinal: number): string {
    return this.ids[ordinal - this.offset]!;
  }

  sourceText(ordinal: number): string {
    return this.sources[ordinal - this.offset]!;
  }

  /**
   * Indexes a document (a new one, or a new version of an existing id). `create` refuses an
   * existing id with 409. Returns the version and whether it was created.
   */
  write(
    id: string,
    source: Record<string, unknown>,
    create: boolean,
  ): { version: number; seqNo: number; created: boolean } {
    const previous = this.byId.get(id);
    if (previous !== undefined && create) {
      throw esErrors.versionConflict(this.name, id, this.uuid, this.versions[previous - this.offset]!);
    }
    const values = this.mapping.parseDocument(source, id);
    const ordinal = this.nextOrdinal;
    // Coerce every value before touching the postings, so a bad value leaves no trace.
    const prepared: [FieldIndex, unknown[]][] = [];
    for (const [leaf, raw] of values) {
      if (!leaf.indexed) continue;
      prepared.push([this.fieldIndex(leaf), raw.map((v) => coerce(leaf, v, id))]);
    }
    const version = previous === undefined ? 1 : this.versions[previous - this.offset]! + 1;
    if (previous !== undefined) this.tombstone(previous);
    const p = ordinal - this.offset;
    for (const [field, vals] of prepared) this.indexValues(field, p, ordinal, vals);
    const text = JSON.stringify(source);
    this.ids[p] = id;
    this.sources[p] = text;
    this.versions[p] = version;
    this.bytes += text.length;
    this.byId.set(id, ordinal);
    this.nextOrdinal++;
    return { version, seqNo: this.seqNo++, created: previous === undefined };
  }

  delete(id: string): { version: number; seqNo: number } | undefined {
    const ordinal = this.byId.get(id);
    if (ordinal === undefined) return undefined;
    const version = this.versions[ordinal - this.offset]! + 1;
    this.tombstone(ordinal);
    this.byId.delete(id);
    return { version, seqNo: this.seqNo++ };
  }

  /** Ages out the `count` oldest documents; returns how many live documents went. */
  evictOldest(count: number): number {
    let removed = 0;
    while (removed < count && this.startOrdinal < this.nextOrdinal) {
      const ordinal = this.startOrdinal++;
      const p = ordinal - this.offset;
      this.bytes -= this.sources[p]!.length;
      this.sources[p] = "";
      if (this.tombstones.delete(ordinal)) {
        this.sortedTombstones = undefined;
        continue;
      }
      const id = this.ids[p]!;
      if (this.byId.get(id) === ordinal) this.byId.delete(id);
      removed++;
    }
    const dead = this.startOrdinal - this.offset;
    if (dead > 4096 && dead * 4 > this.nextOrdinal - this.offset) this.compact();
    return removed;
  }

  /** Drops the dead prefix of every array and postings list. */
  private compact(): void {
    const dead = this.startOrdinal - this.offset;
    this.ids = this.ids.slice(dead);
    this.sources = this.sources.slice(dead);
    this.versions = this.versions.slice(dead);
    for (const field of this.fields.values()) {
      if (field.keywords.length) field.keywords = field.keywords.slice(dead);
      if (field.numbers.length) field.numbers = field.numbers.slice(dead);
      if (field.lengths.length) field.lengths = field.lengths.slice(dead);
      for (const key of [...field.moreNumbers.keys()])
        if (key < this.startOrdinal) field.moreNumbers.delete(key);
      for (const [term, entry] of field.terms) {
        const cut = lowerBound(entry.docs, this.startOrdinal);
        if (cut === entry.docs.length) field.terms.delete(term);
        else if (cut > 0) entry.docs = entry.docs.slice(cut);
      }
    }
    this.offset = this.startOrdinal;
  }

  private tombstone(ordinal: number): void {
    this.tombstones.add(ordinal);
    this.sortedTombstones = undefined;
  }

  private fieldIndex(leaf: LeafField): FieldIndex {
    let field = this.fields.get(leaf.path);
    if (!field) {
      field = new FieldIndex(leaf);
      this.fields.set(leaf.path, field);
    }
    return field;
  }

  private indexValues(field: FieldIndex, p: number, ordinal: number, values: unknown[]): void {
    const kind = field.leaf.kind;
    if (kind === "text") {
      let length = 0;
      const seen = new Set<string>();
      for (const value of values) {
        const tokens = analyze(value as string);
        length += tokens.length;
        for (const token of tokens) {
          if (seen.has(token)) continue;
          seen.add(token);
          field.addTerm(token, ordinal);
        }
      }
      fill(field.lengths, p, 0);
      field.lengths[p] = length;
      field.totalLength += length;
      if (length > 0) field.docCount++;
      return;
    }
    if (kind === "keyword") {
      const kept: string[] = [];
      for (const value of values as string[]) {
        if (field.leaf.ignoreAbove !== undefined && value.length > field.leaf.ignoreAbove) continue;
        kept.push(field.addTerm(value, ordinal));
      }
      if (kept.length === 0) return;
      fill(field.keywords, p, undefined);
      field.keywords[p] = kept.length === 1 ? kept[0]! : [...new Set(kept)].sort();
      field.docCount++;
      return;
    }
    const numbers = values as number[];
    if (numbers.length === 0) return;
    fill(field.numbers, p, NaN);
    field.numbers[p] = kind === "boolean" ? numbers[0]! : Math.min(...numbers);
    if (numbers.length > 1) field.moreNumbers.set(ordinal, numbers);
    if (kind === "boolean") for (const n of numbers) field.addTerm(n ? "true" : "false", ordinal);
    field.docCount++;
  }
}

/** Pads a column up to position p (columns grow lazily: a field first seen late starts late). */
function fill<T>(column: T[], p: number, value: T): void {
  while (column.length < p) column.push(value);
}

/** A value as the field type stores it, or ES's document_parsing_exception. */
function coerce(leaf: LeafField, value: unknown, id: string): unknown {
  const fail = (cause?: EsError) =>
    esErrors.mapperParsing(
      `[1:2] failed to parse field [${leaf.path}] of type [${leaf.type}] in document with id '${id}'. Preview of field's value: '${String(value)}'`,
      cause,
    );
  switch (leaf.kind) {
    case "text":
    case "keyword":
      return typeof value === "string" ? value : String(value);
    case "number": {
      const n =
        typeof value === "number"
          ? value
          : typeof value === "string" && value.trim() !== ""
            ? Number(value)
            : NaN;
      if (!Number.isFinite(n)) throw fail(esErrors.illegalArgument(`For input string: "${String(value)}"`));
      return leaf.integral ? Math.trunc(n) : n;
    }
    case "date": {
      const t = parseDate(value, leaf.format ?? DEFAULT_DATE_FORMAT);
      if (t === undefined) {
        throw fail(
          esErrors.illegalArgument(
            `failed to parse date field [${String(value)}] with format [${leaf.format ?? DEFAULT_DATE_FORMAT}]`,
          ),
        );
      }
      return t;
    }
    case "boolean":
      if (value === true || value === "true") return 1;
      if (value === false || value === "false" || value === "") return 0;
      throw fail(
        esErrors.illegalArgument(
          `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`,
        ),
      );
  }
}
