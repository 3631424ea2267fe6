/**
 * From ID token claims to the user and groups the clusters will see, configured the way the
 * Kubernetes API server's OIDC flags are (--oidc-username-claim, --oidc-username-prefix,
 * --oidc-groups-claim, --oidc-groups-prefix), so the names match the clusters' RBAC subjects.
 */
import { LoginError } from "./login-errors.js";

export interface ClaimMapping {
  /** The claim holding the user name (default "sub", as kube-apiserver). */
  username?: string;
  /** Prepended to the user name (default none). */
  usernamePrefix?: string;
  /** The claim holding the groups, a string or an array of strings (default "groups"). */
  groups?: string;
  /** Prepended to every group (default none). */
  groupsPrefix?: string;
}

export function mapClaims(
  claims: Readonly<Record<string, unknown>>,
  mapping: ClaimMapping = {},
): { user: string; groups: string[] } {
  const usernameClaim = mapping.username ?? "sub";
  const username = claims[usernameClaim];
  if (typeof username !== "string" || username === "") {
    throw new LoginError(
      "CLAIMS_MISSING",
      `the provider's ID token has no "${usernameClaim}" claim to take the user name from`,
    );
  }
  return {
    user: `${mapping.usernamePrefix ?? ""}${username}`,
    groups: groupsOf(claims[mapping.groups ?? "groups"]).map((g) => `${mapping.groupsPrefix ?? ""}${g}`),
  };
}

/** Providers send one group as a string and several as an array; anything else means none. */
function groupsOf(value: unknown): string[] {
  if (typeof value === "string") return value === "" ? [] : [value];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string" && g !== "");
  return [];
}
