/**
 * The transient state of one browser login (state, nonce, PKCE verifier, where to go after),
 * carried by the browser in a signed cookie between /auth/login and /auth/callback, so any
 * replica sharing the secret can finish a flow another one started. The cookie is HttpOnly and
 * SameSite=Lax: the provider's redirect back is a top-level GET, which Lax lets through.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface LoginState {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A same-origin path to show after the login. */
  redirect?: string;
  /**
   * "opener": the login runs in a popup of a gateway page (the explorer) that keeps the tokens in
   * memory; the callback hands them to that page and stores nothing (signed-in-page.ts).
   */
  handoff?: "opener";
  /** Seconds since the epoch after which the cookie is refused. */
  expiresAt: number;
}

export const LOGIN_COOKIE = "fleetgraph_login";

/** "<payload>.<signature>", both base64url; the payload is JSON. */
export function sealLoginState(state: LoginState, secret: string | Buffer): string {
  const payload = Buffer.from(JSON.stringify(state)).toString("base64url");
  return `${payload}.${sign(payload, secret)}`;
}

/** The state the cookie carries, or undefined when it is forged, malformed or expired. */
export function openLoginState(
  sealed: string,
  secret: string | Buffer,
  nowSeconds: number,
): LoginState | undefined {
  const [payload, signature, ...rest] = sealed.split(".");
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let state: Partial<LoginState>;
  try {
    state = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<LoginState>;
  } catch {
    return undefined;
  }
  const complete =
    typeof state.state === "string" &&
    typeof state.nonce === "string" &&
    typeof state.codeVerifier === "string" &&
    typeof state.expiresAt === "number";
  return complete && state.expiresAt! > nowSeconds ? (state as LoginState) : undefined;
}

function sign(payload: string, secret: string | Buffer): string {
  return createHmac("sha256", secret).update(`${LOGIN_COOKIE}:${payload}`).digest("base64url");
}

/**
 * Only a path on this gateway: "/x", never "//host", "/\\host" or "/\t/host", which browsers
 * read as another host. The WHATWG parser reads them as browsers do, so it is the judge.
 */
export function isSameOriginPath(redirect: string): boolean {
  const probe = "https://gateway.invalid";
  return (
    redirect.startsWith("/") && URL.canParse(redirect, probe) && new URL(redirect, probe).origin === probe
  );
}
