/**
 * The OpenAPI v3 documents: /openapi/v3 lists one document per group-version with a content hash
 * in its URL, and /openapi/v3/<api|apis/group>/<version> is that document. kubectl reads them to
 * learn which operations accept the `fieldValidation` query parameter (so it can leave validation
 * to the server) and to resolve kinds; every path and operation here mirrors the real layout.
 */
import { createHash } from "node:crypto";
import { apiVersionOf, RESOURCE_KINDS, type ResourceKind } from "../../kinds.js";
import { definitionName, kindSchema, type Schema } from "./schemas.js";

interface Parameter {
  name: string;
  in: "query" | "path";
  description: string;
  required?: boolean;
  schema: Schema;
}

const query = (name: string, description: string, type = "string"): Parameter => ({
  name,
  in: "query",
  description,
  schema: { type, uniqueItems: true },
});
const pathParam = (name: string, description: string): Parameter => ({
  name,
  in: "path",
  description,
  required: true,
  schema: { type: "string", uniqueItems: true },
});

const DRY_RUN = query("dryRun", "When present, indicates that modifications should not be persisted.");
const FIELD_MANAGER = query(
  "fieldManager",
  "fieldManager is a name associated with the actor or entity that is making these changes.",
);
const FIELD_VALIDATION = query(
  "fieldValidation",
  "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.",
);
const FORCE = query("force", 'Force is going to "force" Apply requests.', "boolean");
const PRETTY = query("pretty", "If 'true', then the output is pretty printed.");
const LIST_PARAMS = [
  query("allowWatchBookmarks", 'allowWatchBookmarks requests watch events with type "BOOKMARK".', "boolean"),
  query("continue", "The continue option should be set when retrieving more results from the server."),
  query("fieldSelector", "A selector to restrict the list of returned objects by their fields."),
  query("labelSelector", "A selector to restrict the list of returned objects by their labels."),
  query("limit", "limit is a maximum number of responses to return for a list call.", "integer"),
  query(
    "resourceVersion",
    "resourceVersion sets a constraint on what resource versions a request may be served from.",
  ),
  query(
    "resourceVersionMatch",
    "resourceVersionMatch determines how resourceVersion is applied to list calls.",
  ),
  query("sendInitialEvents", "`sendInitialEvents=true` may be set together with `watch=true`.", "boolean"),
  query("timeoutSeconds", "Timeout for the list/watch call.", "integer"),
  query("watch", "Watch for changes to the described resources and return them as a stream.", "boolean"),
];

const JSON_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
const PATCH_TYPES = [
  "application/apply-patch+yaml",
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
];

function content(types: string[], ref: string): Schema {
  return Object.fromEntries(types.map((t) => [t, { schema: { $ref: ref } }]));
}

function operation(kind: ResourceKind, action: string, verb: string, extra: Schema): Schema {
  const group = kind.group === "" ? "core" : kind.group.split(".")[0]!;
  const name = `${verb}${cap(group)}${cap(kind.version)}${kind.namespaced ? "Namespaced" : ""}${kind.kind}`;
  return {
    tags: [`${group}_${kind.version}`],
    description: `${action} ${kind.kind}`,
    operationId: name,
    responses: { "200": { description: "OK", content: content(JSON_TYPES, ref(kind)) } },
    "x-kubernetes-action": verb,
    "x-kubernetes-group-version-kind": { group: kind.group, version: kind.version, kind: kind.kind },
    ...extra,
  };
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const ref = (kind: ResourceKind): string => `#/components/schemas/${definitionName(kind)}`;

function pathsOf(kind: ResourceKind): Record<string, Schema> {
  const prefix = kind.group === "" ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const scope = kind.namespaced ? `${prefix}/namespaces/{namespace}` : prefix;
  const scopeParams = kind.namespaced ? [pathParam("namespace", "object name and auth scope")] : [];
  const body = (types: string[]): Schema => ({
    requestBody: { content: content(types, ref(kind)), required: true },
  });
  const writeParams = { parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION] };
  const collection: Schema = { parameters: [...scopeParams, PRETTY] };
  const item: Schema = {
    parameters: [pathParam("name", `name of the ${kind.kind}`), ...scopeParams, PRETTY],
  };
  const verbs = new Set(kind.verbs);
  if (verbs.has("list"))
    collection.get = operation(kind, "list or watch objects of kind", "list", { parameters: LIST_PARAMS });
  if (verbs.has("create"))
    collection.post = operation(kind, "create a", "post", { ...body(JSON_TYPES), ...writeParams });
  if (verbs.has("get")) item.get = operation(kind, "read the specified", "get", {});
  if (verbs.has("update"))
    item.put = operation(kind, "replace the specified", "put", { ...body(JSON_TYPES), ...writeParams });
  if (verbs.has("patch"))
    item.patch = operation(kind, "partially update the specified", "patch", {
      ...body(PATCH_TYPES),
      parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE],
    });
  if (verbs.has("delete")) item.delete = operation(kind, "delete a", "delete", { parameters: [DRY_RUN] });
  const paths: Record<string, Schema> = { [`${scope}/${kind.plural}`]: collection };
  if (!kind.virtual) paths[`${scope}/${kind.plural}/{name}`] = item;
  return paths;
}

export interface GroupVersionDocument {
  /** The path under /openapi/v3/ ("api/v1", "apis/apps/v1"). */
  path: string;
  hash: string;
  text: string;
}

function buildDocuments(version: string): Map<string, GroupVersionDocument> {
  const byPath = new Map<string, ResourceKind[]>();
  for (const kind of RESOURCE_KINDS) {
    const path = kind.group === "" ? `api/${kind.version}` : `apis/${apiVersionOf(kind)}`;
    byPath.set(path, [...(byPath.get(path) ?? []), kind]);
  }
  const documents = new Map<string, GroupVersionDocument>();
  for (const [path, kinds] of byPath) {
    const doc = {
      openapi: "3.0.0",
      info: { title: "Kubernetes", version },
      paths: Object.assign({}, ...kinds.map(pathsOf)) as Record<string, Schema>,
      components: { schemas: Object.fromEntries(kinds.map((k) => [definitionName(k), kindSchema(k)])) },
    };
    const text = JSON.stringify(doc);
    const hash = createHash("sha512").update(text).digest("hex").toUpperCase().slice(0, 128);
    documents.set(path, { path, hash, text });
  }
  return documents;
}

const cache = new Map<string, Map<string, GroupVersionDocument>>();

/** Every group-version document for a server reporting `gitVersion`, keyed by path. */
export function openApiDocuments(gitVersion: string): Map<string, GroupVersionDocument> {
  let documents = cache.get(gitVersion);
  if (!documents) cache.set(gitVersion, (documents = buildDocuments(gitVersion)));
  return documents;
}

/** The /openapi/v3 discovery document. */
export function openApiRoot(gitVersion: string): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const doc of openApiDocuments(gitVersion).values()) {
    paths[doc.path] = { serverRelativeURL: `/openapi/v3/${doc.path}?hash=${doc.hash}` };
  }
  return { paths };
}
