/**
 * Kubernetes field selectors (`metadata.name=x,status.phase!=Running`): only =, == and != exist.
 * Which fields a kind supports is the server's business; this module only parses and matches.
 */
export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
}

export type FieldSelector = readonly FieldRequirement[];

export class FieldSelectorError extends Error {
  override readonly name = "FieldSelectorError";
}

export function parseFieldSelector(input: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  if (input.trim() === "") return requirements;
  for (const part of splitUnescaped(input, ",")) {
    const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(part.trim());
    if (!match) throw new FieldSelectorError(`invalid selector: '${input}'; can't understand '${part}'`);
    requirements.push({
      field: match[1]!.trim(),
      operator: match[2] === "!=" ? "!=" : "=",
      value: unescapeValue(match[3]!.trim()),
    });
  }
  return requirements;
}

function splitUnescaped(input: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === "\\" && i + 1 < input.length) {
      current += c + input[i + 1]!;
      i++;
    } else if (c === separator) {
      parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeValue(value: string): string {
  return value.replace(/\\(.)/g, "$1");
}

export function matchesFields(
  selector: FieldSelector,
  fields: (field: string) => string | undefined,
): boolean {
  for (const req of selector) {
    const actual = fields(req.field) ?? "";
    if (req.operator === "=" ? actual !== req.value : actual === req.value) return false;
  }
  return true;
}
