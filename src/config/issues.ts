/** Zod issues rephrased for people editing a YAML file, each located at its line. */
import type * as z from "zod";
import type { SourceDocument } from "./document.js";
import type { ConfigIssue } from "./errors.js";
import { formatFieldPath } from "./errors.js";

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
};

export function describeIssues(doc: SourceDocument, issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      // One issue per unknown key, each pointing at the key itself.
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        return located(doc, path, "key", issue.message);
      });
    }
    return [located(doc, issue.path, "value", rephrase(issue, valueAt(doc.value, issue.path)))];
  });
}

function located(
  doc: SourceDocument,
  path: readonly PropertyKey[],
  anchor: "key" | "value",
  message: string,
): ConfigIssue {
  const issue: ConfigIssue = { message };
  const field = formatFieldPath(path);
  if (field !== "") issue.field = field;
  const line = doc.lineOf(path, anchor);
  if (line !== undefined) issue.line = line;
  return issue;
}

function rephrase(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case "invalid_type": {
      if (value === undefined) return "is required";
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const hint = issue.expected === "string" && isScalar(value) ? " (quote it)" : "";
      return `must be ${expected}, not ${describe(value)}${hint}`;
    }
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      return `must be at least ${String(issue.minimum)}`;
    case "too_big":
      if (issue.origin === "string") return `must be at most ${String(issue.maximum)} characters`;
      return `must be at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

function isScalar(value: unknown): boolean {
  return typeof value === "number" || typeof value === "boolean";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "object":
      return "a mapping";
    case "string":
      return `the string ${JSON.stringify(value)}`;
    case "number":
    case "boolean":
      return `${typeof value} ${value}`;
    default:
      return typeof value;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
