/**
 * Text that reaches PromQL and the log store. A PromQL string literal, read back with the escape
 * rules Prometheus unquotes with (Go's strconv), is exactly the value put in, and ends where the
 * literal ends; a `=~` alternation matches exactly its names and prefixes. Names are checked by
 * the Kubernetes grammars, here compared with a character-by-character reading of the same rules.
 * Filter values of event and audit searches change what matches, never the search's shape.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkName,
  labelMatcher,
  PromQLValueError,
  stringLiteral,
  type NameGrammar,
  type NamePattern,
} from "../../src/backends/prometheus/promql.js";
import { QueryInputError } from "../../src/cache/query/errors.js";
import { isDnsLabel, isDnsSubdomain, pathSegmentNameProblem } from "../../src/kube/names.js";
import { auditSpec, type AuditFilter } from "../../src/logs/audit-search.js";
import { eventSpec, type EventHistoryFilter } from "../../src/logs/event-history.js";
import type { SearchSpec } from "../../src/logs/store-search.js";
import { searchQueryOf } from "../support/search-group.js";
import { anyText, tokenText } from "./arbitraries.js";
import { fuzzSettings, runParameters } from "./fuzz-settings.js";

const settings = fuzzSettings(2000, 5);
const params = runParameters(settings);
/** Building a whole search costs more than reading a string: fewer runs. */
const searchSettings = fuzzSettings(500, 10);

/** Well-formed text (no lone surrogates): what a JSON request body can carry. */
const wellFormed = fc
  .oneof(fc.string({ unit: "binary", maxLength: 60 }), anyText(60))
  // With the u flag, \p{Cs} matches only a surrogate that is not part of a pair.
  .filter((s) => !/\p{Cs}/u.test(s));

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
};

/**
 * Reads a double-quoted PromQL string starting at `text[start]` the way Prometheus does (Go's
 * UnquoteChar): the value and the index after the closing quote. Throws where Prometheus would.
 */
function readPromQLString(text: string, start: number): { value: string; end: number } {
  if (text[start] !== '"') throw new Error(`no string at ${start}`);
  let value = "";
  let i = start + 1;
  const hex = (n: number): number => {
    const digits = text.slice(i, i + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw new Error(`bad \\x/\\u escape at ${i}`);
    i += n;
    return parseInt(digits, 16);
  };
  for (;;) {
    if (i >= text.length) throw new Error("unterminated string");
    const c = text[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c === "\n") throw new Error("newline in a string");
    if (c !== "\\") {
      value += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    i += 2;
    if (e !== undefined && e in SIMPLE_ESCAPES) value += SIMPLE_ESCAPES[e];
    else if (e === "u" || e === "U") {
      const code = hex(e === "u" ? 4 : 8);
      // Go refuses surrogate halves and code points past Unicode (utf8.ValidRune).
      if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) throw new Error("invalid rune");
      value += String.fromCodePoint(code);
    } else if (e === "x") {
      const byte = hex(2);
      if (byte >= 0x80) throw new Error("a raw byte is not text");
      value += String.fromCharCode(byte);
    } else throw new Error(`unknown escape \\${e}`);
  }
}

const REGEX_META = new Set([..."\\.+*?()|[]{}^$"]);

/** The alternatives of an escaped alternation, each as a whole name or a prefix (`p-.+`). */
function readAlternation(regex: string): NamePattern[] {
  const out: NamePattern[] = [];
  let literal = "";
  let i = 0;
  const finish = (pattern: NamePattern) => {
    out.push(pattern);
    literal = "";
  };
  while (i <= regex.length) {
    if (i === regex.length || regex[i] === "|") {
      finish({ exact: literal });
      i++;
      continue;
    }
    if (regex.startsWith("-.+", i) && (i + 3 === regex.length || regex[i + 3] === "|")) {
      finish({ prefix: literal });
      i += 4;
      continue;
    }
    const c = regex[i]!;
    if (c === "\\") {
      const next = regex[i + 1];
      if (next === undefined || !REGEX_META.has(next)) throw new Error(`stray escape at ${i}`);
      literal += next;
      i += 2;
    } else if (REGEX_META.has(c)) {
      throw new Error(`unescaped ${c} at ${i} of ${regex}`);
    } else {
      literal += c;
      i++;
    }
  }
  return out;
}

const key = (p: NamePattern) => ("exact" in p ? `=${p.exact}` : `^${p.prefix}`);

describe("PromQL strings", () => {
  it(
    "read back as exactly the value, ending where the literal ends",
    () => {
      fc.assert(
        fc.property(wellFormed, (value) => {
          const literal = stringLiteral(value);
          expect(readPromQLString(literal, 0)).toEqual({ value, end: literal.length });
        }),
        params,
      );
    },
    settings.timeoutMs,
  );

  it(
    "label matchers keep their structure and match exactly the names and prefixes given",
    () => {
      const pattern: fc.Arbitrary<NamePattern> = fc.oneof(
        wellFormed.map((exact) => ({ exact })),
        wellFormed.map((prefix) => ({ prefix })),
      );
      fc.assert(
        fc.property(fc.array(pattern, { minLength: 1, maxLength: 5 }), (patterns) => {
          const matcher = labelMatcher("pod", patterns);
          const op = /^pod(=~|=)"/.exec(matcher);
          expect(op, matcher).not.toBeNull();
          const { value, end } = readPromQLString(matcher, op![0].length - 1);
          expect(end, "the literal ends the matcher").toBe(matcher.length);
          const want = new Set(patterns.map(key));
          if (op![1] === "=") expect(want).toEqual(new Set([`=${value}`]));
          else expect(new Set(readAlternation(value).map(key))).toEqual(want);
        }),
        params,
      );
    },
    settings.timeoutMs,
  );
});

/** The DNS-1123 label rule read one character at a time: [a-z0-9-], alphanumeric at both ends. */
function dnsLabelByHand(s: string, max: number | undefined): boolean {
  const alnum = (c: string) => (c >= "a" && c <= "z") || (c >= "0" && c <= "9");
  if (s.length === 0 || (max !== undefined && s.length > max)) return false;
  if (!alnum(s[0]!) || !alnum(s[s.length - 1]!)) return false;
  return [...s].every((c) => alnum(c) || c === "-");
}

function dnsSubdomainByHand(s: string): boolean {
  return s.length <= 253 && s.split(".").every((part) => dnsLabelByHand(part, undefined));
}

function labelValueByHand(s: string): boolean {
  const alnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
  if (s.length === 0 || s.length > 63) return false;
  if (!alnum(s[0]!) || !alnum(s[s.length - 1]!)) return false;
  return [...s].every((c) => alnum(c) || c === "-" || c === "_" || c === ".");
}

const BY_HAND: Record<NameGrammar, (s: string) => boolean> = {
  namespace: (s) => dnsLabelByHand(s, 63),
  container: (s) => dnsLabelByHand(s, 63),
  pod: dnsSubdomainByHand,
  node: dnsSubdomainByHand,
  workload: dnsSubdomainByHand,
  cluster: labelValueByHand,
  labelValue: labelValueByHand,
};

const nameText = fc.oneof(
  anyText(80),
  tokenText([
    "a",
    "z",
    "0",
    "9",
    "-",
    ".",
    "A",
    "_",
    "web-1",
    "kube-system",
    "x".repeat(63),
    "y".repeat(200),
  ]),
);

describe("names", () => {
  it(
    "the PromQL name checks accept exactly what the Kubernetes grammars accept, refusing the rest as BAD_USER_INPUT",
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...(Object.keys(BY_HAND) as NameGrammar[])),
          nameText,
          (grammar, text) => {
            let accepted: boolean;
            try {
              expect(checkName(grammar, text)).toBe(text);
              accepted = true;
            } catch (error) {
              expect(error).toBeInstanceOf(PromQLValueError);
              expect((error as PromQLValueError).extensions.code).toBe("BAD_USER_INPUT");
              accepted = false;
            }
            expect(accepted, `${grammar} ${JSON.stringify(text)}`).toBe(BY_HAND[grammar](text));
          },
        ),
        params,
      );
    },
    settings.timeoutMs,
  );

  it(
    "src/kube/names.ts agrees with the same rules",
    () => {
      fc.assert(
        fc.property(nameText, (text) => {
          expect(isDnsLabel(text)).toBe(dnsLabelByHand(text, 63));
          expect(isDnsSubdomain(text)).toBe(dnsSubdomainByHand(text));
          const segmentOk = text !== "" && text !== "." && text !== ".." && !/[/%]/.test(text);
          expect(pathSegmentNameProblem(text) === undefined).toBe(segmentOk);
        }),
        params,
      );
    },
    settings.timeoutMs,
  );
});

const PLAIN = "plain-value";
const FORBIDDEN_KEYS = new Set([
  "query_string",
  "simple_query_string",
  "regexp",
  "wildcard",
  "prefix",
  "script",
  "fuzzy",
]);

/** The query's JSON with `value` (as a whole string value, never a key) replaced by a marker. */
function shape(query: unknown, value: string): unknown {
  return JSON.parse(JSON.stringify(query), (_k, v: unknown) => (v === value ? "<value>" : v));
}

function keysAndStrings(query: unknown): { keys: Set<string>; strings: string[] } {
  const keys = new Set<string>();
  const strings: string[] = [];
  JSON.parse(JSON.stringify(query), (k, v: unknown) => {
    keys.add(k);
    if (typeof v === "string") strings.push(v);
    return v;
  });
  return { keys, strings };
}

function searchShape(build: () => SearchSpec): unknown {
  try {
    return searchQueryOf(build());
  } catch (error) {
    if (!(error instanceof QueryInputError)) throw error;
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    return undefined;
  }
}

describe("event and audit searches from any filter text", () => {
  /** [name, the spec from one value, a value the field accepts] */
  type Case = [string, (v: string | undefined) => SearchSpec, string];
  const events = (field: keyof EventHistoryFilter, plain: string): Case => [
    `events ${field}`,
    (v) => eventSpec(v === undefined ? {} : { [field]: [v] }).spec,
    plain,
  ];
  const audit = (field: keyof AuditFilter, plain: string): Case => [
    `audit ${field}`,
    (v) => auditSpec(v === undefined ? {} : { [field]: [v] }),
    plain,
  ];
  const cases: Case[] = [
    events("involvedKinds", "Pod"),
    events("involvedNames", PLAIN),
    events("reasons", PLAIN),
    events("types", PLAIN),
    events("keywords", PLAIN),
    audit("users", PLAIN),
    audit("verbs", "get"),
    audit("resources", "pods"),
    audit("keywords", PLAIN),
  ];
  for (const [name, build, plainValue] of cases)
    it(
      `${name}: refused as BAD_USER_INPUT, or the value sits verbatim in a search of the same shape`,
      () => {
        const plain = searchShape(() => build(plainValue));
        expect(plain).toBeDefined();
        const plainStrings = new Set(keysAndStrings(plain).strings);
        const unfiltered = searchShape(() => build(undefined));
        fc.assert(
          fc.property(wellFormed, (value) => {
            // A value equal to a fixed part of the search could not be told apart from it.
            fc.pre(!plainStrings.has(value));
            const query = searchShape(() => build(value));
            if (query === undefined) return;
            // Blank keywords are documented to be ignored.
            if (name.endsWith("keywords") && value.trim() === "") {
              expect(query).toEqual(unfiltered);
              return;
            }
            expect(shape(query, value)).toEqual(shape(plain, plainValue));
            const { keys, strings } = keysAndStrings(query);
            expect(strings).toContain(value);
            for (const k of keys) expect(FORBIDDEN_KEYS.has(k), k).toBe(false);
          }),
          runParameters(searchSettings),
        );
      },
      searchSettings.timeoutMs,
    );
});
