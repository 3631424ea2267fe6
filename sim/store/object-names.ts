/** Name rules the API server applies on create, per kind. */
import type { ResourceKind } from "../kinds.js";
import { statusErrors } from "../errors.js";

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** path.IsValidPathSegmentName (apimachinery): the first problem, or undefined for a valid name. */
function invalidPathSegment(name: string): string | undefined {
  if (name === "." || name === "..") return `may not be '${name}'`;
  if (name.includes("/")) return "may not contain '/'";
  if (name.includes("%")) return "may not contain '%'";
  return undefined;
}

/** Throws 422 Invalid when the name breaks the kind's rule (RFC 1123 subdomain, or path segment for RBAC). */
export function validateName(kind: ResourceKind, name: string): void {
  const pathSegmentProblem = kind.nameValidation === "path-segment" ? invalidPathSegment(name) : undefined;
  if (pathSegmentProblem) {
    throw statusErrors.invalid(kind.group, kind.kind, name, [
      { field: "metadata.name", message: `Invalid value: "${name}": ${pathSegmentProblem}` },
    ]);
  }
  if (kind.nameValidation !== "path-segment" && (name.length > 253 || !DNS_SUBDOMAIN.test(name))) {
    throw statusErrors.invalid(kind.group, kind.kind, name, [
      {
        field: "metadata.name",
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      },
    ]);
  }
}
