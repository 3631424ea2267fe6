/**
 * Routing an authorised resource request to its handler: resolve the resource from the catalogue,
 * check the path's shape (scope, subresource) and the verb, then dispatch by method.
 */
import { statusErrors } from "../errors.js";
import { findResource, type ResourceKind } from "../kinds.js";
import { serveLog } from "./pod-log.js";
import { serveGet, serveList } from "./read.js";
import { methodNotAllowed, type ResourceRequest } from "./resource-request.js";
import { serveReview } from "./reviews.js";
import { serveScale } from "./scale.js";
import { serveEviction } from "./eviction.js";
import { serveCreate, serveDelete, serveDeleteCollection, serveUpdate } from "./write.js";
import { servePatch } from "./patch.js";
import { parseListOptions } from "./list-options.js";
import { serveWatch } from "./watch.js";

export type Unrouted = Omit<ResourceRequest, "kind" | "namespace" | "name">;

export function resolveKind(r: Unrouted): ResourceKind {
  const { info } = r;
  const kind = findResource(info.apiGroup, info.resource);
  if (!kind || kind.version !== info.apiVersion || (kind.group === "") !== (info.apiPrefix === "api")) {
    throw statusErrors.pathNotFound();
  }
  return kind;
}

export async function serveResource(unrouted: Unrouted): Promise<void> {
  const { info, req } = unrouted;
  const kind = resolveKind(unrouted);
  const method = req.method ?? "GET";
  const isNamespaceObject = kind.group === "" && kind.plural === "namespaces";
  // For /api/v1/namespaces/<ns>, the parser reports <ns> as both namespace and name.
  const namespace = kind.namespaced ? info.namespace || undefined : undefined;
  if (!kind.namespaced && info.namespace && !isNamespaceObject) throw statusErrors.pathNotFound();
  if (info.extraParts.length > 0) throw statusErrors.pathNotFound();
  const r: ResourceRequest = { ...unrouted, kind, namespace, name: info.pathName };

  if (kind.virtual) {
    if (r.name || method !== "POST") throw methodNotAllowed();
    return serveReview(r);
  }
  // Namespaced kinds answer without a namespace only for lists and watches across all namespaces.
  if (kind.namespaced && namespace === undefined && (r.name || method !== "GET"))
    throw statusErrors.pathNotFound();
  if (info.verb !== "" && !kind.verbs.includes(info.verb) && info.subresource === "")
    throw methodNotAllowed();

  if (info.subresource !== "") {
    const sub = kind.subresources.find((s) => s === info.subresource);
    if (!sub) throw statusErrors.pathNotFound();
    if (sub === "log") {
      if (method !== "GET") throw methodNotAllowed();
      return serveLog(r);
    }
    if (sub === "eviction") {
      if (method !== "POST") throw methodNotAllowed();
      return serveEviction(r);
    }
    if (sub === "scale") {
      if (!["GET", "PUT", "PATCH"].includes(method)) throw methodNotAllowed();
      return serveScale(r);
    }
    if (method === "GET") return serveGet(r);
    return patchOrUpdate(r, method);
  }

  if (!r.name) {
    if (info.verb === "watch") return serveWatch(r, { ...parseListOptions(kind, r.query), watch: true });
    switch (method) {
      case "GET":
        return serveList(r);
      case "POST":
        return serveCreate(r);
      case "DELETE":
        return serveDeleteCollection(r);
      default:
        throw methodNotAllowed();
    }
  }
  // The deprecated /watch/<plural>/<name> form watches one object.
  if (info.verb === "watch") return serveWatch(r, { ...parseListOptions(kind, r.query), watch: true });
  switch (method) {
    case "GET":
      return serveGet(r);
    case "DELETE":
      return serveDelete(r);
    default:
      return patchOrUpdate(r, method);
  }
}

function patchOrUpdate(r: ResourceRequest, method: string): Promise<void> {
  if (method === "PUT") return serveUpdate(r);
  if (method === "PATCH") return servePatch(r);
  throw methodNotAllowed();
}
