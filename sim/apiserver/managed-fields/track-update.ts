/**
 * Ownership after a create, update or non-apply patch (an "Update" operation): the writer takes
 * every field it set or changed, other managers lose those, and fields the write removed leave
 * every manager's set.
 */
import { isJsonObject, type KubeObject } from "../../../src/kube/object.js";
import type { ResourceKind } from "../../kinds.js";
import { fieldSetOf } from "./field-set.js";
import { decodeManagers, managedTime, sameManager, storeManagers, type Manager } from "./managers.js";

export interface Writer {
  manager: string;
  apiVersion: string;
  /** "" for the main resource, else "status" or "scale". */
  subresource: string;
}

export function trackUpdate(
  kind: ResourceKind,
  previous: KubeObject | undefined,
  next: KubeObject,
  writer: Writer,
  now: string = managedTime(),
): KubeObject {
  const managers = startingManagers(previous, next, writer.subresource);
  // An existing object nobody tracks stays untracked until its first apply (skipNonAppliedManager).
  if (managers.length === 0 && previous?.metadata.uid) return storeManagers(previous, next, []);
  const scope = writer.subresource === "status" ? "status" : "main";
  const before = previous ? fieldSetOf(previous, kind, scope) : new Map<string, string | undefined>();
  const after = fieldSetOf(next, kind, scope);
  const changed = new Set<string>();
  for (const [path, value] of after) if (!before.has(path) || before.get(path) !== value) changed.add(path);
  const touched = new Set(changed);
  for (const path of before.keys()) if (!after.has(path)) touched.add(path);
  for (const m of managers) for (const path of touched) m.fields.delete(path);

  const identity = { ...writer, operation: "Update" as const };
  let own = managers.find((m) => sameManager(m, identity));
  if (!own) managers.push((own = { ...identity, time: now, fields: new Set() }));
  for (const path of changed) own.fields.add(path);
  own.time = now;
  return storeManagers(previous, next, managers);
}

/**
 * The managers a write starts from (the real decodeLiveOrNew): a subresource write cannot set
 * them; otherwise the request's own, when it sends some; `[]` or `[{}]` resets them; and when it
 * sends none, the stored ones are kept, so clients that do not know the field cannot drop it.
 */
function startingManagers(
  previous: KubeObject | undefined,
  next: KubeObject,
  subresource: string,
): Manager[] {
  const live = (): Manager[] => decodeManagers(previous?.metadata.managedFields);
  if (subresource !== "") return live();
  const requested = next.metadata.managedFields;
  if (Array.isArray(requested)) {
    const reset =
      requested.length === 0 ||
      (requested.length === 1 && isJsonObject(requested[0]) && Object.keys(requested[0]).length === 0);
    if (reset) return [];
    const decoded = decodeManagers(requested);
    if (decoded.some((m) => m.fields.size > 0)) return decoded;
  }
  return live();
}
