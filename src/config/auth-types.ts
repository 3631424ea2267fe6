import { ASYMMETRIC_ALGORITHMS } from "../../auth/identity/algorithms.js";

/**
 * The `auth` section as the rest of the code sees it: defaults applied, secret files read.
 * Absent from GatewayConfig when the file has no `auth` section (the demo fleet then brings its
 * own identity provider; real clusters then need `--no-auth` or an `auth.oidc` section).
 */

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** Accepted `aud` values of the provider's tokens; default [clientId]. */
  audiences: string[];
  usernameClaim: string;
  groupsClaim: string;
  usernamePrefix: string;
  groupsPrefix: string;
  /** Never "none" and never HS*: the provider's keys are public. */
  algorithms: string[];
  clockSkewSeconds: number;
  scopes: string[];
  /** Only for providers served over plain http (tests, the demo). */
  allowInsecureHttp: boolean;
}

export interface SigningKey {
  id: string;
  secret: string;
}

export interface SessionSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** The first signs; all verify (rotation). Empty: a random key per process. */
  signingKeys: SigningKey[];
}

export interface OpaSettings {
  url: string;
  scopePath: string;
  allowPath: string;
  timeoutMs: number;
  cacheSeconds: number;
  token?: string;
}

/** A built-in role given to users and groups; where it applies depends on the role's level. */
export interface RoleBindingSettings {
  role: string;
  users: string[];
  groups: string[];
  cluster?: string;
  workspace?: string;
  namespace?: string;
}

export interface AuthSettings {
  /** The gateway's own base URL as browsers reach it (redirect URIs, token issuer). */
  publicUrl?: string;
  oidc?: OidcSettings;
  sessions: SessionSettings;
  redis?: { url: string; keyPrefix: string };
  opa?: OpaSettings;
  roleBindings: RoleBindingSettings[];
}

/** The provider's tokens are verified with public keys: asymmetric algorithms only. */
export const DEFAULT_OIDC_ALGORITHMS: string[] = [...ASYMMETRIC_ALGORITHMS];

export const DEFAULT_SESSION_SETTINGS: Readonly<Omit<SessionSettings, "signingKeys">> = Object.freeze({
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 8 * 3600,
});
