/**
 * Kubernetes label selectors: the full string grammar of k8s.io/apimachinery/pkg/labels
 * (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`), validated the way the API
 * server validates them, so a bad selector is rejected before it reaches any cluster.
 */
export type LabelOperator = "=" | "!=" | "in" | "notin" | "exists" | "!exists";

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export type LabelSelector = readonly LabelRequirement[];

export class LabelSelectorError extends Error {
  override readonly name = "LabelSelectorError";
}

const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateLabelKey(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `invalid label key "${key}": prefix part must be a lowercase DNS subdomain of at most 253 characters`;
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    return `invalid label key "${key}": name part must be 1-63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  }
  return undefined;
}

export function validateLabelValue(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length > 63 || !NAME_PART.test(value)) {
    return `invalid label value "${value}": must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  }
  return undefined;
}

type Token =
  | { kind: "ident"; text: string }
  | { kind: "op"; text: "=" | "==" | "!=" | "!" | "(" | ")" | "," }
  | { kind: "end" };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === " " || c === "\t") {
      i++;
    } else if (c === "=" && input[i + 1] === "=") {
      tokens.push({ kind: "op", text: "==" });
      i += 2;
    } else if (c === "!" && input[i + 1] === "=") {
      tokens.push({ kind: "op", text: "!=" });
      i += 2;
    } else if (c === "=" || c === "!" || c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: "op", text: c });
      i++;
    } else {
      let j = i;
      while (j < input.length && !" \t=!(),".includes(input[j]!)) j++;
      tokens.push({ kind: "ident", text: input.slice(i, j) });
      i = j;
    }
  }
  tokens.push({ kind: "end" });
  return tokens;
}

/** Parses a selector string; the empty string selects everything. Throws LabelSelectorError. */
export function parseLabelSelector(input: string): LabelSelector {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const fail = (why: string): never => {
    throw new LabelSelectorError(`unable to parse requirement: ${why} (in selector "${input}")`);
  };
  const requirements: LabelRequirement[] = [];
  if (peek().kind === "end") return requirements;

  for (;;) {
    let negated = false;
    if (isOp(peek(), "!")) {
      next();
      negated = true;
    }
    const keyToken = next();
    if (keyToken.kind !== "ident") fail("expected a label key");
    const key = (keyToken as { text: string }).text;
    const keyError = validateLabelKey(key);
    if (keyError) fail(keyError);

    const after = peek();
    if (negated) {
      requirements.push({ key, operator: "!exists", values: [] });
    } else if (after.kind === "end" || isOp(after, ",")) {
      requirements.push({ key, operator: "exists", values: [] });
    } else if (isOp(after, "=") || isOp(after, "==") || isOp(after, "!=")) {
      next();
      const valueToken = peek();
      let value = "";
      if (valueToken.kind === "ident") {
        next();
        value = valueToken.text;
      } else if (!(valueToken.kind === "end" || isOp(valueToken, ","))) {
        fail(`expected a value after "${key}"`);
      }
      const valueError = validateLabelValue(value);
      if (valueError) fail(valueError);
      requirements.push({ key, operator: isOp(after, "!=") ? "!=" : "=", values: [value] });
    } else if (after.kind === "ident" && (after.text === "in" || after.text === "notin")) {
      next();
      if (!isOp(next(), "(")) fail(`expected "(" after "${after.text}"`);
      const values: string[] = [];
      for (;;) {
        const t = next();
        if (t.kind === "ident") {
          const valueError = validateLabelValue(t.text);
          if (valueError) fail(valueError);
          values.push(t.text);
          const sep = next();
          if (isOp(sep, ")")) break;
          if (!isOp(sep, ",")) fail(`expected "," or ")" in the value list of "${key}"`);
        } else if (isOp(t, ")") && values.length === 0) {
          break;
        } else {
          fail(`expected a value in the value list of "${key}"`);
        }
      }
      if (values.length === 0) fail(`for 'in', 'notin' operators, values set can't be empty`);
      requirements.push({ key, operator: after.text, values });
    } else {
      fail(`unexpected "${after.kind === "op" || after.kind === "ident" ? after.text : ""}" after "${key}"`);
    }

    const sep = next();
    if (sep.kind === "end") break;
    if (!isOp(sep, ",")) fail(`expected "," between requirements`);
  }
  return requirements;
}

function isOp(token: Token, text: string): boolean {
  return token.kind === "op" && token.text === text;
}

/**
 * The value of one label, or undefined. Own labels only: "constructor" and "toString" are valid
 * label keys, and every object inherits a function by those names.
 */
export function labelValue(
  labels: Readonly<Record<string, string>> | undefined,
  key: string,
): string | undefined {
  return labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const req of selector) {
    const value = labelValue(labels, req.key);
    switch (req.operator) {
      case "=":
        if (value !== req.values[0]) return false;
        break;
      case "!=":
        if (value === req.values[0]) return false;
        break;
      case "in":
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case "notin":
        if (value !== undefined && req.values.includes(value)) return false;
        break;
      case "exists":
        if (value === undefined) return false;
        break;
      case "!exists":
        if (value !== undefined) return false;
        break;
    }
  }
  return true;
}

const MATCH_OPERATORS = new Map<string, LabelOperator>([
  ["In", "in"],
  ["NotIn", "notin"],
  ["Exists", "exists"],
  ["DoesNotExist", "!exists"],
]);

/** A metav1.LabelSelector (matchLabels + matchExpressions) as requirements. */
export function fromLabelSelectorObject(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}): LabelSelector {
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, operator: "=", values: [value] });
  }
  for (const expr of selector.matchExpressions ?? []) {
    // A Map, not an object literal: "constructor" is no operator.
    const operator = MATCH_OPERATORS.get(expr.operator);
    if (!operator) throw new LabelSelectorError(`unsupported matchExpressions operator "${expr.operator}"`);
    requirements.push({ key: expr.key, operator, values: expr.values ?? [] });
  }
  return requirements;
}

export function formatLabelSelector(selector: LabelSelector): string {
  return selector
    .map((r) => {
      switch (r.operator) {
        case "=":
          return `${r.key}=${r.values[0]}`;
        case "!=":
          return `${r.key}!=${r.values[0]}`;
        case "in":
        case "notin":
          return `${r.key} ${r.operator} (${r.values.join(",")})`;
        case "exists":
          return r.key;
        case "!exists":
          return `!${r.key}`;
      }
    })
    .join(",");
}
