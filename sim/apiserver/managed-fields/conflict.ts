/** The 409 an apply answers when it would change fields other managers own (the real NewConflictError). */
import { StatusError } from "../../errors.js";
import { pathString } from "./field-set.js";
import type { Manager } from "./managers.js";

export interface Conflict {
  owner: Manager;
  path: string;
}

/** `"kubectl" with subresource "scale" using apps/v1`: an applier by name, an updater with its version. */
export function describeManager(m: Manager): string {
  let text = JSON.stringify(m.manager);
  if (m.subresource) text += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === "Update" ? `${text} using ${m.apiVersion}` : text;
}

export function conflictError(conflicts: readonly Conflict[]): StatusError {
  const causes = conflicts.map(({ owner, path }) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${describeManager(owner)}`,
    field: pathString(path),
  }));
  return new StatusError(409, "Conflict", conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const [{ owner, path }] = conflicts as [Conflict];
    return `Apply failed with 1 conflict: conflict with ${describeManager(owner)}: ${pathString(path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const { owner, path } of conflicts) {
    const name = describeManager(owner);
    byManager.set(name, [...(byManager.get(name) ?? []), pathString(path)]);
  }
  const lines: string[] = [];
  for (const name of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${name}:`, ...byManager.get(name)!.map((path) => `- ${path}`));
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
}
