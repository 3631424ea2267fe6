/**
 * The `fieldManager` of a write: the query parameter, validated as the real server does (at most
 * 128 printable characters), or else the client's user agent up to its first "/" ("kubectl",
 * "node-fetch"), which is the real default for every write but an apply.
 */
import type { IncomingMessage } from "node:http";
import { StatusError } from "../../errors.js";

export const FIELD_MANAGER_MAX_LENGTH = 128;

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** "CreateOptions", "UpdateOptions" or "PatchOptions": the options kind named in the 422. */
export type OptionsKind = "CreateOptions" | "UpdateOptions" | "PatchOptions";

export function invalidOptions(
  optionsKind: OptionsKind,
  causes: { field: string; message: string }[],
): StatusError {
  return new StatusError(
    422,
    "Invalid",
    `${optionsKind}.meta.k8s.io "" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(", ")}`,
    {
      group: "meta.k8s.io",
      kind: optionsKind,
      causes: causes.map((c) => ({ reason: "FieldValueInvalid", message: c.message, field: c.field })),
    },
  );
}

/** The problems of a fieldManager value (none when it is empty). */
export function fieldManagerProblems(value: string): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if ([...value].length > FIELD_MANAGER_MAX_LENGTH)
    problems.push({
      field: "fieldManager",
      message: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes`,
    });
  [...value].forEach((char, index) => {
    if (!PRINTABLE.test(char)) {
      const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
      problems.push({
        field: "fieldManager",
        message: `Invalid value: ${JSON.stringify(value)}: invalid character U+${code} (at position ${index})`,
      });
    }
  });
  return problems;
}

/** The manager a non-apply write is recorded under. */
export function updateManagerOf(
  req: IncomingMessage,
  query: URLSearchParams,
  optionsKind: OptionsKind,
): string {
  const requested = query.get("fieldManager") ?? "";
  const problems = fieldManagerProblems(requested);
  if (problems.length > 0) throw invalidOptions(optionsKind, problems);
  if (requested) return requested;
  const agent = (req.headers["user-agent"] ?? "").split("/")[0]!;
  return [...agent]
    .filter((char) => PRINTABLE.test(char))
    .slice(0, FIELD_MANAGER_MAX_LENGTH)
    .join("");
}
