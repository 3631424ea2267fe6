/**
 * An index's mapping: explicit field types and ES's dynamic mapping. A new string becomes `text`
 * with a `keyword` multi-field (`ignore_above: 256`) unless it looks like a date in the default
 * dynamic date formats (then `date`); an integer `long`, any other number `float`, a boolean
 * `boolean`, an object an object of properties (never the `nested` type). Keys with dots are paths,
 * as in ES (`{"a.b": 1}` maps `a` as an object holding `b`).
 *
 * The mapping is kept as ES renders it (GET _mapping gives back what PUT gave it, plus what dynamic
 * mapping added) and, beside it, a flat table of leaf fields by full path (`log`, `log.keyword`,
 * `kubernetes.namespace_name`) for the indexer and the queries.
 */
import { EsError, esErrors, text } from "./errors.js";
import { parseIsoDate } from "./date-math.js";

export type FieldType =
  | "text"
  | "match_only_text"
  | "keyword"
  | "constant_keyword"
  | "wildcard"
  | "date"
  | "date_nanos"
  | "long"
  | "integer"
  | "short"
  | "byte"
  | "double"
  | "float"
  | "half_float"
  | "scaled_float"
  | "unsigned_long"
  | "boolean"
  | "ip";

const NUMERIC = new Set<FieldType>([
  "long",
  "integer",
  "short",
  "byte",
  "double",
  "float",
  "half_float",
  "scaled_float",
  "unsigned_long",
]);
const INTEGRAL = new Set<FieldType>(["long", "integer", "short", "byte", "unsigned_long"]);

/** How a leaf field is indexed. */
export type FieldKind = "text" | "keyword" | "number" | "date" | "boolean";

export interface LeafField {
  path: string;
  type: FieldType;
  kind: FieldKind;
  /** Keyword values longer than this are not indexed (still in _source). */
  ignoreAbove?: number;
  /** Date format list for parsing values. */
  format?: string;
  integral: boolean;
  /** `index: false` fields are kept but not searchable. */
  indexed: boolean;
}

export type Dynamic = "true" | "false" | "strict" | "runtime";

/** A property as ES renders it in a mapping. */
export interface PropertyJson {
  type?: string;
  properties?: Record<string, PropertyJson>;
  fields?: Record<string, PropertyJson>;
  ignore_above?: number;
  format?: string;
  index?: boolean;
  dynamic?: unknown;
  [key: string]: unknown;
}

export function kindOf(type: FieldType): FieldKind {
  if (type === "text" || type === "match_only_text") return "text";
  if (type === "date" || type === "date_nanos") return "date";
  if (type === "boolean") return "boolean";
  if (NUMERIC.has(type)) return "number";
  return "keyword";
}

const KNOWN_TYPES = new Set<string>([
  "text",
  "match_only_text",
  "keyword",
  "constant_keyword",
  "wildcard",
  "date",
  "date_nanos",
  "boolean",
  "ip",
  ...NUMERIC,
]);

export class Mapping {
  private readonly properties: Record<string, PropertyJson> = {};
  private readonly leaves = new Map<string, LeafField>();
  private readonly objects = new Set<string>();
  private dynamic: Dynamic = "true";
  private readonly extra: Record<string, unknown> = {};

  constructor(json?: unknown) {
    if (json !== undefined) this.merge(json);
  }

  /** PUT _mapping / the mappings of PUT index: adds properties; a changed type is refused as ES does. */
  merge(json: unknown): void {
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw esErrors.mapperParsing("Failed to parse mapping: mapping must be an object");
    }
    for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
      if (key === "properties") this.mergeProperties("", this.properties, value);
      else if (key === "dynamic") this.dynamic = String(value) as Dynamic;
      else if (
        key === "_source" ||
        key === "_meta" ||
        key === "date_detection" ||
        key === "dynamic_templates"
      )
        this.extra[key] = value;
      else
        throw esErrors.mapperParsing(
          `Failed to parse mapping: Root mapping definition has unsupported parameters:  [${key} : ${JSON.stringify(value)}]`,
        );
    }
  }

  toJSON(): Record<string, unknown> {
    return {
      ...(this.dynamic !== "true" ? { dynamic: this.dynamic } : {}),
      ...this.extra,
      ...(Object.keys(this.properties).length ? { properties: this.properties } : {}),
    };
  }

  field(path: string): LeafField | undefined {
    return this.leaves.get(path);
  }

  isObject(path: string): boolean {
    return this.objects.has(path);
  }

  /** Leaf fields at or under a path (for `exists` on an object). */
  fieldsUnder(path: string): LeafField[] {
    const exact = this.leaves.get(path);
    if (exact) return [exact];
    const prefix = `${path}.`;
    return [...this.leaves.values()].filter((f) => f.path.startsWith(prefix));
  }

  /** Leaf field paths matching a pattern with `*` (for `_source` filtering and `exists`). */
  allFields(): LeafField[] {
    return [...this.leaves.values()];
  }

  /**
   * Maps what a document brings that the mapping lacks (dynamic mapping), then returns its leaf
   * values by field path. Throws document_parsing_exception / strict_dynamic_mapping_exception.
   */
  parseDocument(source: Record<string, unknown>, id: string): Map<LeafField, unknown[]> {
    const out = new Map<LeafField, unknown[]>();
    this.walk("", this.properties, source, out, id, this.dynamic);
    return out;
  }

  private walk(
    prefix: string,
    properties: Record<string, PropertyJson>,
    object: Record<string, unknown>,
    out: Map<LeafField, unknown[]>,
    id: string,
    dynamic: Dynamic,
  ): void {
    for (const [rawKey, value] of Object.entries(object)) {
      if (value === null || value === undefined) continue;
      // A dotted key is a path of objects.
      const parts = rawKey.split(".");
      let props = properties;
      let path = prefix;
      let dyn = dynamic;
      let skip = false;
      for (let i = 0; i < parts.length - 1; i++) {
        path = path ? `${path}.${parts[i]}` : parts[i]!;
        const sub = this.ensureObject(props, parts[i]!, path, dyn, id);
        if (!sub) {
          skip = true;
          break;
        }
        dyn = dynamicOf(sub, dyn);
        props = sub.properties!;
      }
      if (skip) continue;
      const key = parts[parts.length - 1]!;
      path = path ? `${path}.${key}` : key;
      this.walkValue(path, key, props, value, out, id, dyn);
    }
  }

  private walkValue(
    path: string,
    key: string,
    props: Record<string, PropertyJson>,
    value: unknown,
    out: Map<LeafField, unknown[]>,
    id: string,
    dynamic: Dynamic,
  ): void {
    if (Array.isArray(value)) {
      for (const item of value)
        if (item !== null && item !== undefined) this.walkValue(path, key, props, item, out, id, dynamic);
      return;
    }
    if (typeof value === "object") {
      const existing = props[key];
      if (existing?.type !== undefined && existing.type !== "object") {
        throw esErrors.mapperParsing(
          `[1:2] failed to parse field [${path}] of type [${existing.type}] in document with id '${id}'. Preview of field's value: '${preview(value)}'`,
        );
      }
      const sub = this.ensureObject(props, key, path, dynamic, id);
      if (!sub) return;
      this.walk(path, sub.properties!, value as Record<string, unknown>, out, id, dynamicOf(sub, dynamic));
      return;
    }
    let prop = props[key];
    if (prop === undefined) {
      if (dynamic === "false" || dynamic === "runtime") return;
      if (dynamic === "strict") throw strict(path, key);
      prop = dynamicProperty(value);
      props[key] = prop;
      this.register(path, prop);
    } else if (prop.properties) {
      throw esErrors.mapperParsing(
        `object mapping for [${path}] tried to parse field [${key}] as object, but found a concrete value`,
      );
    }
    const leaf = this.leaves.get(path);
    if (!leaf) return;
    push(out, leaf, value);
    for (const sub of Object.keys(prop.fields ?? {})) {
      const multi = this.leaves.get(`${path}.${sub}`);
      if (multi) push(out, multi, value);
    }
  }

  private ensureObject(
    props: Record<string, PropertyJson>,
    key: string,
    path: string,
    dynamic: Dynamic,
    id: string,
  ): PropertyJson | undefined {
    const existing = props[key];
    if (existing) {
      if (existing.type !== undefined && existing.type !== "object") {
        throw esErrors.mapperParsing(
          `[1:2] failed to parse field [${path}] of type [${existing.type}] in document with id '${id}'. Preview of field's value: '{...}'`,
        );
      }
      existing.properties ??= {};
      return existing;
    }
    if (dynamic === "false" || dynamic === "runtime") return undefined;
    if (dynamic === "strict") throw strict(path, key);
    const created: PropertyJson = { properties: {} };
    props[key] = created;
    this.objects.add(path);
    return created;
  }

  private mergeProperties(prefix: string, into: Record<string, PropertyJson>, json: unknown): void {
    if (json === null || typeof json !== "object")
      throw esErrors.mapperParsing("Failed to parse mapping: properties must be an object");
    for (const [key, raw] of Object.entries(json as Record<string, unknown>)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const prop = { ...(raw as PropertyJson) };
      const type = prop.type;
      if (prop.properties || type === "object" || type === "nested") {
        if (type === "nested")
          throw esErrors.illegalArgument(`[sim] the nested field type (${path}) is not simulated`);
        const existing = into[key];
        if (existing && existing.type !== undefined && existing.type !== "object")
          throw conflict(path, existing.type, "object");
        const target: PropertyJson =
          existing ?? (type === "object" ? { type: "object", properties: {} } : { properties: {} });
        target.properties ??= {};
        into[key] = target;
        this.objects.add(path);
        if (prop.dynamic !== undefined) target.dynamic = prop.dynamic;
        this.mergeProperties(path, target.properties, prop.properties ?? {});
        continue;
      }
      if (type === undefined || !KNOWN_TYPES.has(type)) {
        throw esErrors.mapperParsing(
          type === undefined
            ? `Failed to parse mapping: No type specified for field [${key}]`
            : `Failed to parse mapping: No handler for type [${type}] declared on field [${key}]`,
        );
      }
      const existing = into[key];
      if (existing && existing.type !== type) throw conflict(path, existing.type ?? "object", type);
      into[key] = existing ? { ...existing, ...prop } : prop;
      this.register(path, into[key]);
    }
  }

  private register(path: string, prop: PropertyJson): void {
    const type = prop.type as FieldType;
    this.leaves.set(path, leafOf(path, prop));
    for (const [sub, subProp] of Object.entries(prop.fields ?? {})) {
      if (!subProp.type || !KNOWN_TYPES.has(subProp.type)) {
        throw esErrors.mapperParsing(
          `Failed to parse mapping: No handler for type [${String(subProp.type)}] declared on field [${sub}]`,
        );
      }
      this.leaves.set(`${path}.${sub}`, leafOf(`${path}.${sub}`, subProp));
    }
    void type;
  }
}

function leafOf(path: string, prop: PropertyJson): LeafField {
  const type = prop.type as FieldType;
  return {
    path,
    type,
    kind: kindOf(type),
    ...(prop.ignore_above !== undefined ? { ignoreAbove: Number(prop.ignore_above) } : {}),
    ...(prop.format !== undefined ? { format: String(prop.format) } : {}),
    integral: INTEGRAL.has(type),
    indexed: prop.index !== false,
  };
}

function dynamicOf(prop: PropertyJson, inherited: Dynamic): Dynamic {
  return prop.dynamic === undefined ? inherited : (text(prop.dynamic) as Dynamic);
}

/** The property dynamic mapping gives a new value. */
function dynamicProperty(value: unknown): PropertyJson {
  if (typeof value === "boolean") return { type: "boolean" };
  if (typeof value === "number") return { type: Number.isInteger(value) ? "long" : "float" };
  const text = String(value);
  // The default dynamic_date_formats: strict_date_optional_time and "yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd Z".
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && parseIsoDate(text) !== undefined) return { type: "date" };
  if (/^\d{4}\/\d{2}\/\d{2}( \d{2}:\d{2}:\d{2})?( [+-]\d{4}|Z)?$/.test(text))
    return { type: "date", format: "yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis" };
  return { type: "text", fields: { keyword: { type: "keyword", ignore_above: 256 } } };
}

function push(out: Map<LeafField, unknown[]>, leaf: LeafField, value: unknown): void {
  const list = out.get(leaf);
  if (list) list.push(value);
  else out.set(leaf, [value]);
}

function preview(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

function strict(path: string, key: string): EsError {
  const parent = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "_doc";
  return new EsError(
    400,
    "strict_dynamic_mapping_exception",
    `[1:2] mapping set to strict, dynamic introduction of [${key}] within [${parent}] is not allowed`,
  );
}

function conflict(path: string, from: string, to: string): EsError {
  return esErrors.illegalArgument(`mapper [${path}] cannot be changed from type [${from}] to [${to}]`);
}
