/**
 * Who is calling: the outcome of authentication and the input of access. Resolvers never see a
 * raw token; they see a Subject (and the Scope computed for it).
 */

/** How the caller proved who it is. */
export type SubjectSource =
  /** A token issued by the configured OpenID provider (login or client-credentials grant). */
  | "oidc"
  /** An access token the gateway issued itself after a browser login (/auth/callback, /auth/refresh). */
  | "session"
  /** An API token created by a mutation (opaque, stored hashed). */
  | "api-token"
  /** Authentication is off (`--no-auth`): every request is this subject. */
  | "anonymous";

export interface Subject {
  /** The user name as the member clusters know it (Impersonate-User). */
  readonly user: string;
  /** Its groups (one Impersonate-Group each); "system:authenticated" is implied, never listed. */
  readonly groups: readonly string[];
  readonly source: SubjectSource;
  /** Session id, API-token id or the IdP token's jti: what revocation names. */
  readonly tokenId?: string;
  /** When the credential stops being valid, in seconds since the epoch. */
  readonly expiresAt?: number;
  /**
   * For API tokens created with narrower grants than their owner's: the built-in roles they
   * carry (the owner's access intersected with these). Undefined: the owner's full access.
   */
  readonly restrictedTo?: readonly RoleRef[];
}

/** One built-in role where it applies (KubeSphere's vocabulary; see auth/access/roles.ts). */
export interface RoleRef {
  readonly role: string;
  /** For cluster and namespace roles: the cluster, or "*" for every cluster. */
  readonly cluster?: string;
  /** For workspace roles. */
  readonly workspace?: string;
  /** For namespace roles. */
  readonly namespace?: string;
}

/** The subject of every request when authentication is off. */
export const ANONYMOUS: Subject = Object.freeze({
  user: "system:anonymous",
  groups: [],
  source: "anonymous",
});

/** A stable key for caches of per-subject results (scopes, decisions). */
export function subjectKey(subject: Subject): string {
  const groups = [...subject.groups].sort().join(",");
  const roles = subject.restrictedTo?.map(
    (r) => `${r.role}@${r.cluster ?? ""}/${r.workspace ?? ""}/${r.namespace ?? ""}`,
  );
  return `${subject.user}\u0000${groups}\u0000${roles?.join(";") ?? "*"}`;
}
