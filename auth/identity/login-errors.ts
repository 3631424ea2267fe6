/** Why a login, refresh or logout request failed: an HTTP status and a code the client can act on. */

export type LoginFailure =
  /** The login cookie is missing, expired, forged, or its state differs from the callback's. */
  | "BAD_LOGIN_STATE"
  /** `?redirect=` is not a path on the gateway. */
  | "BAD_REDIRECT"
  /** A request body without what the route needs. */
  | "BAD_REQUEST"
  /** The provider refused the login or the code (denied, reused, expired), or its answer failed checks. */
  | "LOGIN_REFUSED"
  /** The ID token lacks the claim configured as the user name. */
  | "CLAIMS_MISSING"
  /** The provider could not be reached or answered garbage. */
  | "PROVIDER_UNAVAILABLE";

const STATUS: Record<LoginFailure, number> = {
  BAD_LOGIN_STATE: 400,
  BAD_REDIRECT: 400,
  BAD_REQUEST: 400,
  LOGIN_REFUSED: 400,
  CLAIMS_MISSING: 400,
  PROVIDER_UNAVAILABLE: 502,
};

export class LoginError extends Error {
  readonly status: number;
  constructor(
    readonly code: LoginFailure,
    /** Safe to show the caller. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LoginError";
    this.status = STATUS[code];
  }
}
