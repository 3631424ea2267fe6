/**
 * Authentication for a simulated cluster: a static bearer-token table (like kube-apiserver's
 * --token-auth-file) followed by the impersonation filter.
 *
 * Anonymous requests are disabled in this simulator (as with --anonymous-auth=false): a request
 * without a valid bearer token is 401 Unauthorized, never system:anonymous.
 */
import { statusErrors, type StatusError } from "../errors.js";
import type { Authorizer } from "./rbac-authorizer.js";
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, impersonate } from "./impersonation.js";
import { RequestHeaders, type RawHeaders } from "./request-headers.js";
import type { SimUser, UserInfo } from "./user.js";

export type Authenticator = (headers: RawHeaders) => UserInfo | StatusError;

/** The bearer token of an `Authorization: Bearer <token>` header (scheme case-insensitive), if any. */
function bearerToken(headers: RequestHeaders): string | undefined {
  const auth = headers.first("Authorization")?.trim();
  if (!auth) return undefined;
  const parts = auth.split(" ");
  if (parts.length < 2 || parts[0]!.toLowerCase() !== "bearer") return undefined;
  return parts[1] || undefined;
}

/** The authenticated-group adder: every authenticated user is in system:authenticated. */
function withAuthenticatedGroup(groups: string[]): string[] {
  if (groups.includes(ALL_AUTHENTICATED) || groups.includes(ALL_UNAUTHENTICATED)) return [...groups];
  return [...groups, ALL_AUTHENTICATED];
}

export function createAuthenticator(options: { users: SimUser[]; authorize: Authorizer }): Authenticator {
  const byToken = new Map<string, SimUser>();
  for (const user of options.users) {
    if (byToken.has(user.token)) throw new Error(`two simulator users share a bearer token (${user.name})`);
    byToken.set(user.token, user);
  }
  return (raw) => {
    const headers = new RequestHeaders(raw);
    const token = bearerToken(headers);
    const user = token === undefined ? undefined : byToken.get(token);
    if (!user) return statusErrors.unauthorized();
    const requestor: UserInfo = { username: user.name, groups: withAuthenticatedGroup(user.groups) };
    return impersonate(requestor, headers, options.authorize);
  };
}
