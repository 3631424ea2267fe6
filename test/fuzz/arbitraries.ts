/**
 * Inputs the fuzz suites share: text of every kind (any code point, lone surrogates, control
 * characters, the characters each grammar gives meaning to) and ways of damaging a valid value.
 */
import fc from "fast-check";

/** Characters with a meaning in selectors, cursors, PromQL, JSON or GraphQL. */
const SIGNIFICANT = [..."=!(),\\\"'`{}[]|.*+?^$/%-_:;#@&~<> \t\n\r\u0000\u00a0\u2028é日"];

/** One UTF-16 code unit of the surrogate range alone: text no well-formed string holds. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Any text: printable, any code point, lone surrogates, or mostly significant characters. */
export function anyText(maxLength = 120): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: "binary", maxLength }),
    fc.string({ unit: fc.oneof(fc.constantFrom(...SIGNIFICANT), loneSurrogate), maxLength }),
    fc.string({ unit: fc.constantFrom(..."abc019-."), maxLength }),
  );
}

/** Text made of `tokens` and a little noise: reaches deeper into a parser than random text. */
export function tokenText(tokens: readonly string[], maxTokens = 12): fc.Arbitrary<string> {
  const token = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...tokens) },
    { weight: 1, arbitrary: anyText(4) },
  );
  return fc.array(token, { maxLength: maxTokens }).map((parts) => parts.join(""));
}

export type TextMutation =
  | { op: "replace"; at: number; with: string }
  | { op: "delete"; at: number; count: number }
  | { op: "insert"; at: number; text: string }
  | { op: "truncate"; at: number }
  | { op: "append"; text: string };

const mutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant("replace" as const), at: fc.nat(), with: anyText(1) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: anyText(6) }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("append" as const), text: anyText(6) }),
);

export function mutate(text: string, m: TextMutation): string {
  const at = "at" in m ? m.at % (text.length + 1) : text.length;
  switch (m.op) {
    case "replace":
      return text.slice(0, at) + m.with + text.slice(at + 1);
    case "delete":
      return text.slice(0, at) + text.slice(at + m.count);
    case "insert":
      return text.slice(0, at) + m.text + text.slice(at);
    case "truncate":
      return text.slice(0, at);
    case "append":
      return text + m.text;
  }
}

/** One to four mutations of a text. */
export const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

export function mutateAll(text: string, ms: readonly TextMutation[]): string {
  return ms.reduce(mutate, text);
}

/** Text in base64url's alphabet: gets past a cursor's first check. */
export const BASE64URL_TEXT = fc.string({
  unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
  maxLength: 200,
});

/** The base64url of arbitrary JSON: gets past a cursor's envelope to its body checks. */
export const encodedJson = fc
  .jsonValue({ maxDepth: 3 })
  .map((v) => Buffer.from(JSON.stringify(v) ?? "null", "utf8").toString("base64url"));
