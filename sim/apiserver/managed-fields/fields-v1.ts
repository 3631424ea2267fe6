/**
 * The FieldsV1 encoding of a set of paths: a tree of path elements where a path that is a member
 * and has members below it carries `".": {}`, and a member without any is `{}`.
 */
import { isJsonObject, type JsonObject } from "../../../src/kube/object.js";
import { SEPARATOR } from "./field-set.js";

interface Node {
  member: boolean;
  children: Map<string, Node>;
}

export function encodeFieldsV1(paths: Iterable<string>): JsonObject {
  const root: Node = { member: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const element of path.split(SEPARATOR)) {
      let child = node.children.get(element);
      if (!child) node.children.set(element, (child = { member: false, children: new Map() }));
      node = child;
    }
    node.member = true;
  }
  return toJson(root);
}

function toJson(node: Node): JsonObject {
  const out: JsonObject = {};
  if (node.member && node.children.size > 0) out["."] = {};
  for (const element of [...node.children.keys()].sort()) out[element] = toJson(node.children.get(element)!);
  return out;
}

/** The member paths of a FieldsV1 tree; anything that is not one is ignored. */
export function decodeFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (node: JsonObject, path: string[]): void => {
    for (const [element, child] of Object.entries(node)) {
      if (element === ".") {
        if (path.length > 0) out.add(path.join(SEPARATOR));
        continue;
      }
      if (!isJsonObject(child)) continue;
      const childPath = [...path, element];
      if (Object.keys(child).length === 0) out.add(childPath.join(SEPARATOR));
      else visit(child, childPath);
    }
  };
  if (isJsonObject(fields)) visit(fields, []);
  return out;
}
