/** get and list. */
import { statusErrors } from "../errors.js";
import { parseListOptions } from "./list-options.js";
import type { ResourceRequest } from "./resource-request.js";
import { listJson, listMetaOf, objectJson } from "./serialize.js";
import { serveWatch } from "./watch.js";
import { tableJson, tableRequest } from "./table/index.js";

export async function serveGet(r: ResourceRequest): Promise<void> {
  const obj = r.ctx.store.mustGet(r.kind, r.namespace, r.name);
  const table = tableRequest(r.req.headers.accept, r.query);
  if (table) {
    const metadata = { resourceVersion: obj.metadata.resourceVersion ?? "" };
    return r.reply.json(200, tableJson(r.kind, [obj], metadata, table));
  }
  await r.reply.json(200, objectJson(r.kind, obj));
}

export async function serveList(r: ResourceRequest): Promise<void> {
  const options = parseListOptions(r.kind, r.query);
  const table = tableRequest(r.req.headers.accept, r.query);
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
  if (table) return r.reply.json(200, tableJson(r.kind, result.items, listMetaOf(result), table));
  await r.reply.json(200, listJson(r.kind, result));
}
