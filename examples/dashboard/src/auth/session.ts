/**
 * The gateway's browser login, from the page's side. The gateway runs the OpenID flow
 * (/auth/login -> the provider -> /auth/callback); its callback page leaves the session's tokens
 * in this tab's sessionStorage under "fleetgraph.tokens" and sends the browser back to the path
 * the login started from. Nothing here sees a password, and the tokens never reach localStorage
 * or a cookie: closing the tab ends the dashboard's hold on the session.
 */

/** What /auth/callback stores, and what /auth/refresh answers (without user and groups). */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
  user?: string;
  groups?: string[];
}

const STORAGE_KEY = "fleetgraph.tokens";
/** Refresh this long before the access token expires, so no request carries a dying token. */
const REFRESH_MARGIN_MS = 60_000;

export function storedTokens(): SessionTokens | undefined {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as SessionTokens;
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return undefined;
  }
}

/** Starts the login; the gateway brings the browser back to `returnTo` (a path on this origin). */
export function login(returnTo = location.pathname): void {
  location.assign(`/auth/login?redirect=${encodeURIComponent(returnTo)}`);
}

/** Ends the gateway's session, then the provider's (its end-session page returns here). */
export async function logout(): Promise<void> {
  const tokens = storedTokens();
  sessionStorage.removeItem(STORAGE_KEY);
  const response = await fetch("/auth/logout", {
    method: "POST",
    headers: {
      accept: "application/json",
      ...(tokens ? { authorization: `Bearer ${tokens.accessToken}` } : {}),
    },
  });
  const body = (await response.json()) as { endSessionUrl?: string };
  location.assign(body.endSessionUrl ?? "/");
}

let refreshing: Promise<SessionTokens | undefined> | undefined;

/**
 * An access token good for at least another minute, refreshed when it is not (one refresh at a
 * time: the gateway rotates the refresh token, and a reused one ends the session). Undefined
 * when signed out or the session has ended.
 */
export async function freshAccessToken(): Promise<string | undefined> {
  const tokens = storedTokens();
  if (!tokens) return undefined;
  if (expiresAt(tokens.accessToken) - Date.now() > REFRESH_MARGIN_MS) return tokens.accessToken;
  refreshing ??= refresh(tokens).finally(() => (refreshing = undefined));
  return (await refreshing)?.accessToken;
}

async function refresh(tokens: SessionTokens): Promise<SessionTokens | undefined> {
  const response = await fetch("/auth/refresh", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refreshToken: tokens.refreshToken }),
  });
  if (!response.ok) {
    // Expired or revoked: the page shows the sign-in button again.
    sessionStorage.removeItem(STORAGE_KEY);
    return undefined;
  }
  const next = { ...tokens, ...((await response.json()) as SessionTokens) };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  return next;
}

/** The JWT's `exp`, in ms; 0 (refresh now) when it cannot be read. */
function expiresAt(jwt: string): number {
  try {
    const payload = jwt.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const exp = (JSON.parse(json) as { exp?: number }).exp;
    return typeof exp === "number" ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}
