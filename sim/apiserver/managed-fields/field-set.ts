/**
 * Field sets: the paths of an object's fields in the managedFields notation (`f:<field>`,
 * `k:{"name":"web"}` for an item of an associative list, `v:"x"` for an item of a set), each
 * mapped to its value as JSON when it is a leaf (a scalar, an atomic list or map, an empty map)
 * or to undefined when it is a list item, which is owned as itself (`.`) besides its fields.
 *
 * A path is its elements joined by a newline: field names never contain one, and the JSON of
 * keys and values escapes it.
 */
import { isJsonObject, type JsonObject, type KubeObject } from "../../../src/kube/object.js";
import type { ResourceKind } from "../../kinds.js";
import { isAtomicMap, listTypeOf } from "./schema.js";

export type FieldSet = Map<string, string | undefined>;

export const SEPARATOR = "\n";

/** Metadata the server owns itself; no manager ever owns these (the real StripMetaManager's list). */
const SERVER_METADATA = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "selfLink",
  "managedFields",
]);

/**
 * Which part of an object a write may change: the main resource (everything but status, for
 * kinds with a status subresource) or the status subresource (status alone).
 */
export type Scope = "main" | "status";

/** The fields of `obj` that managers can own in `scope`. */
export function fieldSetOf(obj: KubeObject, kind: ResourceKind, scope: Scope): FieldSet {
  const out: FieldSet = new Map();
  for (const [key, value] of Object.entries(trackedView(obj, kind, scope)))
    walk(value, [`f:${key}`], [key], kind.kind, out);
  return out;
}

/** The body minus what no manager owns: apiVersion, kind, server metadata, and the other scope's fields. */
export function trackedView(obj: KubeObject | JsonObject, kind: ResourceKind, scope: Scope): JsonObject {
  const { apiVersion: _a, kind: _k, metadata, status, ...rest } = obj;
  if (scope === "status") return status === undefined ? {} : { status };
  const view: JsonObject = { ...rest };
  if (status !== undefined && !kind.subresources.includes("status")) view.status = status;
  if (isJsonObject(metadata)) {
    const owned = Object.fromEntries(Object.entries(metadata).filter(([key]) => !SERVER_METADATA.has(key)));
    if (Object.keys(owned).length > 0) view.metadata = owned;
  }
  return view;
}

function walk(value: unknown, path: string[], fields: string[], kindName: string, out: FieldSet): void {
  if (isJsonObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 || isAtomicMap(fields)) {
      out.set(path.join(SEPARATOR), JSON.stringify(value));
      return;
    }
    for (const [key, child] of entries) walk(child, [...path, `f:${key}`], [...fields, key], kindName, out);
    return;
  }
  if (!Array.isArray(value)) {
    out.set(path.join(SEPARATOR), JSON.stringify(value));
    return;
  }
  const listType = listTypeOf(fields, kindName);
  if (listType.type === "atomic" || value.length === 0) {
    out.set(path.join(SEPARATOR), JSON.stringify(value));
    return;
  }
  for (const item of value) {
    if (listType.type === "set" || !isJsonObject(item)) {
      out.set([...path, `v:${JSON.stringify(item)}`].join(SEPARATOR), undefined);
      continue;
    }
    const itemPath = [...path, itemElement(item, listType.keys)];
    out.set(itemPath.join(SEPARATOR), undefined);
    for (const [key, child] of Object.entries(item))
      walk(child, [...itemPath, `f:${key}`], [...fields, key], kindName, out);
  }
}

/** `k:{...}`: the item's key fields, sorted by name, as compact JSON (those it lacks are left out). */
export function itemElement(item: JsonObject, keys: readonly string[]): string {
  const key: JsonObject = {};
  for (const name of [...keys].sort()) if (item[name] !== undefined) key[name] = item[name];
  return `k:${JSON.stringify(key)}`;
}

/** A path as the real server prints it in conflicts: `.spec.template.spec.containers[name="web"].image`. */
export function pathString(path: string): string {
  return path
    .split(SEPARATOR)
    .map((element) => {
      const body = element.slice(2);
      if (element.startsWith("f:")) return `.${body}`;
      if (element.startsWith("v:")) return `[=${body}]`;
      const key = JSON.parse(body) as JsonObject;
      return `[${Object.entries(key)
        .map(([name, v]) => `${name}=${JSON.stringify(v)}`)
        .join(",")}]`;
    })
    .join("");
}
