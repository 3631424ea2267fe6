/**
 * What a request is about, derived from its method, path and query alone — the way
 * k8s.io/apiserver's RequestInfoFactory does it. Authorisation runs on this before any routing,
 * so a caller without rights to a path gets 403 even when the path names nothing that exists.
 */
import { parseFieldSelector } from "../../src/kube/field-selector.js";

export interface RequestInfo {
  isResourceRequest: boolean;
  /** The URL path without query. */
  path: string;
  /** Resource verbs (get list watch create update patch delete deletecollection) or, for non-resource requests, the lowercase HTTP method. */
  verb: string;
  apiPrefix: "api" | "apis" | "";
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  /** The name from the path, or for list/watch the name pinned by `fieldSelector=metadata.name=x`. */
  name: string;
  /** The name as given in the path (empty for collection requests). */
  pathName: string;
  /** Path segments after the resource name and subresource, which no route accepts. */
  extraParts: string[];
}

const METHOD_VERBS: Record<string, string> = {
  POST: "create",
  GET: "get",
  HEAD: "get",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

// Subresources of a namespace itself: /namespaces/<ns>/status is not a resource named "status".
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

export function parseRequestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: "",
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
    pathName: "",
    extraParts: [],
  };
  let parts = path.split("/").filter((p) => p !== "");
  if (parts.length < 3 || (parts[0] !== "api" && parts[0] !== "apis")) return info;
  const prefix = parts[0];
  parts = parts.slice(1);
  let group = "";
  if (prefix === "apis") {
    if (parts.length < 3) return info;
    group = parts[0]!;
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiPrefix = prefix;
  info.apiGroup = group;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);

  // The deprecated /watch/ path prefix still names the verb.
  if (parts[0] === "watch" && parts.length >= 2) {
    info.verb = "watch";
    parts = parts.slice(1);
  } else {
    info.verb = METHOD_VERBS[method] ?? "";
  }

  if (parts[0] === "namespaces" && parts.length > 1) {
    info.namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  info.resource = parts[0] ?? "";
  info.pathName = parts[1] ?? "";
  info.subresource = parts[2] ?? "";
  info.extraParts = parts.slice(3);
  info.name = info.pathName;

  if (info.pathName === "" && info.verb === "get") {
    info.verb = parseBool(url.searchParams.get("watch")) ? "watch" : "list";
  }
  if (info.pathName === "" && (info.verb === "list" || info.verb === "watch")) {
    info.name = exactNameFromFieldSelector(url.searchParams.get("fieldSelector")) ?? "";
  }
  if (info.pathName === "" && info.verb === "delete") info.verb = "deletecollection";
  return info;
}

/** Go's strconv.ParseBool, which is what the server uses for boolean query parameters. */
export function parseBool(value: string | null): boolean {
  return value !== null && ["1", "t", "T", "true", "TRUE", "True"].includes(value);
}

function exactNameFromFieldSelector(raw: string | null): string | undefined {
  if (!raw) return undefined;
  try {
    const match = parseFieldSelector(raw).filter((r) => r.field === "metadata.name");
    if (match.length === 1 && match[0]!.operator === "=" && /^[^/%]+$/.test(match[0]!.value)) {
      return match[0]!.value;
    }
  } catch {
    // A malformed selector is rejected later by the list handler; here it just names nothing.
  }
  return undefined;
}
