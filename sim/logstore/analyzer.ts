/**
 * The `standard` analyzer: Unicode word segmentation (a close subset of UAX #29, as Lucene's
 * StandardTokenizer does it) and lowercasing. Words are runs of letters, digits, marks and `_`;
 * `.` and `'` stay inside a word between two letters or two digits (`example.com`, `can't`,
 * `10.244.1.17` are one token each), `:` between two letters, `,` and `;` between two digits.
 * Everything else (spaces, `-`, `/`, `=`, quotes, brackets) separates tokens. Tokens longer than
 * 255 characters are split, as max_token_length does.
 */

const WORD = /[\p{L}\p{M}\p{N}_]/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;
const MAX_TOKEN_LENGTH = 255;

// Character classes, by code point; ASCII answers from a table (log text is mostly ASCII).
const OTHER = 0;
const LETTER_CLASS = 1;
const DIGIT_CLASS = 2;
const WORD_CLASS = 3; // `_` and marks: inside words, but joins nothing

const asciiClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  asciiClass[c] = /[A-Za-z]/.test(ch)
    ? LETTER_CLASS
    : /[0-9]/.test(ch)
      ? DIGIT_CLASS
      : ch === "_"
        ? WORD_CLASS
        : OTHER;
}

function classOf(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code < 128) return asciiClass[code]!;
  if (LETTER.test(ch)) return LETTER_CLASS;
  if (DIGIT.test(ch)) return DIGIT_CLASS;
  return WORD.test(ch) ? WORD_CLASS : OTHER;
}

function joins(mid: string, before: number, after: number): boolean {
  const letters = before === LETTER_CLASS && after === LETTER_CLASS;
  const digits = before === DIGIT_CLASS && after === DIGIT_CLASS;
  if (mid === "." || mid === "'" || mid === "\u2019") return letters || digits;
  if (mid === ":") return letters;
  if (mid === "," || mid === ";") return digits;
  return false;
}

/** The tokens of a text, lowercased, in order (a token's position is its index). */
export function analyze(text: string): string[] {
  const chars = /^[\p{ASCII}]*$/u.test(text) ? text : Array.from(text);
  const tokens: string[] = [];
  let start = -1;
  let current = "";
  const flush = (end: number) => {
    if (start >= 0) {
      const token = typeof chars === "string" ? chars.slice(start, end) : chars.slice(start, end).join("");
      current = token.toLowerCase();
      for (let i = 0; i < current.length; i += MAX_TOKEN_LENGTH)
        tokens.push(current.slice(i, i + MAX_TOKEN_LENGTH));
    }
    start = -1;
  };
  const n = chars.length;
  let prev = OTHER;
  for (let i = 0; i < n; i++) {
    const ch = chars[i]!;
    const cls = classOf(ch);
    if (cls !== OTHER) {
      if (start < 0) start = i;
      prev = cls;
      continue;
    }
    if (start >= 0 && i + 1 < n && joins(ch, prev, classOf(chars[i + 1]!))) {
      prev = OTHER;
      continue;
    }
    flush(i);
    prev = OTHER;
  }
  flush(n);
  return tokens;
}
