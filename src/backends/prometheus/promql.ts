/**
 * Building PromQL from values that came from outside: every value is checked against the
 * Kubernetes grammar of what it names (a namespace, a pod, a node) and then quoted, so a hostile
 * name can neither end the string it sits in nor widen the regex it joins. Label names are fixed
 * by the catalog, never taken from a request.
 */
import { validateLabelValue } from "../../kube/label-selector.js";

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Prometheus's label-name grammar; `__`-prefixed names are reserved for Prometheus itself. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** What a value names, which decides the grammar it must follow. */
export type NameGrammar = "namespace" | "pod" | "container" | "node" | "workload" | "cluster" | "labelValue";

export class PromQLValueError extends Error {
  override readonly name = "PromQLValueError";
  constructor(
    readonly grammar: NameGrammar,
    readonly value: string,
    message: string,
  ) {
    super(message);
  }

  /** Read by graphql-js: a bad name in a request is the caller's input to fix. */
  get extensions(): { code: "BAD_USER_INPUT"; argument: NameGrammar } {
    return { code: "BAD_USER_INPUT", argument: this.grammar };
  }
}

/** The API server's own rules: namespaces and containers are DNS-1123 labels, the rest subdomains. */
export function checkName(grammar: NameGrammar, value: string): string {
  const ok = ((): boolean => {
    switch (grammar) {
      case "namespace":
      case "container":
        return value.length <= 63 && DNS_1123_LABEL.test(value);
      case "pod":
      case "node":
      case "workload":
        return value.length <= 253 && DNS_1123_SUBDOMAIN.test(value);
      case "cluster":
      case "labelValue":
        // A label value may be empty; a cluster label's value is whatever the operator chose.
        return value !== "" && validateLabelValue(value) === undefined;
    }
  })();
  if (!ok)
    throw new PromQLValueError(
      grammar,
      value,
      `${JSON.stringify(value.slice(0, 80))} is not a valid ${grammar} name, so it cannot be asked of Prometheus`,
    );
  return value;
}

export function checkLabelName(name: string): string {
  if (!LABEL_NAME.test(name) || name.startsWith("__"))
    throw new Error(`"${name}" is not a Prometheus label name a query may match on`);
  return name;
}

/**
 * A PromQL string literal. PromQL unquotes double-quoted strings with Go's rules, which accept
 * every escape JSON writes (\", \\, \n, \uXXXX), so JSON's quoting is exact here.
 */
export function stringLiteral(value: string): string {
  return JSON.stringify(value);
}

/** RE2's metacharacters: escaped, a name matches only itself inside a `=~` alternation. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

/** One alternative of a `=~` matcher: a whole name, or every name starting with `prefix` then `-`. */
export type NamePattern = { exact: string } | { prefix: string };

/**
 * `label="v"` for one exact value, `label=~"a|b|c-.+"` for several; PromQL anchors the regex at
 * both ends, so the alternation never matches a longer name by accident.
 */
export function labelMatcher(label: string, patterns: readonly NamePattern[]): string {
  checkLabelName(label);
  if (patterns.length === 0) throw new Error(`no values for the ${label} matcher`);
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  for (const p of patterns) {
    if ("exact" in p) exact.add(p.exact);
    else prefixes.add(p.prefix);
  }
  if (exact.size === 1 && prefixes.size === 0) return `${label}=${stringLiteral([...exact][0]!)}`;
  const parts = [...[...exact].map(escapeRegex), ...[...prefixes].map((p) => `${escapeRegex(p)}-.+`)].sort();
  return `${label}=~${stringLiteral(parts.join("|"))}`;
}

/** `{a, b, c}` from matchers; an empty selector is allowed only with a metric name before it. */
export function selector(matchers: readonly string[]): string {
  return `{${matchers.join(",")}}`;
}
