/** get and list. */
import { statusErrors } from "../errors.js";
import { parseListOptions } from "./list-options.js";
import type { ResourceRequest } from "./resource-request.js";
import { listJson, objectJson } from "./serialize.js";
import { serveWatch } from "./watch.js";

export async function serveGet(r: ResourceRequest): Promise<void> {
  const obj = r.ctx.store.mustGet(r.kind, r.namespace, r.name);
  await r.reply.json(200, objectJson(r.kind, obj));
}

export async function serveList(r: ResourceRequest): Promise<void> {
  const options = parseListOptions(r.kind, r.query);
  if (options.watch) return serveWatch(r, options);
  if (options.continueToken && options.resourceVersion !== undefined) {
    throw statusErrors.badRequest("specifying resource version is not allowed when using continue");
  }
  const result = r.ctx.store.list(r.kind, {
    ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
    ...(options.predicate ? { predicate: options.predicate } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.continueToken ? { continueToken: options.continueToken } : {}),
  });
  await r.reply.json(200, listJson(r.kind, result));
}
