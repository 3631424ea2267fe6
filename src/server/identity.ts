/**
 * The identity layer of the gateway: the shared store (Redis or memory), the gateway's sessions
 * and API tokens, the OpenID provider's verifier, the authenticator over all of them, and the
 * browser login routes. With the built-in demo fleet and no `auth` section it also starts the
 * demo identity provider, whose people are the simulated fleet's users.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Router } from "express";
import type { Logger } from "pino";
import { ApiTokens } from "../../auth/identity/api-tokens.js";
import { TokenAuthenticator } from "../../auth/identity/authenticator.js";
import { loginRoutes } from "../../auth/identity/login-routes.js";
import { OidcVerifier } from "../../auth/identity/oidc-verifier.js";
import { GatewaySessions } from "../../auth/identity/session-tokens.js";
import type { AuditRecorder } from "../audit/recorder.js";
import type { AuthSettings, OidcSettings } from "../config/index.js";
import type { DemoIdentity } from "../demo-identity/index.js";
import { MemoryStore } from "../store/memory-store.js";
import { RedisStore } from "../store/redis-store.js";
import type { SharedStore } from "../store/shared-store.js";

export interface IdentityLayer {
  readonly authenticator: TokenAuthenticator;
  readonly sessions: GatewaySessions;
  readonly apiTokens: ApiTokens;
  readonly store: SharedStore;
  /** /auth/login, /auth/callback, /auth/refresh, /auth/logout; absent without an OpenID provider. */
  readonly login?: Router;
  /** The settings in force (the demo's when it runs). */
  readonly settings: AuthSettings;
  readonly demo?: DemoIdentity;
  stop(): Promise<void>;
}

export interface IdentityOptions {
  /** The config's auth section; undefined for none. */
  settings: AuthSettings | undefined;
  /** Serving the built-in demo fleet: without an auth section the demo provider starts. */
  demoFleet: boolean;
  /** The gateway's base URL as browsers reach it (when the config does not say). */
  publicUrl: string;
  logger: Logger;
  /** Where logins, refreshes and logouts are recorded. */
  audit?: AuditRecorder;
}

/** Thrown when authentication is on but nothing could authenticate anyone. */
export class IdentityConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IdentityConfigError";
  }
}

export async function startIdentity(options: IdentityOptions): Promise<IdentityLayer> {
  const { logger } = options;
  let demo: DemoIdentity | undefined;
  let settings = options.settings;
  const publicUrl = settings?.publicUrl ?? options.publicUrl;
  if (!settings && options.demoFleet) {
    const { startDemoIdentity } = await import("../demo-identity/index.js");
    demo = await startDemoIdentity({
      redirectUri: `${publicUrl}/auth/callback`,
      postLogoutRedirectUris: [`${publicUrl}/`],
    });
    settings = await demoSettings(demo);
    logger.info(
      { issuer: demo.issuer, users: demo.accounts.map((a) => a.username) },
      "demo identity provider started: log in with `fleetgraph login --user <name>` (password <name>-demo)",
    );
  }
  if (!settings) {
    throw new IdentityConfigError(
      "authentication is on but no identity provider is configured: add an auth.oidc section " +
        "(docs/security.md) or run with --no-auth",
    );
  }
  if (!settings.oidc)
    logger.warn(
      "auth has no oidc section: only the gateway's own session and API tokens are accepted, and nobody can log in",
    );
  const store = settings.redis
    ? new RedisStore({
        url: settings.redis.url,
        keyPrefix: settings.redis.keyPrefix,
        onConnectionError: (error) => logger.warn({ err: error }, "redis connection error"),
      })
    : new MemoryStore();
  if (!settings.redis)
    logger.info(
      "sessions, revocations and API tokens are kept in memory: one replica only (set auth.redis to share them)",
    );
  const sessions = new GatewaySessions({
    store,
    issuer: publicUrl,
    signingKeys: settings.sessions.signingKeys,
    accessTokenTtlSeconds: settings.sessions.accessTokenTtlSeconds,
    sessionTtlSeconds: settings.sessions.refreshTokenTtlSeconds,
    logger,
  });
  const apiTokens = new ApiTokens(store);
  const oidc = settings.oidc ? verifierOf(settings.oidc) : undefined;
  const authenticator = await TokenAuthenticator.start({
    store,
    sessions,
    apiTokens,
    ...(oidc ? { oidc } : {}),
  });
  const login =
    settings.oidc?.clientSecret !== undefined
      ? loginRoutes(
          {
            issuer: settings.oidc.issuer,
            clientId: settings.oidc.clientId,
            clientSecret: settings.oidc.clientSecret,
            publicUrl,
            scopes: settings.oidc.scopes,
            claims: {
              username: settings.oidc.usernameClaim,
              usernamePrefix: settings.oidc.usernamePrefix,
              groups: settings.oidc.groupsClaim,
              groupsPrefix: settings.oidc.groupsPrefix,
            },
            stateSecret: stateSecretOf(settings),
            postLogoutRedirectUri: `${publicUrl}/`,
            allowInsecureRequests: settings.oidc.allowInsecureHttp,
          },
          { sessions, authenticator, ...(options.audit ? { audit: options.audit } : {}) },
        )
      : undefined;
  return {
    authenticator,
    sessions,
    apiTokens,
    store,
    ...(login ? { login } : {}),
    settings,
    ...(demo ? { demo } : {}),
    async stop() {
      await authenticator.close();
      await store.close();
      await demo?.stop();
    },
  };
}

function verifierOf(oidc: OidcSettings): OidcVerifier {
  return new OidcVerifier({
    issuer: oidc.issuer,
    clientId: oidc.clientId,
    audiences: oidc.audiences,
    algorithms: oidc.algorithms,
    clockToleranceSeconds: oidc.clockSkewSeconds,
    userClaim: oidc.usernameClaim,
    groupsClaim: oidc.groupsClaim,
    userPrefix: oidc.usernamePrefix,
    groupsPrefix: oidc.groupsPrefix,
  });
}

/**
 * The login state cookie is sealed with a key every replica shares: derived from the first
 * signing key when keys are configured, random per process otherwise (one replica).
 */
function stateSecretOf(settings: AuthSettings): Buffer {
  const key = settings.sessions.signingKeys[0];
  return key ? createHmac("sha256", key.secret).update("fleetgraph login state").digest() : randomBytes(32);
}

/** The auth settings that log in against the demo provider, with the demo's role bindings. */
export async function demoSettings(demo: DemoIdentity): Promise<AuthSettings> {
  const { GATEWAY_CLIENT_ID, GATEWAY_CLIENT_SECRET, GATEWAY_AUDIENCE } =
    await import("../demo-identity/index.js");
  const { demoRoleBindings } = await import("../demo-identity/role-bindings.js");
  return {
    oidc: {
      issuer: demo.issuer,
      clientId: GATEWAY_CLIENT_ID,
      clientSecret: GATEWAY_CLIENT_SECRET,
      audiences: [...new Set([GATEWAY_CLIENT_ID, GATEWAY_AUDIENCE])],
      usernameClaim: "preferred_username",
      groupsClaim: "groups",
      usernamePrefix: "",
      groupsPrefix: "",
      algorithms: ["RS256"],
      clockSkewSeconds: 30,
      scopes: ["openid", "profile", "groups"],
      allowInsecureHttp: true,
    },
    sessions: { accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 8 * 3600, signingKeys: [] },
    roleBindings: demoRoleBindings(),
  };
}
