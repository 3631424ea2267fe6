/**
 * SelfSubjectAccessReview and SubjectAccessReview: "may this user do X?" answered by the
 * cluster's authoriser. Created (201) but never stored, as on a real server.
 */
import { isJsonObject, type JsonObject } from "../../src/kube/object.js";
import type { RequestAttributes, UserInfo } from "../auth/user.js";
import { StatusError } from "../errors.js";
import { readObject } from "./request-body.js";
import type { ResourceRequest } from "./resource-request.js";
import { typedJson } from "./serialize.js";
import { serveRulesReview } from "./rules-review.js";

const API_VERSION = "authorization.k8s.io/v1";

export async function serveReview(r: ResourceRequest): Promise<void> {
  if (r.kind.kind === "SelfSubjectRulesReview") return serveRulesReview(r);
  const body = await readObject(r.req);
  const spec = isJsonObject(body.spec) ? body.spec : {};
  const self = r.kind.kind === "SelfSubjectAccessReview";
  const subject = self ? r.user : subjectOf(spec);
  const attrs = attributesOf(r.kind.kind, spec, subject);
  const decision = r.ctx.authorize(attrs);
  const status = { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) };
  const metadata = isJsonObject(body.metadata) ? body.metadata : {};
  const answer = { metadata: { ...metadata, creationTimestamp: null }, spec, status };
  await r.reply.json(201, typedJson(API_VERSION, r.kind.kind, answer));
}

function subjectOf(spec: JsonObject): UserInfo {
  const username = typeof spec.user === "string" ? spec.user : "";
  const groups = Array.isArray(spec.groups) ? spec.groups.map(String) : [];
  if (!username && groups.length === 0) {
    throw invalid(
      "SubjectAccessReview",
      "spec.user",
      '""',
      "at least one of user or group must be specified",
    );
  }
  return {
    username,
    groups,
    ...(typeof spec.uid === "string" ? { uid: spec.uid } : {}),
    ...(isJsonObject(spec.extra) ? { extra: spec.extra as Record<string, string[]> } : {}),
  };
}

function attributesOf(kindName: string, spec: JsonObject, user: UserInfo): RequestAttributes {
  const resource = isJsonObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  const nonResource = isJsonObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
  if ((resource === undefined) === (nonResource === undefined)) {
    throw invalid(
      kindName,
      "spec.resourceAttributes",
      resource ? "{...}" : '"null"',
      "exactly one of nonResourceAttributes or resourceAttributes must be specified",
    );
  }
  const str = (source: JsonObject | undefined, field: string): string =>
    typeof source?.[field] === "string" ? source[field] : "";
  return {
    user,
    verb: str(resource ?? nonResource, "verb"),
    resourceRequest: resource !== undefined,
    group: str(resource, "group"),
    resource: str(resource, "resource"),
    subresource: str(resource, "subresource"),
    namespace: str(resource, "namespace"),
    name: str(resource, "name"),
    path: str(nonResource, "path"),
  };
}

function invalid(kindName: string, field: string, value: string, message: string): StatusError {
  return new StatusError(
    422,
    "Invalid",
    `${kindName}.authorization.k8s.io "" is invalid: ${field}: Invalid value: ${value}: ${message}`,
    {
      group: "authorization.k8s.io",
      kind: kindName,
      causes: [{ reason: "FieldValueInvalid", message, field }],
    },
  );
}
