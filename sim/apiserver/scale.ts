/**
 * The `scale` subresource of deployments, statefulsets and replicasets: an autoscaling/v1 Scale
 * view of the parent whose writes change only the parent's spec.replicas.
 */
import { formatLabelSelector, fromLabelSelectorObject } from "../../src/kube/label-selector.js";
import { isJsonObject, type JsonObject, type KubeObject } from "../../src/kube/object.js";
import { StatusError, statusErrors } from "../errors.js";
import { applyPatch, PATCH_TYPES, rejectForce } from "./patch.js";
import { trackUpdate, type Writer } from "./managed-fields/track-update.js";
import { writerOf } from "./write.js";
import { mediaType, readObject, readText } from "./request-body.js";
import { isDryRun, type ResourceRequest } from "./resource-request.js";
import { typedJson } from "./serialize.js";

const SCALE_API_VERSION = "autoscaling/v1";

function scaleOf(parent: KubeObject): JsonObject {
  const spec = isJsonObject(parent.spec) ? parent.spec : {};
  const status = isJsonObject(parent.status) ? parent.status : {};
  const { name, namespace, uid, resourceVersion, creationTimestamp } = parent.metadata;
  let selector = "";
  if (isJsonObject(spec.selector)) {
    const requirements = [...fromLabelSelectorObject(spec.selector)].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
    selector = formatLabelSelector(requirements);
  }
  return {
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: typeof spec.replicas === "number" ? spec.replicas : 1 },
    status: {
      replicas: typeof status.replicas === "number" ? status.replicas : 0,
      ...(selector ? { selector } : {}),
    },
  };
}

export async function serveScale(r: ResourceRequest): Promise<void> {
  const method = r.req.method ?? "GET";
  if (method === "GET") {
    const parent = r.ctx.store.mustGet(r.kind, r.namespace, r.name);
    await r.reply.json(200, typedJson(SCALE_API_VERSION, "Scale", scaleOf(parent)));
    return;
  }
  const contentType = mediaType(r.req);
  if (method !== "PUT" && !(PATCH_TYPES as readonly string[]).includes(contentType)) {
    throw statusErrors.unsupportedMediaType(contentType);
  }
  if (method === "PATCH") rejectForce(r.query);
  const writer = writerOf(r, method === "PUT" ? "UpdateOptions" : "PatchOptions");
  const body = method === "PUT" ? await readObject(r.req) : await readText(r.req);
  const dryRun = isDryRun(r.query);
  // Everything from here on is synchronous: the Scale is computed from, and written to, one state.
  const parent = r.ctx.store.mustGet(r.kind, r.namespace, r.name);
  const desired =
    typeof body !== "string"
      ? body
      : applyPatch(
          contentType,
          { kind: "Scale", apiVersion: SCALE_API_VERSION, ...scaleOf(parent) },
          body,
          "Scale",
        );
  const updated = writeReplicas(r, parent, desired, dryRun, writer);
  await r.reply.json(200, typedJson(SCALE_API_VERSION, "Scale", scaleOf(updated)));
}

function writeReplicas(
  r: ResourceRequest,
  current: KubeObject,
  scale: JsonObject,
  dryRun: boolean,
  writer: Writer,
): KubeObject {
  const meta = isJsonObject(scale.metadata) ? scale.metadata : {};
  if (meta.name !== undefined && meta.name !== r.name) {
    throw statusErrors.badRequest(
      `the name of the object (${JSON.stringify(meta.name)}) does not match the name on the URL (${r.name})`,
    );
  }
  const replicas = isJsonObject(scale.spec) ? scale.spec.replicas : undefined;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    throw new StatusError(
      422,
      "Invalid",
      `Scale.autoscaling "${r.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
      {
        name: r.name,
        group: "autoscaling",
        kind: "Scale",
        causes: [{ reason: "FieldValueInvalid", field: "spec.replicas" }],
      },
    );
  }
  const rv = typeof meta.resourceVersion === "string" ? meta.resourceVersion : "";
  if (rv && rv !== current.metadata.resourceVersion)
    throw statusErrors.conflict(r.kind.group, r.kind.plural, r.name);
  const spec = isJsonObject(current.spec) ? current.spec : {};
  const next = trackUpdate(r.kind, current, { ...current, spec: { ...spec, replicas } }, writer);
  if (dryRun) return next;
  return r.ctx.store.update(r.kind, next);
}
