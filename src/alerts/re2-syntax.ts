/**
 * Alertmanager's regular expressions are Go's (RE2); the gateway checks a silence's before
 * sending them, with JavaScript's. The two syntaxes differ both ways: RE2 has flag groups
 * (`(?i)`, which lasts to the end of the enclosing group, `|` included; `(?i:...)`) and
 * `(?P<name>...)`, which JavaScript refuses as invalid groups; JavaScript has lookaround and
 * backreferences, which RE2 refuses. This reads a pattern token by token (so an escaped `\(`
 * or a class `[(?=]` is no group) into JavaScript's equivalent — modifier groups `(?i:...)`,
 * `(?<name>...)` — or says which side lacks what. Knows no silences.
 */

export type Re2Reading =
  /** JavaScript's pattern matching what RE2 matches. */
  | { source: string }
  /** Something RE2 refuses, named for the caller. */
  | { notRe2: string }
  /** RE2 syntax JavaScript has no equivalent of: only Alertmanager can judge the pattern. */
  | { untranslatable: string };

/** RE2's flag group: flags to set, then after `-` flags to clear; `)` (to the group's end) or `:`. */
const FLAG_GROUP = /^\(\?([imsU]*(?:-[imsU]*)?)([):])/;
/** Escapes RE2 reads otherwise than JavaScript (Unicode classes, \Q...\E, \A, \z, any byte). */
const FOREIGN_ESCAPE = /^\\[pPQEAzC]/;

export function re2AsJavaScript(pattern: string): Re2Reading {
  let out = "";
  // Per open group: the modifier groups its `(?flags)` opened, closed at its `)` and around each `|`.
  const frames: string[][] = [[]];
  const closeAll = (frame: readonly string[]): string => ")".repeat(frame.length);
  let i = 0;
  while (i < pattern.length) {
    const rest = pattern.slice(i);
    const c = rest[0]!;
    if (c === "\\") {
      // RE2 reads \1 followed by an octal digit as an octal code (\12), as JavaScript does.
      if (/^\\([1-7](?![0-7])|[89]|k<)/.test(rest)) return { notRe2: "backreferences" };
      if (FOREIGN_ESCAPE.test(rest)) return { untranslatable: rest.slice(0, 2) };
      out += rest.slice(0, 2);
      i += 2;
    } else if (c === "[") {
      const end = classEnd(pattern, i);
      const cls = pattern.slice(i, end);
      if (/\[:\^?[a-z]+:\]/.test(cls)) return { untranslatable: "[:class:]" };
      if (/\\[pPQEAzC]/.test(cls)) return { untranslatable: "a Unicode class" };
      // RE2 reads a `]` first in a class as a literal; JavaScript as the class's end ([] or [^]).
      out += cls.replace(/^(\[\^?)\]/, "$1\\]");
      i = end;
    } else if (c === "(") {
      const flags = FLAG_GROUP.exec(rest);
      if (/^\(\?<?[=!]/.test(rest)) return { notRe2: "lookahead or lookbehind" };
      if (flags) {
        if (flags[1]!.includes("U")) return { untranslatable: "the U (ungreedy) flag" };
        const modifier = `(?${flags[1]}:`;
        out += modifier;
        if (flags[2] === ")") frames.at(-1)!.push(modifier);
        else frames.push([]);
        i += flags[0].length;
      } else {
        const named = rest.startsWith("(?P<");
        out += named ? "(?<" : "(";
        frames.push([]);
        i += named ? 4 : 1;
      }
    } else if (c === ")") {
      // An unbalanced `)` is left for JavaScript's compiler to refuse.
      out += (frames.length > 1 ? closeAll(frames.pop()!) : "") + ")";
      i += 1;
    } else if (c === "|") {
      const frame = frames.at(-1)!;
      out += `${closeAll(frame)}|${frame.join("")}`;
      i += 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return { source: out + frames.map(closeAll).reverse().join("") };
}

/** Where the class opened at `start` ends (past its `]`): a `]` first in it (after `^`) is literal. */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === "^") i += 1;
  if (pattern[i] === "]") i += 1;
  while (i < pattern.length && pattern[i] !== "]") {
    if (pattern[i] === "\\") i += 1;
    else if (pattern.startsWith("[:", i)) {
      const close = pattern.indexOf(":]", i + 2);
      if (close !== -1) i = close + 1;
    }
    i += 1;
  }
  return Math.min(i + 1, pattern.length);
}
