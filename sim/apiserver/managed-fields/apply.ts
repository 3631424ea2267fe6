/**
 * Server-side apply of one configuration by one manager (an "Apply" operation): the
 * configuration is merged into the live object; a field it changes that another manager owns is
 * a conflict unless forced (then the applier takes it); a field it sets to the value it already
 * has becomes shared; and fields the applier applied before and leaves out now are removed,
 * unless another manager owns them too.
 */
import type { JsonObject, KubeObject } from "../../../src/kube/object.js";
import type { ResourceKind } from "../../kinds.js";
import { conflictError, type Conflict } from "./conflict.js";
import { fieldSetOf, trackedView, type FieldSet } from "./field-set.js";
import { decodeManagers, managedTime, sameManager, storeManagers, type Manager } from "./managers.js";
import { mergeObject, removePaths } from "./merge.js";

/** The manager that owns everything in an object that was never applied to before its first apply. */
export const BEFORE_FIRST_APPLY = "before-first-apply";

export interface ApplyRequest {
  kind: ResourceKind;
  /** The stored object, or undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration, without kind and apiVersion. */
  config: KubeObject;
  manager: string;
  apiVersion: string;
  force: boolean;
  now?: string;
}

/** The object after the apply, with its managedFields; throws the 409 of the conflicts it finds. */
export function applyConfiguration(request: ApplyRequest): KubeObject {
  const { kind, live, manager, apiVersion } = request;
  const now = request.now ?? managedTime();
  const base: KubeObject = live ?? { metadata: {} };
  const managers = startingManagers(kind, live, apiVersion, now);
  const config = withoutNulls(request.config) as KubeObject;
  // A status applied to the main resource is reset, as any main-resource write's is.
  const applied = trackedView(config, kind, "main");
  const appliedFields = fieldSetOf(config, kind, "main");
  const merged = mergeObject(base, applied, kind.kind) as KubeObject;
  const liveFields = fieldSetOf(base, kind, "main");
  const mergedFields = fieldSetOf(merged, kind, "main");

  const identity = { manager, operation: "Apply" as const, apiVersion, subresource: "" };
  const conflicts = findConflicts(managers, identity, appliedFields, liveFields, mergedFields);
  if (conflicts.length > 0 && !request.force) throw conflictError(conflicts);
  for (const { owner, path } of conflicts) owner.fields.delete(path);

  let own = managers.find((m) => sameManager(m, identity));
  const previouslyApplied = own?.fields ?? new Set<string>();
  const ownedByOthers = new Set<string>();
  for (const m of managers) if (m !== own) for (const path of m.fields) ownedByOthers.add(path);
  const dropped = [...previouslyApplied].filter(
    (path) => !appliedFields.has(path) && !ownedByOthers.has(path),
  );
  const result = removePaths(merged, dropped, kind.kind) as KubeObject;

  if (!own) managers.push((own = { ...identity, time: now, fields: new Set() }));
  own.fields = new Set(appliedFields.keys());
  own.apiVersion = apiVersion;
  own.time = now;
  const remaining = fieldSetOf(result, kind, "main");
  for (const m of managers) {
    for (const path of m.fields) if (liveFields.has(path) && !remaining.has(path)) m.fields.delete(path);
  }
  return storeManagers(live, { ...result, metadata: { ...result.metadata } }, managers);
}

/** The stored managers; an object nobody tracks yet is first owned wholly by "before-first-apply". */
function startingManagers(
  kind: ResourceKind,
  live: KubeObject | undefined,
  apiVersion: string,
  now: string,
): Manager[] {
  const managers = decodeManagers(live?.metadata.managedFields);
  if (!live || managers.some((m) => m.fields.size > 0)) return managers;
  const fields = new Set(fieldSetOf(live, kind, "main").keys());
  return [
    { manager: BEFORE_FIRST_APPLY, operation: "Update", apiVersion, time: now, subresource: "", fields },
  ];
}

/** Fields other managers own that the apply would add or change (a same value is no conflict). */
function findConflicts(
  managers: readonly Manager[],
  applier: Omit<Manager, "fields" | "time">,
  applied: FieldSet,
  live: FieldSet,
  merged: FieldSet,
): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const owner of managers) {
    if (sameManager(owner, applier)) continue;
    for (const path of owner.fields) {
      if (!applied.has(path)) continue;
      if (live.has(path) && live.get(path) === merged.get(path)) continue;
      conflicts.push({ owner, path });
    }
  }
  return conflicts;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls);
  if (typeof value !== "object" || value === null) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = withoutNulls(v);
  return out;
}
