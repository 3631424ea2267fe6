/**
 * PATCH: the three patch types the real server accepts for built-in kinds, applied to the
 * current object as JSON (kind and apiVersion included, as the server sees it).
 */
import jsonPatch, { type Operation } from "fast-json-patch";
import { isJsonObject, type JsonObject, type KubeObject } from "../../src/kube/object.js";
import { StatusError, statusErrors } from "../errors.js";
import { mediaType, parseJson, readText } from "./request-body.js";
import { isDryRun, type ResourceRequest } from "./resource-request.js";
import { objectJson } from "./serialize.js";
import { strategicMerge } from "./strategic-merge.js";
import { checkUpdateTarget, toKubeObject } from "./write-rules.js";
import { writeUpdate, writerOf } from "./write.js";
import { APPLY_PATCH, serveApply } from "./apply-patch.js";
import { invalidOptions } from "./managed-fields/field-manager-name.js";
import { apiVersionOf } from "../kinds.js";

export const PATCH_TYPES = [
  "application/merge-patch+json",
  "application/json-patch+json",
  "application/strategic-merge-patch+json",
] as const;

/** Applies a patch document of the given media type to `target` (which it does not modify). */
export function applyPatch(
  contentType: string,
  target: JsonObject,
  patchText: string,
  kindName: string,
): JsonObject {
  const patch = parseJson(patchText);
  switch (contentType) {
    case "application/merge-patch+json":
      return asObject(mergePatch(target, patch));
    case "application/strategic-merge-patch+json":
      if (!isJsonObject(patch))
        throw statusErrors.badRequest("a strategic merge patch must be a JSON object");
      return strategicMerge(target, patch, kindName);
    case "application/json-patch+json":
      return applyJsonPatch(target, patch);
    default:
      throw statusErrors.unsupportedMediaType(contentType);
  }
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** RFC 6902 through fast-json-patch; a failing operation is the real server's 422. */
function applyJsonPatch(target: JsonObject, patch: unknown): JsonObject {
  if (!Array.isArray(patch))
    throw statusErrors.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  const document = structuredClone(target);
  let result: unknown;
  try {
    result = jsonPatch.applyPatch(document, patch as Operation[], true, true).newDocument;
  } catch (error) {
    if (error instanceof jsonPatch.JsonPatchError && error.name === "OPERATION_OP_INVALID") {
      throw statusErrors.badRequest(
        `Unexpected kind: ${String((error.operation as { op?: unknown } | undefined)?.op)}`,
      );
    }
    throw new StatusError(422, "Invalid", "the server rejected our request due to an error in our request");
  }
  return asObject(result);
}

function asObject(value: unknown): JsonObject {
  if (!isJsonObject(value))
    throw new StatusError(422, "Invalid", "the server rejected our request due to an error in our request");
  return value;
}

export async function servePatch(r: ResourceRequest): Promise<void> {
  const contentType = mediaType(r.req);
  if (contentType === APPLY_PATCH && r.info.subresource === "") return serveApply(r);
  if (!(PATCH_TYPES as readonly string[]).includes(contentType))
    throw statusErrors.unsupportedMediaType(contentType);
  rejectForce(r.query);
  const writer = writerOf(r, "PatchOptions");
  const patchText = await readText(r.req);
  const dryRun = isDryRun(r.query);
  const current = r.ctx.store.mustGet(r.kind, r.namespace, r.name);
  const typed: JsonObject = { kind: r.kind.kind, apiVersion: apiVersionOf(r.kind), ...current };
  const patched = applyPatch(contentType, typed, patchText, r.kind.kind);
  const next: KubeObject = toKubeObject(r.kind, patched);
  checkUpdateTarget(r.kind, next, r.namespace, r.name);
  // A patch carries the current resourceVersion unless it sets one: then it is a precondition.
  const updated = writeUpdate(r, next, dryRun, writer);
  await r.reply.json(200, objectJson(r.kind, updated));
}

/** `force` belongs to apply alone. */
export function rejectForce(query: URLSearchParams): void {
  if (query.has("force"))
    throw invalidOptions("PatchOptions", [
      { field: "force", message: "Forbidden: may not be specified for non-apply patch" },
    ]);
}
