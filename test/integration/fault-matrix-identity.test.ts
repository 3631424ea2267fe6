/**
 * Fault matrix, part 4: the identity backends down — Redis (sessions, API tokens, revocations)
 * and the OpenID provider. Revocation checks fail closed: while Redis cannot be reached no cached
 * verdict on a gateway token is trusted, and a revocation published while a replica was cut off
 * is obeyed once it is back. Tokens of the OpenID provider keep verifying with its cached keys.
 * (Login with the provider down is browser-login.test.ts's "PROVIDER_UNAVAILABLE" case.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiTokens } from "../../auth/identity/api-tokens.js";
import { TokenAuthenticator } from "../../auth/identity/authenticator.js";
import { AuthenticationError } from "../../auth/identity/contracts.js";
import { OidcVerifier } from "../../auth/identity/oidc-verifier.js";
import { GatewaySessions } from "../../auth/identity/session-tokens.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { eventually } from "../support/eventually.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { startTestIssuer, type TestIssuer } from "../support/test-issuer.js";

const GATEWAY = "https://fleetgraph.example.com";
const CLIENT_ID = "fleetgraph-client";
const SIGNING_KEY = { id: "k1", secret: "f".repeat(40) };
const prefix = uniqueRedisPrefix("fault-matrix-identity");

interface Replica {
  store: RedisStore;
  sessions: GatewaySessions;
  apiTokens: ApiTokens;
  authenticator: TokenAuthenticator;
}

let provider: TestIssuer;
let proxy: TcpProxy;
/** Talks to Redis directly. */
let steady: Replica;
/** Talks to Redis through the proxy the tests cut. */
let cutOff: Replica;

async function replica(url: string): Promise<Replica> {
  const store = new RedisStore({ url, keyPrefix: prefix });
  const sessions = new GatewaySessions({
    store,
    issuer: GATEWAY,
    signingKeys: [SIGNING_KEY],
    logger: { warn: () => undefined },
  });
  const apiTokens = new ApiTokens(store);
  const oidc = new OidcVerifier({ issuer: provider.issuer, clientId: CLIENT_ID });
  const authenticator = await TokenAuthenticator.start({ store, sessions, apiTokens, oidc });
  return { store, sessions, apiTokens, authenticator };
}

beforeAll(async () => {
  provider = await startTestIssuer(CLIENT_ID);
  proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(REDIS_URL).port) }, "redis");
  steady = await replica(REDIS_URL);
  cutOff = await replica(proxy.url);
});

afterAll(async () => {
  await proxy.restore();
  for (const r of [steady, cutOff]) {
    await r?.authenticator.close();
    await r?.store.close();
  }
  await proxy?.close();
  await provider?.close();
  await deleteRedisKeys(prefix);
});

async function refusal(authenticating: Promise<unknown>): Promise<AuthenticationError> {
  const error = await authenticating.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return error as AuthenticationError;
}

describe("Redis down", () => {
  it("refuses a cached gateway session token at once, with a reason that says why, and accepts it again after", async () => {
    const session = await cutOff.sessions.start({ user: "rita", groups: ["dev"] });
    const { secret } = await cutOff.apiTokens.create(
      { user: "rita", groups: ["dev"], source: "oidc" },
      { name: "ci" },
    );
    expect((await cutOff.authenticator.authenticate(session.accessToken)).user).toBe("rita");
    expect((await cutOff.authenticator.authenticate(secret)).user).toBe("rita");
    expect(cutOff.authenticator.cached(session.accessToken)?.user).toBe("rita");

    await proxy.cut();
    await eventually(() => cutOff.store.subscriptionEpoch === undefined, 5000);
    expect(cutOff.authenticator.cached(session.accessToken)).toBeUndefined();
    const started = performance.now();
    for (const token of [session.accessToken, secret]) {
      const refused = await refusal(cutOff.authenticator.authenticate(token));
      expect(refused.reason).toBe("provider-unavailable");
      expect(refused.code).toBe("UNAUTHENTICATED");
      expect(refused.message).toContain("whether this token was revoked cannot be checked");
    }
    // Failing closed is quick: no request waits for Redis's reconnection attempts.
    expect(performance.now() - started).toBeLessThan(5000);
    // Tokens of the OpenID provider carry no gateway revocation: they still verify.
    expect((await cutOff.authenticator.authenticate(await provider.sign({ sub: "olga" }))).user).toBe("olga");

    await proxy.restore();
    await eventually(
      async () => (await cutOff.authenticator.authenticate(session.accessToken)).user === "rita",
      10_000,
    );
  });

  it("a revocation published while a replica was cut off is obeyed once it is back", async () => {
    const session = await steady.sessions.start({ user: "sam", groups: [] });
    expect((await cutOff.authenticator.authenticate(session.accessToken)).user).toBe("sam");
    await proxy.cut();
    await eventually(() => cutOff.store.subscriptionEpoch === undefined, 5000);
    // The other replica revokes; the cut-off one never hears the message.
    await steady.sessions.revoke(session.sessionId);
    await proxy.restore();
    await eventually(() => cutOff.store.subscriptionEpoch !== undefined, 10_000);
    const refused = await refusal(cutOff.authenticator.authenticate(session.accessToken));
    expect(refused.reason).toBe("revoked");
  });
});

describe("the OpenID provider down", () => {
  it("keeps verifying tokens signed with keys it already fetched; a new key is provider-unavailable", async () => {
    const issuer = await startTestIssuer(CLIENT_ID);
    const verifier = new OidcVerifier({ issuer: issuer.issuer, clientId: CLIENT_ID });
    expect((await verifier.verify(await issuer.sign({ sub: "una" }))).user).toBe("una");
    const later = await issuer.sign({ sub: "vic" });
    const rotated = await issuer.newKey();
    const unknown = await issuer.sign({ sub: "wes" }, { key: rotated });
    await issuer.close();
    expect((await verifier.verify(later)).user).toBe("vic");
    const refused = await refusal(verifier.verify(unknown));
    expect(["provider-unavailable", "unknown-key"]).toContain(refused.reason);
  });
});
