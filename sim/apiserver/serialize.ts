/**
 * JSON encoding of API responses. Stored objects carry no kind/apiVersion (like the real
 * server's internal objects); single objects and watch events get them prepended as text, and
 * lists are assembled as one string, so a 2,000-pod list costs one JSON.stringify per item and
 * no intermediate copies.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { apiVersionOf, type ResourceKind } from "../kinds.js";
import type { ListResult } from "../store/cluster-store.js";

/** `obj` with `kind` and `apiVersion` first, as JSON text; `obj` itself must carry neither. */
export function typedJson(apiVersion: string, kindName: string, obj: object): string {
  const body = JSON.stringify(obj);
  const head = `{"kind":${JSON.stringify(kindName)},"apiVersion":${JSON.stringify(apiVersion)}`;
  return body === "{}" ? `${head}}` : `${head},${body.slice(1)}`;
}

export function objectJson(kind: ResourceKind, obj: KubeObject): string {
  const { kind: _k, apiVersion: _a, ...rest } = obj;
  return typedJson(apiVersionOf(kind), kind.kind, rest);
}

/** A list's ListMeta: its revision, and the continue token and remaining count of a partial page. */
export function listMetaOf(result: ListResult): {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
} {
  return {
    resourceVersion: String(result.revision),
    ...(result.continueToken ? { continue: result.continueToken } : {}),
    ...(result.remainingItemCount !== undefined ? { remainingItemCount: result.remainingItemCount } : {}),
  };
}

export function listJson(kind: ResourceKind, result: ListResult): string {
  const metadata = listMetaOf(result);
  const items = result.items.map((item) => JSON.stringify(item)).join(",");
  return `{"kind":${JSON.stringify(kind.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(kind))},"metadata":${JSON.stringify(metadata)},"items":[${items}]}`;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** One line of a watch stream. `objectText` is already-encoded JSON. */
export function watchEventLine(type: WatchEventType, objectText: string): string {
  return `{"type":"${type}","object":${objectText}}\n`;
}
