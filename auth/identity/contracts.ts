/**
 * The contracts between the parts of identity: the login routes (browser flow against the OpenID
 * provider) hand a verified user to the session issuer; the authenticator turns a bearer token
 * into a Subject. Implementations live beside this file; the composition root wires them.
 */
import type { Subject } from "../subject.js";

/** Why a bearer token was refused. Always answered with HTTP 401 and code UNAUTHENTICATED. */
export type AuthFailureReason =
  | "missing"
  | "malformed"
  | "expired"
  | "not-yet-valid"
  | "bad-signature"
  | "wrong-issuer"
  | "wrong-audience"
  | "algorithm-not-allowed"
  | "unknown-key"
  | "revoked"
  | "wrong-token-type"
  | "unknown-token"
  | "provider-unavailable";

export class AuthenticationError extends Error {
  readonly code = "UNAUTHENTICATED";
  constructor(
    readonly reason: AuthFailureReason,
    /** Safe to show the caller: says what to do, reveals nothing about keys or other users. */
    message: string,
  ) {
    super(message);
    this.name = "AuthenticationError";
  }
}

/** Turns the Authorization header's bearer token into a Subject, or throws AuthenticationError. */
export interface Authenticator {
  authenticate(bearerToken: string | undefined): Promise<Subject>;
  /** A token's Subject when it was verified before and is still cached: the request path's shortcut. */
  cached?(bearerToken: string | undefined): Subject | undefined;
}

/** The gateway's own tokens after a browser login. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  sessionId: string;
  /** Whose session it is (for the audit trail; never sent to the client). */
  user?: string;
  groups?: readonly string[];
}

/** What the login flow learnt from the provider about the user (claims already mapped). */
export interface LoggedInUser {
  user: string;
  groups: readonly string[];
  /** The provider's id_token, kept for the logout redirect's id_token_hint. */
  idToken?: string;
}

/** Issues, refreshes and revokes the gateway's sessions (state in the shared store). */
export interface SessionIssuer {
  start(user: LoggedInUser): Promise<SessionTokens>;
  /** Rotates the refresh token; throws AuthenticationError for an unknown, used or revoked one. */
  refresh(refreshToken: string): Promise<SessionTokens>;
  /** Ends the session: its access and refresh tokens are refused by every replica from now on. */
  revoke(sessionId: string): Promise<void>;
  /** The id_token the session started with, for the provider's end_session_endpoint. */
  idTokenOf(sessionId: string): Promise<string | undefined>;
}
