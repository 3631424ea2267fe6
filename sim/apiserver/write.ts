/** create, update (PUT, including /status), delete and deletecollection. */
import { isJsonObject, type JsonObject, type KubeObject } from "../../src/kube/object.js";
import { admitCreate } from "../admission/index.js";
import { StatusError, statusErrors } from "../errors.js";
import { apiVersionOf, findResource, type ResourceKind } from "../kinds.js";
import { parseListOptions } from "./list-options.js";
import { readObject, readOptionalObject } from "./request-body.js";
import { isDryRun, type ResourceRequest } from "./resource-request.js";
import { updateManagerOf, type OptionsKind } from "./managed-fields/field-manager-name.js";
import { trackUpdate, type Writer } from "./managed-fields/track-update.js";
import { listJson, objectJson } from "./serialize.js";
import {
  checkCreateTarget,
  checkUpdateTarget,
  prepareForCreate,
  splitStatus,
  toKubeObject,
} from "./write-rules.js";

const NAMESPACES = findResource("", "namespaces") as ResourceKind;

export async function serveCreate(r: ResourceRequest): Promise<void> {
  const body = toKubeObject(r.kind, await readObject(r.req));
  const dryRun = isDryRun(r.query);
  const writer = writerOf(r, "CreateOptions");
  checkCreateTarget(r.kind, body, r.namespace);
  prepareForCreate(r.kind, body);
  admitCreate(r.ctx.store, r.kind, body);
  const obj = trackUpdate(r.kind, undefined, body, writer);
  const created = dryRun ? dryRunCreate(r, obj) : r.ctx.store.create(r.kind, obj);
  await r.reply.json(201, objectJson(r.kind, created));
}

/** Who a non-apply write is recorded as in managedFields (an "Update" operation). */
export function writerOf(r: ResourceRequest, optionsKind: OptionsKind): Writer {
  return {
    manager: updateManagerOf(r.req, r.query, optionsKind),
    apiVersion: apiVersionOf(r.kind),
    subresource: r.info.subresource,
  };
}

/** What a create would store, checked against the store without writing. */
export function dryRunCreate(r: ResourceRequest, obj: KubeObject): KubeObject {
  const { store } = r.ctx;
  const name = obj.metadata.name ?? "";
  if (!name && !obj.metadata.generateName) {
    throw statusErrors.invalid(r.kind.group, r.kind.kind, "", [
      { field: "metadata.name", message: "Required value: name or generateName is required" },
    ]);
  }
  if (r.kind.namespaced) store.mustGet(NAMESPACES, undefined, obj.metadata.namespace ?? "");
  if (name && store.get(r.kind, obj.metadata.namespace, name)) {
    throw statusErrors.alreadyExists(r.kind.group, r.kind.plural, name);
  }
  return {
    ...obj,
    metadata: { ...obj.metadata, creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") },
  };
}

export async function serveUpdate(r: ResourceRequest): Promise<void> {
  const next = toKubeObject(r.kind, await readObject(r.req));
  const dryRun = isDryRun(r.query);
  checkUpdateTarget(r.kind, next, r.namespace, r.name);
  const updated = writeUpdate(r, next, dryRun, writerOf(r, "UpdateOptions"));
  await r.reply.json(200, objectJson(r.kind, updated));
}

/**
 * Stores `next` as the new state of the request's object, honouring the status split and
 * optimistic concurrency; with a `writer`, the write is recorded in managedFields as its Update
 * (an apply brings its own managedFields).
 */
export function writeUpdate(
  r: ResourceRequest,
  next: KubeObject,
  dryRun: boolean,
  writer?: Writer,
): KubeObject {
  const current = r.ctx.store.mustGet(r.kind, r.namespace, r.name);
  const split = splitStatus(r.kind, current, next, r.info.subresource);
  const stored = writer ? trackUpdate(r.kind, current, split, writer) : split;
  if (dryRun) {
    const rv = stored.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion)
      throw statusErrors.conflict(r.kind.group, r.kind.plural, r.name);
    return {
      ...stored,
      metadata: {
        ...stored.metadata,
        uid: current.metadata.uid,
        resourceVersion: current.metadata.resourceVersion,
      },
    };
  }
  return r.ctx.store.update(r.kind, stored, { checkVersion: true });
}

interface DeleteOptions {
  preconditions: { uid?: string; resourceVersion?: string };
  orphanDependents: boolean | undefined;
}

async function readDeleteOptions(r: ResourceRequest): Promise<DeleteOptions> {
  const body: JsonObject = await readOptionalObject(r.req);
  const policy = body.propagationPolicy ?? r.query.get("propagationPolicy") ?? undefined;
  if (
    policy !== undefined &&
    policy !== null &&
    !["Orphan", "Background", "Foreground"].includes(policy as string)
  ) {
    throw new StatusError(
      422,
      "Invalid",
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  // Propagation itself is the garbage collector's business; the policy is accepted here.
  const pre = isJsonObject(body.preconditions) ? body.preconditions : {};
  if (Array.isArray(body.dryRun) && body.dryRun.includes("All")) r.query.set("dryRun", "All");
  return {
    preconditions: {
      ...(typeof pre.uid === "string" ? { uid: pre.uid } : {}),
      ...(typeof pre.resourceVersion === "string" ? { resourceVersion: pre.resourceVersion } : {}),
    },
    orphanDependents: typeof body.orphanDependents === "boolean" ? body.orphanDependents : undefined,
  };
}

export async function serveDelete(r: ResourceRequest): Promise<void> {
  const options = await readDeleteOptions(r);
  const { store } = r.ctx;
  if (isDryRun(r.query)) {
    const current = store.mustGet(r.kind, r.namespace, r.name);
    const { uid, resourceVersion } = options.preconditions;
    if (
      (uid && uid !== current.metadata.uid) ||
      (resourceVersion && resourceVersion !== current.metadata.resourceVersion)
    ) {
      throw statusErrors.conflict(r.kind.group, r.kind.plural, r.name);
    }
    await r.reply.json(200, objectJson(r.kind, current));
    return;
  }
  const { object, removed } = store.delete(r.kind, r.namespace, r.name, options.preconditions);
  // Like the real handler: 202 only when dependents were asked to go too and the object lingers.
  const code = !removed && options.orphanDependents === false ? 202 : 200;
  await r.reply.json(code, objectJson(r.kind, object));
}

export async function serveDeleteCollection(r: ResourceRequest): Promise<void> {
  const listOptions = parseListOptions(r.kind, r.query);
  await readDeleteOptions(r);
  const dryRun = isDryRun(r.query);
  const { store } = r.ctx;
  const matching = store.list(r.kind, {
    ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
    ...(listOptions.predicate ? { predicate: listOptions.predicate } : {}),
  }).items;
  const deleted: KubeObject[] = [];
  for (const obj of matching) {
    if (dryRun) {
      deleted.push(obj);
      continue;
    }
    try {
      deleted.push(store.delete(r.kind, obj.metadata.namespace, obj.metadata.name!).object);
    } catch (error) {
      // Something else deleted it meanwhile: not an error for a collection delete.
      if (!(error instanceof StatusError && error.code === 404)) throw error;
    }
  }
  await r.reply.json(200, listJson(r.kind, { items: deleted, revision: store.revision }));
}
