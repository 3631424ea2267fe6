/**
 * User impersonation (k8s.io/apiserver WithImpersonation): the authenticated user may act as
 * another user, service account, groups, uid and extra values, provided RBAC allows the verb
 * `impersonate` on each of them. Checks run in the real order (user or service account, groups,
 * extras, uid) and the first one denied answers 403 with the real message.
 */
import { StatusError, statusErrors } from "../errors.js";
import type { Authorizer } from "./rbac-authorizer.js";
import { forbiddenError } from "./forbidden.js";
import { serviceAccountUsername, splitServiceAccountUsername } from "./rbac-objects.js";
import type { RequestHeaders } from "./request-headers.js";
import type { RequestAttributes, UserInfo } from "./user.js";

export const IMPERSONATE_USER = "Impersonate-User";
export const IMPERSONATE_GROUP = "Impersonate-Group";
export const IMPERSONATE_UID = "Impersonate-Uid";
export const IMPERSONATE_EXTRA_PREFIX = "Impersonate-Extra-";

export const ALL_AUTHENTICATED = "system:authenticated";
export const ALL_UNAUTHENTICATED = "system:unauthenticated";

const AUTHENTICATION_GROUP = "authentication.k8s.io";
const AUTHENTICATION_VERSION = `${AUTHENTICATION_GROUP}/v1`;

/** One thing to impersonate: a v1.ObjectReference in the real filter. */
interface ImpersonationRequest {
  kind: "User" | "ServiceAccount" | "Group" | "UserExtra" | "UID";
  namespace: string;
  name: string;
  apiVersion: string;
  /** The extra key, for UserExtra. */
  fieldPath: string;
}

function request(kind: ImpersonationRequest["kind"], name: string, more: Partial<ImpersonationRequest> = {}) {
  return { kind, name, namespace: "", apiVersion: "", fieldPath: "", ...more } satisfies ImpersonationRequest;
}

/** Go's %v of a v1.ObjectReference: the seven fields, space-separated, in braces. */
function formatRequest(r: ImpersonationRequest): string {
  return `{${[r.kind, r.namespace, r.name, "", r.apiVersion, "", r.fieldPath].join(" ")}}`;
}

/** url.PathUnescape, keeping the raw key when it is not valid percent-encoding. */
function unescapeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

function buildRequests(headers: RequestHeaders): ImpersonationRequest[] | StatusError {
  const requests: ImpersonationRequest[] = [];
  const user = headers.first(IMPERSONATE_USER) ?? "";
  if (user) {
    const sa = splitServiceAccountUsername(user);
    requests.push(
      sa ? request("ServiceAccount", sa.name, { namespace: sa.namespace }) : request("User", user),
    );
  }
  const groups = headers.list(IMPERSONATE_GROUP);
  for (const group of groups) requests.push(request("Group", group));
  const extras = headers.withPrefix(IMPERSONATE_EXTRA_PREFIX);
  for (const { name, values } of extras) {
    const key = unescapeExtraKey(name.slice(IMPERSONATE_EXTRA_PREFIX.length));
    for (const value of values) {
      requests.push(request("UserExtra", value, { apiVersion: AUTHENTICATION_VERSION, fieldPath: key }));
    }
  }
  const uid = headers.first(IMPERSONATE_UID) ?? "";
  if (uid) requests.push(request("UID", uid, { apiVersion: AUTHENTICATION_VERSION }));
  if ((groups.length > 0 || extras.length > 0 || uid) && !user) {
    return statusErrors.badRequest(
      `requested [${requests.map(formatRequest).join(" ")}] without impersonating a user`,
    );
  }
  return requests;
}

function attributesFor(requestor: UserInfo, r: ImpersonationRequest): RequestAttributes {
  const base = { user: requestor, verb: "impersonate", resourceRequest: true, path: "", subresource: "" };
  switch (r.kind) {
    case "ServiceAccount":
      return { ...base, group: "", resource: "serviceaccounts", namespace: r.namespace, name: r.name };
    case "User":
      return { ...base, group: "", resource: "users", namespace: "", name: r.name };
    case "Group":
      return { ...base, group: "", resource: "groups", namespace: "", name: r.name };
    case "UserExtra":
      return {
        ...base,
        group: AUTHENTICATION_GROUP,
        resource: "userextras",
        subresource: r.fieldPath,
        namespace: "",
        name: r.name,
      };
    case "UID":
      return { ...base, group: AUTHENTICATION_GROUP, resource: "uids", namespace: "", name: r.name };
  }
}

/**
 * The identity the request acts as: `requestor` itself when no impersonation header is present,
 * the impersonated identity when every part of it is allowed, or a 400/403 Status.
 */
export function impersonate(
  requestor: UserInfo,
  headers: RequestHeaders,
  authorize: Authorizer,
): UserInfo | StatusError {
  const requests = buildRequests(headers);
  if (requests instanceof StatusError) return requests;
  if (requests.length === 0) return requestor;

  const groupsSpecified = headers.list(IMPERSONATE_GROUP).length > 0;
  let username = "";
  let groups: string[] = [];
  let uid = "";
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    const attributes = attributesFor(requestor, r);
    const decision = authorize(attributes);
    if (!decision.allowed) return forbiddenError(attributes, decision.reason);
    switch (r.kind) {
      case "ServiceAccount":
        username = serviceAccountUsername(r.namespace, r.name);
        // A service account's groups are a fixed mapping unless groups are given explicitly.
        if (!groupsSpecified) groups = ["system:serviceaccounts", `system:serviceaccounts:${r.namespace}`];
        break;
      case "User":
        username = r.name;
        break;
      case "Group":
        groups.push(r.name);
        break;
      case "UserExtra":
        (extra[r.fieldPath] ??= []).push(r.name);
        break;
      case "UID":
        uid = r.name;
        break;
    }
  }
  // Anonymous requests are disabled in the simulator, but an authorised user may still
  // impersonate system:anonymous; it then gets system:unauthenticated, as on a real server.
  if (username === "system:anonymous") {
    if (!groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_UNAUTHENTICATED);
  } else if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_AUTHENTICATED);
  }
  return {
    username,
    groups,
    ...(uid ? { uid } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}
