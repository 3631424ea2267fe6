/**
 * The gateway's sessions over real Redis: access tokens verify and carry the session, refresh
 * tokens rotate and are one-time (reuse ends the session), revocation is immediate, signing keys
 * rotate, and forged or misused tokens are refused with their reason.
 */
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, type AuthFailureReason } from "../../auth/identity/contracts.js";
import {
  GatewaySessions,
  SESSION_AUDIENCE,
  type GatewaySessionsOptions,
} from "../../auth/identity/session-tokens.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { captureLogs } from "../support/log-capture.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";

const ISSUER = "https://fleetgraph.example.com";
const KEY_A = { id: "a", secret: "a".repeat(16) + "-secret-for-tests-only-0001" };
const KEY_B = { id: "b", secret: "b".repeat(16) + "-secret-for-tests-only-0002" };
const prefix = uniqueRedisPrefix("sessions");
const store = new RedisStore({ url: REDIS_URL, keyPrefix: prefix });
const quiet = { warn: () => undefined };

function sessions(options: Partial<GatewaySessionsOptions> = {}): GatewaySessions {
  return new GatewaySessions({ store, issuer: ISSUER, signingKeys: [KEY_A], logger: quiet, ...options });
}

async function refusal(verifying: Promise<unknown>): Promise<AuthFailureReason> {
  const error = await verifying.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as AuthenticationError).reason;
}

const forged = (claims: object, options: jwt.SignOptions, secret = KEY_A.secret) =>
  jwt.sign(claims, secret, {
    algorithm: "HS256",
    keyid: "a",
    issuer: ISSUER,
    audience: SESSION_AUDIENCE,
    expiresIn: 60,
    ...options,
  });

beforeAll(async () => {
  await store.get("warm-up");
});
afterAll(async () => {
  await store.close();
  await deleteRedisKeys(prefix);
});

describe("GatewaySessions", () => {
  it("issues an HS256 access token for the user, with the gateway as issuer and a kid", async () => {
    const issuer = sessions({ accessTokenTtlSeconds: 120 });
    const tokens = await issuer.start({ user: "alice", groups: ["dev"], idToken: "id-token-1" });
    expect(tokens.expiresIn).toBe(120);
    const decoded = jwt.decode(tokens.accessToken, { complete: true })!;
    expect(decoded.header).toMatchObject({ alg: "HS256", kid: "a" });
    expect(decoded.payload).toMatchObject({
      iss: ISSUER,
      aud: SESSION_AUDIENCE,
      sub: "alice",
      groups: ["dev"],
      sid: tokens.sessionId,
      typ: "access",
    });
    const subject = await issuer.verifyAccessToken(tokens.accessToken);
    expect(subject).toEqual({
      user: "alice",
      groups: ["dev"],
      source: "session",
      tokenId: tokens.sessionId,
      expiresAt: (decoded.payload as jwt.JwtPayload).exp,
    });
    expect(await issuer.idTokenOf(tokens.sessionId)).toBe("id-token-1");
    expect(tokens.refreshToken).toMatch(/^fgr_[A-Za-z0-9_-]{43}$/);
  });

  it("stores refresh tokens hashed, never as they are", async () => {
    const tokens = await sessions().start({ user: "alice", groups: [] });
    const { Redis } = await import("ioredis");
    const raw = new Redis(REDIS_URL);
    try {
      const keys = await raw.keys(`${prefix}*`);
      const values = await Promise.all(keys.map((key) => raw.get(key)));
      expect(keys.join(" ") + values.join(" ")).not.toContain(tokens.refreshToken.slice(4));
    } finally {
      await raw.quit();
    }
  });

  it("rotates the refresh token on every use; a reused one ends the session for both holders", async () => {
    const issuer = sessions();
    const first = await issuer.start({ user: "bob", groups: ["ops"] });
    const second = await issuer.refresh(first.refreshToken);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await issuer.verifyAccessToken(second.accessToken)).user).toBe("bob");
    const third = await issuer.refresh(second.refreshToken);

    expect(await refusal(issuer.refresh(first.refreshToken))).toBe("revoked");
    expect(await refusal(issuer.refresh(third.refreshToken))).toBe("revoked");
    expect(await refusal(issuer.verifyAccessToken(third.accessToken))).toBe("revoked");
  });

  it("lets exactly one of two concurrent refreshes with the same token win", async () => {
    const issuer = sessions();
    const started = await issuer.start({ user: "carol", groups: [] });
    const outcomes = await Promise.allSettled([
      issuer.refresh(started.refreshToken),
      issuer.refresh(started.refreshToken),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses unknown refresh tokens and access tokens offered as refresh tokens", async () => {
    const issuer = sessions();
    expect(await refusal(issuer.refresh("fgr_" + "x".repeat(43)))).toBe("unknown-token");
    const { accessToken } = await issuer.start({ user: "dave", groups: [] });
    expect(await refusal(issuer.refresh(accessToken))).toBe("wrong-token-type");
  });

  it("revokes a session: its access and refresh tokens are refused; revoking twice is harmless", async () => {
    const issuer = sessions();
    const tokens = await issuer.start({ user: "erin", groups: [] });
    await issuer.revoke(tokens.sessionId);
    await issuer.revoke(tokens.sessionId);
    expect(await refusal(issuer.verifyAccessToken(tokens.accessToken))).toBe("revoked");
    expect(await refusal(issuer.refresh(tokens.refreshToken))).toBe("revoked");
  });

  it("rotates signing keys: the first signs, all verify, a dropped key's tokens are refused", async () => {
    const before = await sessions({ signingKeys: [KEY_A] }).start({ user: "frank", groups: [] });
    const during = sessions({ signingKeys: [KEY_B, KEY_A] });
    expect((await during.verifyAccessToken(before.accessToken)).user).toBe("frank");
    const fresh = await during.start({ user: "frank", groups: [] });
    expect(jwt.decode(fresh.accessToken, { complete: true })!.header.kid).toBe("b");
    const after = sessions({ signingKeys: [KEY_B] });
    expect((await after.verifyAccessToken(fresh.accessToken)).user).toBe("frank");
    expect(await refusal(after.verifyAccessToken(before.accessToken))).toBe("unknown-key");
  });

  it("generates a key with a warning when none is configured; another replica cannot verify its tokens", async () => {
    const logs = captureLogs("warn");
    const alone = sessions({ signingKeys: undefined, logger: logs.logger });
    expect(logs.matching(/do not survive a restart and do not work across replicas/)).toHaveLength(1);
    const tokens = await alone.start({ user: "gina", groups: [] });
    expect((await alone.verifyAccessToken(tokens.accessToken)).user).toBe("gina");
    const other = sessions({ signingKeys: undefined });
    expect(await refusal(other.verifyAccessToken(tokens.accessToken))).toBe("unknown-key");
  });

  it("refuses short secrets", () => {
    expect(() => sessions({ signingKeys: [{ id: "weak", secret: "password" }] })).toThrow(RangeError);
  });

  it("refuses forged and misused access tokens with their reason", async () => {
    const issuer = sessions();
    const { sessionId, accessToken } = await issuer.start({ user: "hal", groups: [] });
    const claims = { sub: "hal", groups: [], sid: sessionId, typ: "access" };
    const now = Math.floor(Date.now() / 1000);
    expect((await issuer.verifyAccessToken(forged(claims, {}))).user).toBe("hal");
    expect(await refusal(issuer.verifyAccessToken(forged(claims, { expiresIn: -120 })))).toBe("expired");
    expect(await refusal(issuer.verifyAccessToken(forged({ ...claims, nbf: now + 120 }, {})))).toBe(
      "not-yet-valid",
    );
    expect(await refusal(issuer.verifyAccessToken(forged(claims, { issuer: "https://elsewhere" })))).toBe(
      "wrong-issuer",
    );
    expect(await refusal(issuer.verifyAccessToken(forged(claims, { audience: "other" })))).toBe(
      "wrong-audience",
    );
    expect(await refusal(issuer.verifyAccessToken(forged({ ...claims, typ: "refresh" }, {})))).toBe(
      "wrong-token-type",
    );
    expect(await refusal(issuer.verifyAccessToken(forged(claims, {}, KEY_B.secret)))).toBe("bad-signature");
    const [header, payload, signature] = accessToken.split(".");
    const raised = Buffer.from(
      JSON.stringify({ ...(jwt.decode(accessToken) as object), groups: ["system:masters"] }),
    ).toString("base64url");
    expect(await refusal(issuer.verifyAccessToken(`${header}.${raised}.${signature}`))).toBe("bad-signature");
    const none = Buffer.from(JSON.stringify({ alg: "none", kid: "a" })).toString("base64url");
    expect(await refusal(issuer.verifyAccessToken(`${none}.${payload}.`))).toBe("algorithm-not-allowed");
    expect(await refusal(issuer.verifyAccessToken("fgr_notajwt"))).toBe("malformed");
  });
});
