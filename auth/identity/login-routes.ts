/**
 * The browser login (authorization code flow with PKCE, state and nonce) and the session routes:
 *   GET  /auth/login[?redirect=/path | ?handoff=opener]  -> the provider's authorization endpoint
 *   GET  /auth/callback                -> a gateway session for the provider's user
 *   POST /auth/refresh {refreshToken}  -> the session's next tokens
 *   POST|GET /auth/logout              -> ends the bearer's session, then the provider's
 * Sessions are the SessionIssuer's; these routes only speak to the provider and the browser.
 */
import express, { Router, type NextFunction, type Request, type Response } from "express";
import * as oidc from "openid-client";
import {
  AuthenticationError,
  type Authenticator,
  type SessionIssuer,
  type SessionTokens,
} from "./contracts.js";
import { mapClaims, type ClaimMapping } from "./claim-mapping.js";
import { LoginError } from "./login-errors.js";
import {
  isSameOriginPath,
  LOGIN_COOKIE,
  openLoginState,
  sealLoginState,
  type LoginState,
} from "./login-state.js";
import { providerConfiguration, providerFailure } from "./provider-client.js";
import { sendOpenerHandoffPage, sendSignedInPage, type SignedIn } from "./signed-in-page.js";
import type { AuditAction } from "../../src/audit/event.js";
import { requestOrigin } from "../../src/audit/origin.js";
import type { AuditRecorder } from "../../src/audit/recorder.js";
import { AuditError } from "../../src/audit/errors.js";

export interface LoginOptions {
  /** The OpenID provider's issuer URL (discovery at issuer + /.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The gateway's external base URL; the redirect URI is publicUrl + /auth/callback. */
  publicUrl: string;
  /** Default: openid, profile, groups. */
  scopes?: readonly string[];
  claims?: ClaimMapping;
  /** Signs the login cookie; every replica needs the same one. */
  stateSecret: string | Buffer;
  /** Where the provider sends the browser after logout (default: publicUrl + "/"). */
  postLogoutRedirectUri?: string;
  /** For an http:// issuer such as the demo provider. */
  allowInsecureRequests?: boolean;
  /** How long a started login may take, in seconds (default 600). */
  loginTimeoutSeconds?: number;
}

export interface LoginDependencies {
  sessions: SessionIssuer;
  /** Says whose session a logout ends (the bearer token's Subject.tokenId). */
  authenticator: Authenticator;
  /** Records logins, refreshes and logouts, done or failed, before they are answered. */
  audit?: AuditRecorder;
}

/** Before a login is finished nobody is known: recorded as kube-apiserver names such a caller. */
const UNKNOWN_CALLER = { user: "system:anonymous", groups: ["system:unauthenticated"] } as const;

function reasonOf(error: unknown): string {
  if (error instanceof LoginError) return `${error.code}: ${error.message}`;
  if (error instanceof AuthenticationError) return `${error.reason}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export const DEFAULT_SCOPES = ["openid", "profile", "groups"] as const;

export function loginRoutes(options: LoginOptions, deps: LoginDependencies): Router {
  const base = options.publicUrl.replace(/\/+$/, "");
  const redirectUri = `${base}/auth/callback`;
  const provider = providerConfiguration(options);
  const cookie = {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: base.startsWith("https:"),
    path: `${new URL(base).pathname.replace(/\/$/, "")}/auth`,
  };
  const router = Router();
  type Who = { user: string; groups: readonly string[]; authMethod?: string };
  const record = async (req: Request, who: Who | undefined, action: AuditAction): Promise<void> => {
    await deps.audit?.record({ ...(who ?? UNKNOWN_CALLER), ...requestOrigin(req), ...action });
  };
  /** Runs a route; a failure is recorded (operation, outcome failure, its reason), then answered. */
  const failureRecorded =
    (operation: string, route: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await route(req, res);
      } catch (error) {
        if (!(error instanceof AuditError))
          await record(req, undefined, { operation, outcome: "failure", reason: reasonOf(error) });
        throw error;
      }
    };

  router.get("/auth/login", async (req, res) => {
    const redirect = typeof req.query.redirect === "string" ? req.query.redirect : undefined;
    if (redirect !== undefined && !isSameOriginPath(redirect)) {
      throw new LoginError("BAD_REDIRECT", "redirect must be a path on this gateway, such as /graphql");
    }
    const handoff = req.query.handoff;
    if (handoff !== undefined && handoff !== "opener") {
      throw new LoginError(
        "BAD_REQUEST",
        'handoff must be "opener" (a popup handing the tokens to its page)',
      );
    }
    if (handoff !== undefined && redirect !== undefined) {
      throw new LoginError(
        "BAD_REQUEST",
        "a login handed to its opener redirects nowhere: give one of the two",
      );
    }
    const config = await provider();
    const timeout = options.loginTimeoutSeconds ?? 600;
    const state: LoginState = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      ...(redirect !== undefined ? { redirect } : {}),
      ...(handoff !== undefined ? { handoff } : {}),
      expiresAt: nowSeconds() + timeout,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: (options.scopes ?? DEFAULT_SCOPES).join(" "),
      code_challenge: await oidc.calculatePKCECodeChallenge(state.codeVerifier),
      code_challenge_method: "S256",
      state: state.state,
      nonce: state.nonce,
    });
    res.cookie(LOGIN_COOKIE, sealLoginState(state, options.stateSecret), {
      ...cookie,
      maxAge: timeout * 1000,
    });
    res.set("cache-control", "no-store").redirect(303, url.href);
  });

  router.get(
    "/auth/callback",
    failureRecorded("login", async (req, res) => {
      const login = loginStateOf(req, options.stateSecret);
      // Used once, whatever happens next: a replayed callback finds no login in progress.
      res.clearCookie(LOGIN_COOKIE, cookie);
      if (!login || req.query.state !== login.state) {
        throw new LoginError(
          "BAD_LOGIN_STATE",
          "no matching login in progress here; start again at /auth/login",
        );
      }
      const config = await provider();
      const currentUrl = new URL(redirectUri);
      currentUrl.search = new URL(req.originalUrl, base).search;
      let tokens;
      try {
        tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw providerFailure(error, options.issuer);
      }
      const { user, groups } = mapClaims(tokens.claims() ?? {}, options.claims);
      const session = await deps.sessions.start({
        user,
        groups,
        ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
      });
      await record(
        req,
        { user, groups, authMethod: "oidc" },
        { operation: "login", outcome: "success", resource: `session/${session.sessionId}` },
      );
      const signedIn: SignedIn = {
        ...tokenBody(session),
        user,
        groups,
        ...(login.redirect !== undefined ? { redirect: login.redirect } : {}),
      };
      if (req.accepts(["html", "json"]) === "json") res.set("cache-control", "no-store").json(signedIn);
      else if (login.handoff === "opener") sendOpenerHandoffPage(res, signedIn, new URL(base).origin);
      else sendSignedInPage(res, signedIn);
    }),
  );

  router.post(
    "/auth/refresh",
    express.json({ limit: "8kb" }),
    failureRecorded("session.refresh", async (req, res) => {
      const refreshToken = (req.body as { refreshToken?: unknown } | undefined)?.refreshToken;
      if (typeof refreshToken !== "string" || refreshToken === "") {
        throw new LoginError("BAD_REQUEST", 'send {"refreshToken": "..."} as JSON');
      }
      const tokens = await deps.sessions.refresh(refreshToken);
      await record(
        req,
        tokens.user === undefined
          ? undefined
          : { user: tokens.user, groups: tokens.groups ?? [], authMethod: "session" },
        { operation: "session.refresh", outcome: "success", resource: `session/${tokens.sessionId}` },
      );
      res.set("cache-control", "no-store").json(tokenBody(tokens));
    }),
  );

  const logout = async (req: Request, res: Response) => {
    const header = req.get("authorization");
    // No bearer (a plain browser link): nothing to revoke here, but the provider's session still ends.
    const subject =
      header === undefined ? undefined : await deps.authenticator.authenticate(bearerOf(header));
    const sessionId = subject?.source === "session" ? subject.tokenId : undefined;
    const idToken = sessionId === undefined ? undefined : await deps.sessions.idTokenOf(sessionId);
    if (sessionId !== undefined) await deps.sessions.revoke(sessionId);
    await record(req, subject && { user: subject.user, groups: subject.groups, authMethod: subject.source }, {
      operation: "logout",
      outcome: "success",
      ...(sessionId !== undefined
        ? { resource: `session/${sessionId}` }
        : { reason: "no gateway session named: only the provider's session ends" }),
    });
    const endSession = oidc.buildEndSessionUrl(await provider(), {
      post_logout_redirect_uri: options.postLogoutRedirectUri ?? `${base}/`,
      ...(idToken !== undefined ? { id_token_hint: idToken } : { client_id: options.clientId }),
    });
    res.set("cache-control", "no-store");
    if (req.accepts(["html", "json"]) === "json") {
      res.json({ revoked: sessionId !== undefined, endSessionUrl: endSession.href });
    } else res.redirect(303, endSession.href);
  };
  router.post("/auth/logout", failureRecorded("logout", logout));
  router.get("/auth/logout", failureRecorded("logout", logout));

  router.use("/auth", sendLoginError);
  return router;
}

function tokenBody(tokens: SessionTokens) {
  return {
    tokenType: "Bearer" as const,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn,
    sessionId: tokens.sessionId,
  };
}

function loginStateOf(req: Request, secret: string | Buffer): LoginState | undefined {
  const sealed = cookieValue(req.get("cookie"), LOGIN_COOKIE);
  return sealed === undefined ? undefined : openLoginState(sealed, secret, nowSeconds());
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** "Bearer x" -> "x"; anything else is passed on for the authenticator to call malformed. */
function bearerOf(header: string): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? header;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Express error middleware: the routes' typed errors as JSON, anything else as a 500. */
function sendLoginError(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  res.set("cache-control", "no-store");
  if (error instanceof AuditError) {
    // The action cannot be recorded: it is not reported as done (docs/security.md, "Audit trail").
    res
      .status(503)
      .json({ error: { code: error.extensions.code, reason: error.code, message: error.message } });
  } else if (error instanceof LoginError) {
    res.status(error.status).json({ error: { code: error.code, message: error.message } });
  } else if (error instanceof AuthenticationError) {
    res
      .status(401)
      .set("www-authenticate", 'Bearer error="invalid_token"')
      .json({ error: { code: error.code, reason: error.reason, message: error.message } });
  } else if ((error as { type?: string }).type === "entity.parse.failed") {
    res.status(400).json({ error: { code: "BAD_REQUEST", message: "the body is not valid JSON" } });
  } else {
    next(error);
  }
}
