/**
 * The gateway's own sessions after a browser login: short-lived access tokens (HS256 JWTs,
 * rotatable secrets) and opaque one-time refresh tokens stored hashed in the shared store.
 * A refresh token used twice ends its session (OAuth 2.0 Security BCP, refresh token rotation):
 * one of the two users is a thief, and the gateway cannot tell which.
 */
import { randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";
import type { Logger } from "pino";
import type { SharedStore } from "../../src/store/shared-store.js";
import type { Subject } from "../subject.js";
import {
  AuthenticationError,
  type LoggedInUser,
  type SessionIssuer,
  type SessionTokens,
} from "./contracts.js";
import { publishRevocation } from "./revocations.js";
import { randomId, randomSecret, sha256 } from "./secrets.js";

export const SESSION_AUDIENCE = "fleetgraph";
/** Marks refresh tokens, so one presented as an access token is told apart from garbage. */
export const REFRESH_TOKEN_PREFIX = "fgr_";

export interface SessionSigningKey {
  /** The JWT `kid`: which secret verifies a token. */
  id: string;
  /** At least 32 characters. */
  secret: string;
}

export interface GatewaySessionsOptions {
  store: SharedStore;
  /** The gateway's public URL: the `iss` of its tokens. */
  issuer: string;
  /** The first signs, all verify (rotation: prepend the new key, drop the old one later). */
  signingKeys?: readonly SessionSigningKey[];
  /** Default 300. */
  accessTokenTtlSeconds?: number;
  /** A session's whole life, refreshes included; default 12 hours. */
  sessionTtlSeconds?: number;
  /** Default 30. */
  clockToleranceSeconds?: number;
  logger: Pick<Logger, "warn">;
}

interface SessionRecord {
  user: string;
  groups: readonly string[];
  idToken?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  revoked: boolean;
}

interface AccessClaims {
  sub: string;
  groups: string[];
  sid: string;
  typ: "access";
}

const MIN_SECRET_LENGTH = 32;
const sessionKey = (id: string) => `session:${id}`;
const refreshKey = (token: string) => `refresh:${sha256(token)}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export class GatewaySessions implements SessionIssuer {
  private readonly keys: readonly SessionSigningKey[];
  private readonly accessTtl: number;
  private readonly sessionTtl: number;

  constructor(private readonly options: GatewaySessionsOptions) {
    this.keys = signingKeysOf(options);
    this.accessTtl = options.accessTokenTtlSeconds ?? 300;
    this.sessionTtl = options.sessionTtlSeconds ?? 12 * 3600;
  }

  get issuer(): string {
    return this.options.issuer;
  }

  async start(user: LoggedInUser): Promise<SessionTokens> {
    const sessionId = randomId("ses_");
    const session: SessionRecord = {
      user: user.user,
      groups: [...user.groups],
      ...(user.idToken ? { idToken: user.idToken } : {}),
      expiresAt: nowSeconds() + this.sessionTtl,
      revoked: false,
    };
    await this.options.store.set(sessionKey(sessionId), JSON.stringify(session), remainingMs(session));
    return this.issue(sessionId, session);
  }

  async refresh(refreshToken: string): Promise<SessionTokens> {
    if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX))
      throw new AuthenticationError("wrong-token-type", "this is not a refresh token");
    const key = refreshKey(refreshToken);
    const current = await this.options.store.get(key);
    if (current === undefined)
      throw new AuthenticationError("unknown-token", "unknown or expired refresh token; log in again");
    const [state, sessionId = ""] = splitOnce(current);
    const claimed =
      state === "live" &&
      (await this.options.store.compareAndSet(key, current, `used:${sessionId}`, 1 + this.sessionTtl * 1000));
    if (!claimed) {
      await this.revoke(sessionId);
      throw new AuthenticationError(
        "revoked",
        "this refresh token was already used, so its session is ended; log in again",
      );
    }
    const session = await this.session(sessionId);
    if (!session) throw new AuthenticationError("unknown-token", "the session has ended; log in again");
    if (session.revoked) throw new AuthenticationError("revoked", "the session was ended; log in again");
    return this.issue(sessionId, session);
  }

  async revoke(sessionId: string): Promise<void> {
    const session = await this.session(sessionId);
    if (!session) return;
    if (!session.revoked) {
      const revoked: SessionRecord = { ...session, revoked: true };
      await this.options.store.set(sessionKey(sessionId), JSON.stringify(revoked), remainingMs(session));
    }
    await publishRevocation(this.options.store, { kind: "session", id: sessionId });
  }

  async idTokenOf(sessionId: string): Promise<string | undefined> {
    return (await this.session(sessionId))?.idToken;
  }

  /** The Subject of one of our access tokens; checks the session in the store (callers cache). */
  async verifyAccessToken(token: string): Promise<Subject> {
    const claims = this.verifiedClaims(token);
    if (claims.typ !== "access")
      throw new AuthenticationError("wrong-token-type", "this token is not an access token");
    const session = await this.session(claims.sid);
    if (!session || session.revoked)
      throw new AuthenticationError("revoked", "the session was ended; log in again");
    return {
      user: claims.sub,
      groups: claims.groups,
      source: "session",
      tokenId: claims.sid,
      expiresAt: claims.exp,
    };
  }

  private verifiedClaims(token: string): AccessClaims & { exp: number } {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === "string")
      throw new AuthenticationError("malformed", "the token is not a well-formed JWT");
    // Checked before any key is chosen: only HS256 with our own secrets is ever ours.
    if (decoded.header.alg !== "HS256")
      throw new AuthenticationError("algorithm-not-allowed", "the token's signing algorithm is not accepted");
    const key = this.keys.find((candidate) => candidate.id === decoded.header.kid);
    if (!key)
      throw new AuthenticationError(
        "unknown-key",
        "the token is signed with a key this gateway no longer uses; log in again",
      );
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, key.secret, {
        algorithms: ["HS256"],
        issuer: this.options.issuer,
        audience: SESSION_AUDIENCE,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        complete: false,
      }) as jwt.JwtPayload;
    } catch (error) {
      throw sessionTokenFailure(error);
    }
    const { sub, groups, sid, typ, exp } = payload as Partial<AccessClaims> & jwt.JwtPayload;
    if (
      typeof sub !== "string" ||
      typeof sid !== "string" ||
      typeof exp !== "number" ||
      !Array.isArray(groups)
    )
      throw new AuthenticationError("malformed", "the token lacks the gateway's claims");
    if (typ !== "access")
      throw new AuthenticationError("wrong-token-type", "this token is not an access token");
    return { sub, groups, sid, typ, exp };
  }

  private async issue(sessionId: string, session: SessionRecord): Promise<SessionTokens> {
    const refreshToken = randomSecret(REFRESH_TOKEN_PREFIX);
    await this.options.store.set(refreshKey(refreshToken), `live:${sessionId}`, remainingMs(session));
    const expiresIn = Math.min(this.accessTtl, session.expiresAt - nowSeconds());
    const [signing] = this.keys;
    const claims: AccessClaims = {
      sub: session.user,
      groups: [...session.groups],
      sid: sessionId,
      typ: "access",
    };
    const accessToken = jwt.sign(claims, signing!.secret, {
      algorithm: "HS256",
      keyid: signing!.id,
      issuer: this.options.issuer,
      audience: SESSION_AUDIENCE,
      expiresIn,
    });
    return { accessToken, refreshToken, expiresIn, sessionId, user: session.user, groups: session.groups };
  }

  private async session(sessionId: string): Promise<SessionRecord | undefined> {
    const stored = await this.options.store.get(sessionKey(sessionId));
    return stored === undefined ? undefined : (JSON.parse(stored) as SessionRecord);
  }
}

function signingKeysOf(options: GatewaySessionsOptions): readonly SessionSigningKey[] {
  const configured = options.signingKeys ?? [];
  for (const key of configured)
    if (key.secret.length < MIN_SECRET_LENGTH)
      throw new RangeError(
        `session signing key ${key.id}: the secret needs at least ${MIN_SECRET_LENGTH} characters`,
      );
  if (configured.length > 0) return configured;
  options.logger.warn(
    "no session signing key configured: a random one was generated, so sessions do not survive a restart and do not work across replicas",
  );
  return [{ id: randomId("generated-"), secret: randomBytes(32).toString("base64url") }];
}

/** Milliseconds until the session ends, at least 1 (the store refuses a zero TTL). */
function remainingMs(session: SessionRecord): number {
  return Math.max(1, session.expiresAt * 1000 - Date.now());
}

function splitOnce(value: string): [string, string | undefined] {
  const at = value.indexOf(":");
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}

function sessionTokenFailure(error: unknown): AuthenticationError {
  if (error instanceof jwt.TokenExpiredError)
    return new AuthenticationError("expired", "the access token has expired; refresh it");
  if (error instanceof jwt.NotBeforeError)
    return new AuthenticationError("not-yet-valid", "the token is not valid yet");
  const message = error instanceof Error ? error.message : "";
  if (message.startsWith("jwt issuer invalid"))
    return new AuthenticationError("wrong-issuer", "the token is from another issuer");
  if (message.startsWith("jwt audience invalid"))
    return new AuthenticationError("wrong-audience", "the token is meant for another audience");
  if (message === "invalid algorithm")
    return new AuthenticationError("algorithm-not-allowed", "the token's signing algorithm is not accepted");
  if (message === "invalid signature")
    return new AuthenticationError("bad-signature", "the token's signature does not verify");
  return new AuthenticationError("malformed", "the token is not a well-formed JWT");
}
