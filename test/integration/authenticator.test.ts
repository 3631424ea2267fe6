/**
 * The authenticator as two gateway replicas would run it: each with its own Redis connections
 * on one shared prefix, a real HTTP OpenID provider, the gateway's sessions and API tokens.
 * Proves the routing (no token chooses a weaker check), the cache, and that a revocation on one
 * replica is obeyed by the other at once.
 */
import { SignJWT } from "jose";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiTokens } from "../../auth/identity/api-tokens.js";
import { TokenAuthenticator } from "../../auth/identity/authenticator.js";
import { AuthenticationError, type AuthFailureReason } from "../../auth/identity/contracts.js";
import { OidcVerifier } from "../../auth/identity/oidc-verifier.js";
import { GatewaySessions, SESSION_AUDIENCE } from "../../auth/identity/session-tokens.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { eventually } from "../support/eventually.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";
import { startTestIssuer, type TestIssuer } from "../support/test-issuer.js";

const GATEWAY = "https://fleetgraph.example.com";
const CLIENT_ID = "fleetgraph-client";
const SIGNING_KEY = { id: "k1", secret: "s".repeat(40) };
const prefix = uniqueRedisPrefix("authenticator");

interface Replica {
  store: RedisStore;
  sessions: GatewaySessions;
  apiTokens: ApiTokens;
  authenticator: TokenAuthenticator;
}

let provider: TestIssuer;
let a: Replica;
let b: Replica;

async function startReplica(options: { cacheSize?: number } = {}): Promise<Replica> {
  const store = new RedisStore({ url: REDIS_URL, keyPrefix: prefix });
  const sessions = new GatewaySessions({
    store,
    issuer: GATEWAY,
    signingKeys: [SIGNING_KEY],
    logger: { warn: () => undefined },
  });
  const apiTokens = new ApiTokens(store);
  const oidc = new OidcVerifier({ issuer: provider.issuer, clientId: CLIENT_ID });
  const authenticator = await TokenAuthenticator.start({ store, sessions, apiTokens, oidc, ...options });
  return { store, sessions, apiTokens, authenticator };
}

async function stopReplica(replica: Replica): Promise<void> {
  await replica.authenticator.close();
  await replica.store.close();
}

async function refusal(authenticating: Promise<unknown>): Promise<AuthFailureReason> {
  const error = await authenticating.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as AuthenticationError).reason;
}

beforeAll(async () => {
  provider = await startTestIssuer(CLIENT_ID);
  a = await startReplica();
  b = await startReplica();
});
afterAll(async () => {
  await stopReplica(a);
  await stopReplica(b);
  await provider.close();
  await deleteRedisKeys(prefix);
});

describe("TokenAuthenticator", () => {
  it("routes each kind of token to its verifier", async () => {
    const oidcToken = await provider.sign({ preferred_username: "alice", groups: ["dev"] });
    expect(await a.authenticator.authenticate(oidcToken)).toMatchObject({
      user: "alice",
      groups: ["dev"],
      source: "oidc",
    });
    const session = await a.sessions.start({ user: "bob", groups: ["ops"] });
    expect(await a.authenticator.authenticate(session.accessToken)).toMatchObject({
      user: "bob",
      source: "session",
      tokenId: session.sessionId,
    });
    const { secret } = await a.apiTokens.create(
      { user: "carol", groups: [], source: "oidc" },
      { name: "ci" },
    );
    expect(await b.authenticator.authenticate(secret)).toMatchObject({ user: "carol", source: "api-token" });
  });

  it("refuses missing, malformed and misused tokens with their reason", async () => {
    expect(await refusal(a.authenticator.authenticate(undefined))).toBe("missing");
    expect(await refusal(a.authenticator.authenticate("  "))).toBe("missing");
    expect(await refusal(a.authenticator.authenticate("garbage"))).toBe("malformed");
    expect(await refusal(a.authenticator.authenticate("x.%%%.y"))).toBe("malformed");
    expect(await refusal(a.authenticator.authenticate("fgt_unknown"))).toBe("unknown-token");
    const session = await a.sessions.start({ user: "dave", groups: [] });
    expect(await refusal(a.authenticator.authenticate(session.refreshToken))).toBe("wrong-token-type");
    const refreshTyped = jwt.sign(
      { sub: "dave", groups: [], sid: session.sessionId, typ: "refresh" },
      SIGNING_KEY.secret,
      {
        algorithm: "HS256",
        keyid: SIGNING_KEY.id,
        issuer: GATEWAY,
        audience: SESSION_AUDIENCE,
        expiresIn: 60,
      },
    );
    expect(await refusal(a.authenticator.authenticate(refreshTyped))).toBe("wrong-token-type");
  });

  it("never lets a token's claims pick a weaker check", async () => {
    // Claims the gateway as issuer but is signed with the provider's RSA key: HS256 only there.
    const rsaAsGateway = await provider.sign(
      { sub: "mallory", groups: [], sid: "x", typ: "access" },
      { issuer: GATEWAY, audience: SESSION_AUDIENCE },
    );
    expect(await refusal(a.authenticator.authenticate(rsaAsGateway))).toBe("algorithm-not-allowed");
    // Claims the provider but is HS256 with the provider's public key: asymmetric only there.
    const key = provider.keys[0]!;
    const hmacAsProvider = await new SignJWT({ sub: "mallory" })
      .setProtectedHeader({ alg: "HS256", kid: key.kid })
      .setIssuer(provider.issuer)
      .setAudience(CLIENT_ID)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(key.publicPem));
    expect(await refusal(a.authenticator.authenticate(hmacAsProvider))).toBe("algorithm-not-allowed");
    // Claims the provider, HS256 with the gateway's own secret.
    const gatewaySecretAsProvider = jwt.sign({ sub: "mallory" }, SIGNING_KEY.secret, {
      algorithm: "HS256",
      issuer: provider.issuer,
      audience: CLIENT_ID,
      expiresIn: 60,
    });
    expect(await refusal(a.authenticator.authenticate(gatewaySecretAsProvider))).toBe(
      "algorithm-not-allowed",
    );
  });

  it("caches verified tokens: the JWKS is fetched once, and a cached session needs no store read", async () => {
    const replica = await startReplica();
    try {
      const before = provider.jwksFetches();
      const token = await provider.sign({ preferred_username: "erin" });
      for (let i = 0; i < 20; i++)
        expect((await replica.authenticator.authenticate(token)).user).toBe("erin");
      expect(provider.jwksFetches() - before).toBeLessThanOrEqual(1);

      const session = await replica.sessions.start({ user: "frank", groups: [] });
      await replica.authenticator.authenticate(session.accessToken);
      // The session record vanishes without a revocation message: only a cache can still answer.
      await replica.store.delete(`session:${session.sessionId}`);
      expect((await replica.authenticator.authenticate(session.accessToken)).user).toBe("frank");
      expect(await refusal(b.authenticator.authenticate(session.accessToken))).toBe("revoked");
    } finally {
      await stopReplica(replica);
    }
  });

  it("keeps the cache bounded, dropping the least recently used", async () => {
    const replica = await startReplica({ cacheSize: 3 });
    try {
      const tokens = await Promise.all(
        ["u1", "u2", "u3", "u4", "u5"].map((user) => provider.sign({ sub: user })),
      );
      for (const token of tokens) await replica.authenticator.authenticate(token);
      expect(replica.authenticator.cachedTokens).toBe(3);
    } finally {
      await stopReplica(replica);
    }
  });

  it("drops a session revoked on another replica at once", async () => {
    const session = await a.sessions.start({ user: "gina", groups: ["dev"] });
    expect((await a.authenticator.authenticate(session.accessToken)).user).toBe("gina");
    expect((await b.authenticator.authenticate(session.accessToken)).user).toBe("gina");
    const other = await a.sessions.start({ user: "gina", groups: ["dev"] });
    await b.authenticator.authenticate(other.accessToken);

    await a.sessions.revoke(session.sessionId);
    expect(await eventually(() => refusal(b.authenticator.authenticate(session.accessToken)), 2_000)).toBe(
      "revoked",
    );
    expect(await refusal(a.authenticator.authenticate(session.accessToken))).toBe("revoked");
    // Only the revoked session is dropped.
    expect((await b.authenticator.authenticate(other.accessToken)).user).toBe("gina");
  });

  it("drops an API token revoked on another replica at once", async () => {
    const { secret, token } = await a.apiTokens.create(
      { user: "hal", groups: [], source: "oidc" },
      { name: "deploy" },
    );
    expect((await b.authenticator.authenticate(secret)).user).toBe("hal");
    await a.apiTokens.revoke(token.id);
    expect(await eventually(() => refusal(b.authenticator.authenticate(secret)), 2_000)).toBe(
      "unknown-token",
    );
  });

  it("answers provider-unavailable, not a verdict, when the store cannot be reached", async () => {
    const store = new MemoryStore();
    const sessions = new GatewaySessions({
      store,
      issuer: GATEWAY,
      signingKeys: [SIGNING_KEY],
      logger: { warn: () => undefined },
    });
    const authenticator = await TokenAuthenticator.start({
      store,
      sessions,
      apiTokens: new ApiTokens(store),
    });
    const session = await sessions.start({ user: "ivy", groups: [] });
    await store.close();
    expect(await refusal(authenticator.authenticate(session.accessToken))).toBe("provider-unavailable");
    expect(await refusal(authenticator.authenticate(await provider.sign({ sub: "x" })))).toBe("wrong-issuer");
  });
});
