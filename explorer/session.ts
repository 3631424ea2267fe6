/**
 * The explorer's login: the gateway's own OIDC flow run in a popup (/auth/login?handoff=opener),
 * whose callback page posts the tokens back here (auth/identity/signed-in-page.ts). The tokens
 * live in this object only — never in storage, cookies or the URL — so closing or reloading the
 * tab forgets them. The access token is refreshed through /auth/refresh a minute before it
 * expires; logging out revokes the session at /auth/logout, then ends the provider's session.
 */

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives from when it was issued. */
  expiresIn: number;
  sessionId: string;
}

export interface SignedIn extends Tokens {
  user: string;
  groups: readonly string[];
}

/** Must match SIGNED_IN_MESSAGE of auth/identity/signed-in-page.ts. */
const SIGNED_IN_MESSAGE = "fleetgraph.signed-in";
/** Refresh this long before the access token expires (the gateway closes sockets at expiry). */
const REFRESH_MARGIN_SECONDS = 60;

export type SessionState =
  | { kind: "signed-out"; error?: string }
  | { kind: "signing-in" }
  | { kind: "signed-in"; user: string; groups: readonly string[] };

export class GatewaySession {
  private tokens: Tokens | undefined;
  private who: { user: string; groups: readonly string[] } | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<(state: SessionState) => void>();
  private current: SessionState = { kind: "signed-out" };

  constructor(private readonly origin: string = location.origin) {}

  get state(): SessionState {
    return this.current;
  }

  /** The bearer token for the next request, if signed in. */
  accessToken(): string | undefined {
    return this.tokens?.accessToken;
  }

  onChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens the login popup; resolves once the popup has handed the tokens over (or failed). */
  logIn(): void {
    const popup = window.open(
      `${this.origin}/auth/login?handoff=opener`,
      "fleetgraph-login",
      "popup,width=560,height=680",
    );
    if (!popup) {
      this.set({
        kind: "signed-out",
        error: "The browser blocked the login window: allow pop-ups for this page.",
      });
      return;
    }
    this.set({ kind: "signing-in" });
    const onMessage = (event: MessageEvent): void => {
      // Only the callback page of this gateway, in the popup we opened, may sign us in.
      if (event.origin !== this.origin || event.source !== popup) return;
      const data = event.data as { type?: unknown; tokens?: SignedIn } | null;
      if (data?.type !== SIGNED_IN_MESSAGE || !data.tokens) return;
      window.removeEventListener("message", onMessage);
      clearInterval(watch);
      this.who = { user: data.tokens.user, groups: data.tokens.groups };
      this.accept(data.tokens);
    };
    window.addEventListener("message", onMessage);
    // A popup closed without signing in leaves us signed out, not waiting forever.
    const watch = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(watch);
      window.removeEventListener("message", onMessage);
      if (this.current.kind === "signing-in") this.set({ kind: "signed-out" });
    }, 500);
  }

  /** Revokes the gateway session, forgets the tokens, then ends the provider's session too. */
  async logOut(): Promise<void> {
    const token = this.tokens?.accessToken;
    this.forget();
    if (token === undefined) return;
    const res = await fetch(`${this.origin}/auth/logout`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    });
    const body = (await res.json().catch(() => ({}))) as { endSessionUrl?: string };
    // Without this the provider would sign the next "Log in" straight back in as the same person.
    if (body.endSessionUrl) location.assign(body.endSessionUrl);
  }

  private accept(tokens: Tokens): void {
    this.tokens = tokens;
    clearTimeout(this.refreshTimer);
    const delay = Math.max(5, tokens.expiresIn - REFRESH_MARGIN_SECONDS) * 1000;
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
    this.set({ kind: "signed-in", ...this.who! });
  }

  private async refresh(): Promise<void> {
    const refreshToken = this.tokens?.refreshToken;
    if (refreshToken === undefined) return;
    const res = await fetch(`${this.origin}/auth/refresh`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ refreshToken }),
    }).catch(() => undefined);
    // Refresh tokens rotate: a failed refresh leaves nothing to retry with.
    if (!res?.ok) {
      this.forget({ kind: "signed-out", error: "The session ended: log in again." });
      return;
    }
    this.accept((await res.json()) as Tokens);
  }

  private forget(state: SessionState = { kind: "signed-out" }): void {
    clearTimeout(this.refreshTimer);
    this.tokens = undefined;
    this.who = undefined;
    this.set(state);
  }

  private set(state: SessionState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}
