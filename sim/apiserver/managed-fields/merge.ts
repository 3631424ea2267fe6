/**
 * The structural merge behind apply: an applied configuration merged into the live object
 * (maps field by field, associative lists item by item on their keys, sets as a union, atomic
 * values replaced), and the removal of given paths from an object.
 */
import { isJsonObject, type JsonObject } from "../../../src/kube/object.js";
import { itemElement, SEPARATOR } from "./field-set.js";
import { isAtomicMap, listTypeOf } from "./schema.js";

export function mergeObject(live: JsonObject, config: JsonObject, kindName: string): JsonObject {
  return mergeMap(live, config, [], kindName);
}

function mergeMap(live: JsonObject, config: JsonObject, fields: string[], kindName: string): JsonObject {
  const out: JsonObject = { ...live };
  for (const [key, value] of Object.entries(config))
    out[key] = mergeValue(out[key], value, [...fields, key], kindName);
  return out;
}

function mergeValue(live: unknown, config: unknown, fields: string[], kindName: string): unknown {
  if (isJsonObject(config)) {
    if (!isJsonObject(live) || isAtomicMap(fields)) return config;
    return mergeMap(live, config, fields, kindName);
  }
  if (!Array.isArray(config) || !Array.isArray(live)) return config;
  const liveItems = live as unknown[];
  const configItems = config as unknown[];
  const listType = listTypeOf(fields, kindName);
  if (listType.type === "set")
    return [...liveItems, ...configItems.filter((item) => !liveItems.includes(item))];
  if (listType.type === "atomic") return config;
  const out = [...liveItems];
  for (const item of configItems) {
    if (!isJsonObject(item)) continue;
    const element = itemElement(item, listType.keys);
    const index = out.findIndex((o) => isJsonObject(o) && itemElement(o, listType.keys) === element);
    if (index < 0) out.push(item);
    else out[index] = mergeMap(out[index] as JsonObject, item, fields, kindName);
  }
  return out;
}

/** `obj` without the values at `paths` (field-set paths); missing paths are ignored. */
export function removePaths(obj: JsonObject, paths: Iterable<string>, kindName: string): JsonObject {
  let out = obj;
  for (const path of paths) out = removeAt(out, path.split(SEPARATOR), [], kindName) as JsonObject;
  return out;
}

function removeAt(value: unknown, path: string[], fields: string[], kindName: string): unknown {
  const [element, ...rest] = path;
  if (element === undefined) return value;
  if (element.startsWith("f:") && isJsonObject(value)) {
    const field = element.slice(2);
    if (!(field in value)) return value;
    const out = { ...value };
    if (rest.length === 0) delete out[field];
    else out[field] = removeAt(value[field], rest, [...fields, field], kindName);
    return out;
  }
  if (!Array.isArray(value)) return value;
  const listType = listTypeOf(fields, kindName);
  const index = value.findIndex((item) =>
    element.startsWith("v:")
      ? JSON.stringify(item) === element.slice(2)
      : listType.type === "map" && isJsonObject(item) && itemElement(item, listType.keys) === element,
  );
  if (index < 0) return value;
  const out = [...(value as unknown[])];
  if (rest.length === 0) out.splice(index, 1);
  else out[index] = removeAt(value[index], rest, fields, kindName);
  return out;
}
