/**
 * What an API path asks for, in RBAC's words ("list pods in namespace \"search\""), so that a
 * refusal can say what was denied without quoting the API server's message.
 */

export interface ApiRequestTarget {
  /** "get", "list" or "watch" as read from a path; a write's caller names its own ("patch"). */
  verb: string;
  /** The resource, "<plural>.<group>" outside the core group, with "/<subresource>" when one is named. */
  resource: string;
  /** undefined: cluster-scoped, or across every namespace. */
  namespace: string | undefined;
  name: string | undefined;
}

/** undefined for paths that are not resource requests (/readyz, discovery documents). */
export function apiRequestTarget(pathAndQuery: string): ApiRequestTarget | undefined {
  const [path = "", query = ""] = pathAndQuery.split("?", 2);
  const segments = path
    .split("/")
    .filter((s) => s !== "")
    .map(decodeSegment);
  let group: string;
  let rest: string[];
  if (segments[0] === "api" && segments.length >= 3) {
    group = "";
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments.length >= 4) {
    group = segments[1]!;
    rest = segments.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  if (plural === undefined) return undefined;
  const resource = (group === "" ? plural : `${plural}.${group}`) + (subresource ? `/${subresource}` : "");
  const watching = new URLSearchParams(query).get("watch");
  const verb = name !== undefined ? "get" : watching === "true" || watching === "1" ? "watch" : "list";
  return { verb, resource, namespace, name };
}

/** "list pods in namespace \"search\"", "get secrets \"db\" in namespace \"shop\"", "list nodes". */
export function describeApiRequest(target: ApiRequestTarget): string {
  const what = target.name === undefined ? target.resource : `${target.resource} "${target.name}"`;
  const where = target.namespace === undefined ? "" : ` in namespace "${target.namespace}"`;
  return `${target.verb} ${what}${where}`;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
