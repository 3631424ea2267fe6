/**
 * Strategic merge patch (application/strategic-merge-patch+json) for the fields kubectl sends.
 * Maps merge key by key; lists merge element-wise by their patch merge key (containers by name,
 * container ports by containerPort, ...), primitive "merge" lists (finalizers) take the union,
 * and every other list is replaced. Directives: `$patch: replace|delete|merge`,
 * `$deleteFromPrimitiveList/<field>`, `$retainKeys`; `$setElementOrder/<field>` is accepted and
 * ignored (new elements are appended).
 */
import { isJsonObject, type JsonObject } from "../../src/kube/object.js";
import { statusErrors } from "../errors.js";

/** Patch merge keys from the Kubernetes API types (`patchMergeKey` struct tags). */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  hostAliases: "ip",
  conditions: "type",
  ownerReferences: "uid",
  secrets: "name",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
  taints: "key",
  addresses: "type",
  ports: "containerPort",
};

/** Lists of scalars with `patchStrategy:"merge"`: the patch's values are added to the original's. */
const PRIMITIVE_MERGE_LISTS = new Set(["finalizers"]);

const DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList/";
const SET_ELEMENT_ORDER = "$setElementOrder/";

type ListStrategy = { type: "replace" } | { type: "primitive" } | { type: "mergeKey"; key: string };

export function strategicMerge(original: JsonObject, patch: JsonObject, kindName: string): JsonObject {
  const result = mergeMap(original, patch, [], kindName);
  if (result === undefined)
    throw statusErrors.badRequest("a strategic merge patch may not delete the whole object");
  return result;
}

function listStrategy(path: string[], kindName: string): ListStrategy {
  const field = path[path.length - 1] ?? "";
  if (PRIMITIVE_MERGE_LISTS.has(field)) return { type: "primitive" };
  // A Service's ports merge by port number; a container's by containerPort.
  if (field === "ports" && kindName === "Service" && path.length === 2 && path[0] === "spec") {
    return { type: "mergeKey", key: "port" };
  }
  const key = MERGE_KEYS[field];
  return key ? { type: "mergeKey", key } : { type: "replace" };
}

/** Merges `patch` into `original`; undefined means the map itself is deleted (`$patch: delete`). */
function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  path: string[],
  kindName: string,
): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive === "delete") return undefined;
  if (directive === "replace") {
    const { $patch: _p, ...rest } = patch;
    return mergeMap({}, rest, path, kindName);
  }
  if (directive !== undefined && directive !== "merge") {
    throw statusErrors.badRequest(`Unknown patch type found: ${JSON.stringify(directive)}`);
  }
  const result: JsonObject = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys" || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[field] = current.filter((item) => !value.includes(item));
      }
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (isJsonObject(value)) {
      const current = result[key];
      const merged = mergeMap(isJsonObject(current) ? current : {}, value, [...path, key], kindName);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      const current = result[key];
      result[key] = mergeList(Array.isArray(current) ? current : [], value, [...path, key], kindName);
    } else {
      result[key] = value;
    }
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

function mergeList(original: unknown[], patch: unknown[], path: string[], kindName: string): unknown[] {
  const clean = (items: unknown[]): unknown[] =>
    items.map((item) => (isJsonObject(item) ? (mergeMap({}, item, path, kindName) ?? {}) : item));
  const replaceAll = patch.some((item) => isJsonObject(item) && item.$patch === "replace");
  if (replaceAll) return clean(patch.filter((item) => !(isJsonObject(item) && item.$patch === "replace")));

  const strategy = listStrategy(path, kindName);
  switch (strategy.type) {
    case "replace":
      return clean(patch);
    case "primitive":
      return [...original, ...patch.filter((item) => !original.includes(item))];
    case "mergeKey": {
      const result = [...original];
      for (const item of patch) {
        if (!isJsonObject(item)) {
          result.push(item);
          continue;
        }
        const keyValue = item[strategy.key];
        const index = result.findIndex((o) => isJsonObject(o) && o[strategy.key] === keyValue);
        if (item.$patch === "delete") {
          if (index >= 0) result.splice(index, 1);
          continue;
        }
        const base = index >= 0 ? result[index] : undefined;
        const merged = mergeMap(isJsonObject(base) ? base : {}, item, path, kindName) ?? {};
        if (index >= 0) result[index] = merged;
        else result.push(merged);
      }
      return result;
    }
  }
}
