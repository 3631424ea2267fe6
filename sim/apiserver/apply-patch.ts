/**
 * PATCH with `application/apply-patch+yaml`: server-side apply. The body is a YAML (or JSON)
 * configuration naming this resource's apiVersion and kind; `fieldManager` is required, `force`
 * takes conflicting fields over. Applying to an object that does not exist creates it (201),
 * which must then be authorised as a create as well as the patch the request was (patch.go's
 * createValidation): patch rights alone do not let anyone create.
 */
import { parse as parseYaml } from "yaml";
import { isJsonObject, type KubeObject } from "../../src/kube/object.js";
import { admitCreate } from "../admission/index.js";
import { StatusError, statusErrors } from "../errors.js";
import { apiVersionOf } from "../kinds.js";
import { applyConfiguration } from "./managed-fields/apply.js";
import { fieldManagerProblems, invalidOptions } from "./managed-fields/field-manager-name.js";
import { readText } from "./request-body.js";
import { isDryRun, type ResourceRequest } from "./resource-request.js";
import { objectJson } from "./serialize.js";
import { dryRunCreate, writeUpdate } from "./write.js";
import { checkCreateTarget, checkUpdateTarget, prepareForCreate, toKubeObject } from "./write-rules.js";

export const APPLY_PATCH = "application/apply-patch+yaml";

export async function serveApply(r: ResourceRequest): Promise<void> {
  const { manager, force } = applyOptions(r.query);
  const config = applyBody(await readText(r.req), r);
  const dryRun = isDryRun(r.query);
  const apiVersion = apiVersionOf(r.kind);
  // Everything from here on is synchronous: the apply is computed from, and written to, one state.
  const live = r.ctx.store.get(r.kind, r.namespace, r.name);
  const precondition = config.metadata.resourceVersion;
  if (live && precondition && precondition !== live.metadata.resourceVersion)
    throw statusErrors.conflict(r.kind.group, r.kind.plural, r.name);
  const applied = applyConfiguration({ kind: r.kind, live, config, manager, apiVersion, force });
  if (live) {
    const updated = writeUpdate(r, applied, dryRun);
    await r.reply.json(200, objectJson(r.kind, updated));
    return;
  }
  const obj: KubeObject = { ...applied, metadata: { ...applied.metadata, name: r.name } };
  if (precondition)
    throw statusErrors.badRequest("resourceVersion should not be set on objects to be created");
  checkCreateTarget(r.kind, obj, r.namespace);
  prepareForCreate(r.kind, obj);
  authorizeCreate(r);
  admitCreate(r.ctx.store, r.kind, obj);
  const created = dryRun ? dryRunCreate(r, obj) : r.ctx.store.create(r.kind, obj);
  await r.reply.json(201, objectJson(r.kind, created));
}

/**
 * The create an apply turns into, authorised for the (impersonated) user as patch.go's
 * withAuthorization does after the object's validation and before admission, for dry runs too.
 * Refused: apierrors.NewForbidden with the authoriser's reason alone (usually empty, so the
 * message ends in ": "), not the "User … cannot …" wording of a refused request.
 */
function authorizeCreate(r: ResourceRequest): void {
  const namespace = r.kind.namespaced ? (r.namespace ?? "") : "";
  const decision = r.ctx.authorize({
    user: r.user,
    verb: "create",
    resourceRequest: true,
    group: r.kind.group,
    resource: r.kind.plural,
    subresource: "",
    namespace,
    name: r.name,
    path: r.info.path,
  });
  if (decision.allowed) return;
  const { group, plural } = r.kind;
  const qualified = group ? `${plural}.${group}` : plural;
  // Go leaves the empty group out of the details (omitempty).
  throw new StatusError(
    403,
    "Forbidden",
    `${qualified} ${JSON.stringify(r.name)} is forbidden: ${decision.reason}`,
    {
      name: r.name,
      ...(group ? { group } : {}),
      kind: plural,
    },
  );
}

function applyOptions(query: URLSearchParams): { manager: string; force: boolean } {
  const manager = query.get("fieldManager") ?? "";
  const problems = manager
    ? fieldManagerProblems(manager)
    : [{ field: "fieldManager", message: "Required value: is required for apply patch" }];
  if (problems.length > 0) throw invalidOptions("PatchOptions", problems);
  const force = query.get("force");
  if (force !== null && force !== "true" && force !== "false")
    throw statusErrors.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(force)}: invalid syntax`);
  return { manager, force: force === "true" };
}

/** The configuration: one YAML or JSON object of this resource's kind, named as the URL, without managedFields. */
function applyBody(text: string, r: ResourceRequest): KubeObject {
  let body: unknown;
  try {
    body = parseYaml(text, { uniqueKeys: true });
  } catch (error) {
    throw statusErrors.badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
  if (!isJsonObject(body))
    throw statusErrors.badRequest("error decoding YAML: the apply configuration must be an object");
  const missing = ["apiVersion", "kind"].filter((field) => typeof body[field] !== "string");
  if (missing.length > 0)
    throw statusErrors.badRequest(
      `Object '${missing[0] === "kind" ? "Kind" : "apiVersion"}' is missing in '${text.slice(0, 200)}'`,
    );
  const config = toKubeObject(r.kind, body);
  if (config.metadata.managedFields !== undefined && config.metadata.managedFields !== null)
    throw statusErrors.badRequest("metadata.managedFields must be nil");
  checkUpdateTarget(r.kind, config, r.namespace, r.name);
  return config;
}
