/**
 * GraphQL documents for fuzzing a gateway: documents drawn from the schema itself (any root
 * field, arguments of the right shape with hostile values, nested selections down to leaves)
 * and real documents with their tokens damaged. Generation is a pure function of a seed, so a
 * failing document is reproduced by the seed fast-check reports.
 */
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isUnionType,
  Lexer,
  Source,
  TokenKind,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";

/** A small deterministic generator (mulberry32): the same seed, the same document. */
export class Dice {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

/** Values a caller who means harm, or has made a mistake, puts in a String argument. */
export interface StringPool {
  /** Values the fleet has (cluster, namespace and pod names, label selectors, cursors, ids). */
  readonly real: readonly string[];
}

const HOSTILE_STRINGS = [
  "",
  " ",
  "*",
  ".*",
  "..",
  "../..",
  "%2e%2e",
  "a/b",
  '"',
  '\\"',
  "\\",
  '"}) or vector(1) #',
  '"} or up{job=~".+',
  '{__name__=~".+"}',
  "constructor",
  "__proto__",
  "toString",
  "app",
  "app=",
  "app in (",
  "!app",
  "app notin ()",
  "x".repeat(64),
  "y".repeat(254),
  "z".repeat(5000),
  "\u0000",
  "\ud800",
  "é",
  "日本",
  "-1",
  "1e309",
  "NaN",
  "2026-13-40T25:61:00Z",
  "0001-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "1970-01-01T00:00:00.000Z",
  "query_string",
  '{"match_all":{}}',
  "${jndi:ldap://x}",
  "<script>",
];

const INTS = [0, 1, -1, 2, 10, 50, 100, 999, 1000, 1001, 10_000, 2_147_483_647, -2_147_483_648];
const FLOATS = [0, -1, 0.5, 1e308, -1e308, 3.14];

function stringValue(dice: Dice, pool: StringPool): string {
  const r = dice.next();
  if (r < 0.4 && pool.real.length > 0) return dice.pick(pool.real);
  if (r < 0.85) return dice.pick(HOSTILE_STRINGS);
  const length = dice.below(12);
  let s = "";
  for (let i = 0; i < length; i++)
    s += String.fromCharCode(dice.chance(0.8) ? 32 + dice.below(95) : dice.below(0x3000));
  return s;
}

/** A value for an input type, as JSON (for variables); sometimes of the wrong shape on purpose. */
export function inputValue(dice: Dice, type: GraphQLInputType, pool: StringPool, depth = 0): unknown {
  if (!isNonNullType(type) && dice.chance(0.05)) return null;
  if (dice.chance(0.03)) return dice.pick<unknown>([null, 1, "x", [], {}, true]);
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const n = dice.below(depth > 2 ? 2 : 4);
    return Array.from({ length: n }, () => inputValue(dice, nullable.ofType, pool, depth + 1));
  }
  if (isEnumType(nullable)) return dice.pick(nullable.getValues()).name;
  if (isInputObjectType(nullable)) {
    const out: Record<string, unknown> = {};
    if (depth > 3) return out;
    for (const field of Object.values(nullable.getFields()))
      if (isNonNullType(field.type) || dice.chance(0.35))
        out[field.name] = inputValue(dice, field.type, pool, depth + 1);
    return out;
  }
  switch (nullable.name) {
    case "Int":
      return dice.pick(INTS);
    case "Float":
      return dice.pick(FLOATS);
    case "Boolean":
      return dice.chance(0.5);
    default:
      return stringValue(dice, pool);
  }
}

/** A JSON value written as a GraphQL literal (enums by their bare names). */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null) return "null";
  const nullable = getNullableType(type);
  if (Array.isArray(value))
    return `[${value.map((v) => literal(v, isListType(nullable) ? nullable.ofType : nullable)).join(", ")}]`;
  if (typeof value === "object") {
    const fields = isInputObjectType(nullable) ? nullable.getFields() : {};
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? nullable)}`)
      .join(", ")}}`;
  }
  if (typeof value === "string" && isEnumType(nullable)) return value;
  return JSON.stringify(value);
}

export interface GeneratedOperation {
  document: string;
  variables: Record<string, unknown>;
}

interface Builder {
  dice: Dice;
  pool: StringPool;
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  declarations: string[];
}

function argumentsOf(b: Builder, args: readonly GraphQLArgument[]): string {
  const parts: string[] = [];
  for (const arg of args) {
    if (!isNonNullType(arg.type) && !b.dice.chance(0.45)) continue;
    const value = inputValue(b.dice, arg.type, b.pool);
    if (b.dice.chance(0.5)) {
      const name = `v${b.declarations.length}`;
      b.declarations.push(`$${name}: ${String(arg.type)}`);
      b.variables[name] = value;
      parts.push(`${arg.name}: $${name}`);
    } else {
      parts.push(`${arg.name}: ${literal(value, arg.type)}`);
    }
  }
  return parts.length > 0 ? `(${parts.join(", ")})` : "";
}

function selectionOf(b: Builder, type: GraphQLNamedType, depth: number): string {
  if (isLeafType(type)) return "";
  if (isUnionType(type) || isInterfaceType(type)) {
    const possible = b.schema.getPossibleTypes(type);
    const concrete = possible.length > 0 ? b.dice.pick(possible) : undefined;
    const own = isInterfaceType(type) ? selectionOfFields(b, Object.values(type.getFields()), depth) : "";
    const spread = concrete ? `... on ${concrete.name} ${selectionOf(b, concrete, depth)}` : "";
    return `{ __typename ${own.slice(1, -1)} ${spread} }`;
  }
  return selectionOfFields(b, Object.values((type as GraphQLObjectType).getFields()), depth);
}

function selectionOfFields(
  b: Builder,
  fields: readonly GraphQLField<unknown, unknown>[],
  depth: number,
): string {
  const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
  const nested = fields.filter((f) => !isLeafType(getNamedType(f.type)));
  const chosen: string[] = [];
  const count = 1 + b.dice.below(3);
  for (let i = 0; i < count; i++) {
    const goDeeper = depth < 3 && nested.length > 0 && (leaves.length === 0 || b.dice.chance(0.5));
    const field = goDeeper ? b.dice.pick(nested) : leaves.length > 0 ? b.dice.pick(leaves) : undefined;
    if (!field) break;
    const alias = b.dice.chance(0.1) ? `a${i}: ` : "";
    chosen.push(
      `${alias}${field.name}${argumentsOf(b, field.args)} ${selectionOf(b, getNamedType(field.type), depth + 1)}`,
    );
  }
  if (chosen.length === 0) chosen.push("__typename");
  return `{ ${chosen.join(" ")} }`;
}

/** An operation on one of `roots` (any root field when empty), its arguments drawn from the pool. */
export function schemaOperation(
  schema: GraphQLSchema,
  seed: number,
  pool: StringPool,
  roots: readonly string[] = [],
): GeneratedOperation {
  const b: Builder = { dice: new Dice(seed), pool, schema, variables: {}, declarations: [] };
  const query = schema.getQueryType()!;
  const fields = Object.values(query.getFields()).filter((f) => roots.length === 0 || roots.includes(f.name));
  const body = selectionOfFields(b, [b.dice.pick(fields)], 0);
  const header = b.declarations.length > 0 ? `query Fuzz(${b.declarations.join(", ")}) ` : "";
  return { document: `${header}${body}`, variables: b.variables };
}

/** The tokens of a document, as written (strings and block strings keep their quotes). */
export function tokensOf(document: string): string[] {
  const lexer = new Lexer(new Source(document));
  const out: string[] = [];
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance())
    out.push(document.slice(token.start, token.end));
  return out;
}

export type TokenMutation =
  | { op: "drop"; at: number }
  | { op: "repeat"; at: number; times: number }
  | { op: "swap"; at: number; with: number }
  | { op: "replace"; at: number; by: string };

export function mutateTokens(tokens: readonly string[], mutations: readonly TokenMutation[]): string {
  const out = [...tokens];
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    switch (m.op) {
      case "drop":
        out.splice(at, 1);
        break;
      case "repeat":
        out.splice(at, 0, ...Array<string>(m.times).fill(out[at]!));
        break;
      case "swap": {
        const other = m.with % out.length;
        [out[at], out[other]] = [out[other]!, out[at]!];
        break;
      }
      case "replace":
        out[at] = m.by;
        break;
    }
  }
  return out.join(" ");
}
