/**
 * Forged, stale and misused tokens against a real `fleetgraph serve` process: each is refused
 * with HTTP 401, code UNAUTHENTICATED, the reason, and a `WWW-Authenticate: Bearer` challenge.
 * The provider is the demo identity provider signing with a key made here, so the provider-side
 * forgeries differ from a token it could have issued in exactly the one property attacked (a
 * valid token minted the same way is accepted); a second, real issuer (test/support/test-issuer)
 * signs the wrong-issuer token.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, exportJWK, SignJWT } from "jose";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headlessLogin } from "../../auth/identity/headless-login.js";
import type { SignedIn } from "../../auth/identity/signed-in-page.js";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { GATEWAY_AUDIENCE, startDemoIdentity, type DemoIdentity } from "../../src/demo-identity/index.js";
import { demoRoleBindings } from "../../src/demo-identity/role-bindings.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";
import { newIssuerKey, startTestIssuer, type IssuerKey, type TestIssuer } from "../support/test-issuer.js";
import {
  buildCli,
  demoOidcSection,
  fleetClusters,
  freePort,
  graphqlAt,
  refusal,
  startGatewayProcess,
  type GatewayProcess,
} from "./gateway-process.js";

const SIGNING_KEY = { id: "attacks-1", secret: randomBytes(32).toString("base64url") };
const WHO = `{ viewer { user groups authenticatedBy } }`;
const ALICE = { sub: "alice", preferred_username: "alice", groups: ["workspace:retail"] };

let dir: string;
let fleet: SimFleet;
let idp: DemoIdentity;
let otherIssuer: TestIssuer;
let providerKey: IssuerKey;
let gateway: GatewayProcess;
let login: SignedIn;
const redisPrefix = uniqueRedisPrefix("auth-token-attacks");

beforeAll(async () => {
  await buildCli();
  dir = await mkdtemp(join(tmpdir(), "fleetgraph-auth-attacks-"));
  fleet = await startFleet({ clusters: 1, nodes: 1, pods: 10, seed: "auth-token-attacks" });
  providerKey = await newIssuerKey("RS256");
  otherIssuer = await startTestIssuer(GATEWAY_AUDIENCE);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  idp = await startDemoIdentity({
    redirectUri: `${publicUrl}/auth/callback`,
    signingKeys: [
      { ...(await exportJWK(providerKey.privateKey)), kid: providerKey.kid, alg: "RS256", use: "sig" },
    ],
  });
  gateway = await startGatewayProcess({
    dir,
    port,
    config: {
      clusters: fleetClusters(fleet),
      auth: {
        publicUrl,
        oidc: demoOidcSection(idp),
        sessions: { signingKeys: [SIGNING_KEY] },
        redis: { url: REDIS_URL, keyPrefix: redisPrefix },
        roleBindings: demoRoleBindings(),
      },
    },
  });
  login = await headlessLogin(gateway.base, "alice", "alice-demo");
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await idp?.stop();
  await otherIssuer?.close();
  await fleet?.stop();
  await deleteRedisKeys(redisPrefix);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A token as the provider signs them, for the gateway's audience, unless `options` says otherwise. */
function providerToken(options: Parameters<TestIssuer["sign"]>[1] = {}): Promise<string> {
  return otherIssuer.sign(ALICE, {
    key: providerKey,
    issuer: idp.issuer,
    audience: GATEWAY_AUDIENCE,
    ...options,
  });
}

function encode(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString("base64url");
}

/** The token with one claim changed and the signature kept. */
function withClaim(token: string, claim: string, value: unknown): string {
  const [header, , signature] = token.split(".");
  return `${header}.${encode({ ...decodeJwt(token), [claim]: value })}.${signature}`;
}

type Authorization = { token: string } | { header: string } | undefined;

type Attack = [name: string, auth: () => Authorization | Promise<Authorization>, reason: string];

const ATTACKS: Attack[] = [
  ["no token at all", () => undefined, "missing"],
  ["another scheme (Basic)", () => ({ header: `Basic ${encode({ alice: "alice-demo" })}` }), "malformed"],
  ["an expired provider token", async () => ({ token: await providerToken({ expiresIn: -300 }) }), "expired"],
  [
    "a provider token not valid yet",
    async () => ({ token: await providerToken({ notBefore: 600 }) }),
    "not-yet-valid",
  ],
  [
    "a token naming another issuer (signed with the provider's key)",
    async () => ({ token: await providerToken({ issuer: otherIssuer.issuer }) }),
    "wrong-issuer",
  ],
  // Its signature is checked against our provider's keys before any claim is believed.
  [
    "a token of another real issuer, signed with the key it publishes",
    async () => ({ token: await otherIssuer.sign(ALICE) }),
    "unknown-key",
  ],
  [
    "a provider token for another audience",
    async () => ({ token: await providerToken({ audience: "some-other-api" }) }),
    "wrong-audience",
  ],
  [
    'alg "none"',
    async () => {
      const valid = decodeJwt(await providerToken());
      return { token: `${encode({ alg: "none", typ: "JWT" })}.${encode(valid)}.` };
    },
    "algorithm-not-allowed",
  ],
  [
    "HS256 signed with the provider's public key as the secret",
    async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT(ALICE)
        .setProtectedHeader({ alg: "HS256", kid: providerKey.kid, typ: "JWT" })
        .setIssuer(idp.issuer)
        .setAudience(GATEWAY_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(new TextEncoder().encode(providerKey.publicPem));
      return { token };
    },
    "algorithm-not-allowed",
  ],
  [
    "a key id the provider does not publish",
    async () => ({ token: await providerToken({ key: await newIssuerKey("RS256") }) }),
    "unknown-key",
  ],
  [
    "a provider token whose user claim was changed",
    async () => ({ token: withClaim(await providerToken(), "preferred_username", "admin") }),
    "bad-signature",
  ],
  [
    "a session token whose groups were changed",
    () => ({ token: withClaim(login.accessToken, "groups", ["system:masters"]) }),
    "bad-signature",
  ],
  ["a refresh token as the access token", () => ({ token: login.refreshToken }), "wrong-token-type"],
  [
    "a session token of a live session signed with a wrong key under the right key id",
    () => {
      const genuine = decodeJwt(login.accessToken);
      const forged = jwt.sign(
        { sub: "admin", groups: ["system:masters"], sid: genuine.sid, typ: "access" },
        randomBytes(32).toString("base64url"),
        {
          algorithm: "HS256",
          keyid: SIGNING_KEY.id,
          issuer: genuine.iss!,
          audience: "fleetgraph",
          expiresIn: 300,
        },
      );
      return { token: forged };
    },
    "bad-signature",
  ],
];

describe("tokens a gateway process refuses", () => {
  it("accepts the genuine tokens the forgeries are made from", async () => {
    const provider = await graphqlAt(gateway.base, WHO, { token: await providerToken() });
    expect(provider.status).toBe(200);
    expect(provider.body.data?.viewer).toEqual({
      user: "alice",
      groups: ["workspace:retail"],
      authenticatedBy: "OIDC",
    });
    const session = await graphqlAt(gateway.base, WHO, { token: login.accessToken });
    expect(session.status).toBe(200);
    expect(session.body.data?.viewer).toMatchObject({ user: "alice", authenticatedBy: "SESSION" });
  });

  it.each(ATTACKS)("refuses %s", async (_name, auth, reason) => {
    const answer = await graphqlAt(gateway.base, WHO, await auth());
    expect(refusal(answer)).toMatchObject({ status: 401, code: "UNAUTHENTICATED", reason });
    expect(refusal(answer).challenge).toMatch(/^Bearer realm="fleetgraph"/);
    expect(answer.body.data ?? null).toBeNull();
  });

  it("refuses a session's access token once the session is logged out", async () => {
    const bob = await headlessLogin(gateway.base, "bob", "bob-demo");
    expect((await graphqlAt(gateway.base, WHO, { token: bob.accessToken })).status).toBe(200);
    const logout = await fetch(`${gateway.base}/auth/logout`, {
      method: "POST",
      headers: { authorization: `Bearer ${bob.accessToken}`, accept: "application/json" },
    });
    expect(await logout.json()).toMatchObject({ revoked: true });
    const answer = await graphqlAt(gateway.base, WHO, { token: bob.accessToken });
    expect(refusal(answer)).toMatchObject({ status: 401, code: "UNAUTHENTICATED", reason: "revoked" });
    expect(refusal(answer).challenge).toMatch(/^Bearer realm="fleetgraph", error="invalid_token"/);
  });

  it("answers /healthz, /readyz and /auth/login without a token", async () => {
    expect((await fetch(`${gateway.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.base}/readyz`)).status).toBe(200);
    const start = await fetch(`${gateway.base}/auth/login`, { redirect: "manual" });
    expect(start.status).toBe(303);
    expect(new URL(start.headers.get("location")!).origin).toBe(idp.issuer);
  });
});
