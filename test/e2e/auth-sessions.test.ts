/**
 * Sessions across replicas: two `fleetgraph serve` processes over one simulated fleet, sharing
 * one Redis, one set of session signing keys, one public URL (as replicas behind a load balancer
 * do) and one OpenID provider. A login at A is good at B; a refresh rotates for both; a logout at
 * A is seen by B within a second, even for a token B had already verified and cached.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeadlessBrowser, signInAtProvider } from "../../auth/identity/headless-login.js";
import type { SignedIn } from "../../auth/identity/signed-in-page.js";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { startDemoIdentity, type DemoIdentity } from "../../src/demo-identity/index.js";
import { demoRoleBindings } from "../../src/demo-identity/role-bindings.js";
import { eventually } from "../support/eventually.js";
import { subscribe } from "../support/subscription-client.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";
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

let dir: string;
let fleet: SimFleet;
let idp: DemoIdentity;
let a: GatewayProcess;
let b: GatewayProcess;
const redisPrefix = uniqueRedisPrefix("auth-sessions");

beforeAll(async () => {
  await buildCli();
  dir = await mkdtemp(join(tmpdir(), "fleetgraph-auth-sessions-"));
  fleet = await startFleet({ clusters: 2, nodes: 2, pods: 40, seed: "auth-sessions" });
  const portA = await freePort();
  // Browsers reach "the gateway" at A's address: it is the public URL of both replicas.
  const publicUrl = `http://127.0.0.1:${portA}`;
  idp = await startDemoIdentity({ redirectUri: `${publicUrl}/auth/callback` });
  const config = {
    clusters: fleetClusters(fleet),
    auth: {
      publicUrl,
      oidc: demoOidcSection(idp),
      sessions: { signingKeys: [{ id: "replicas-1", secret: randomBytes(32).toString("base64url") }] },
      redis: { url: REDIS_URL, keyPrefix: redisPrefix },
      roleBindings: demoRoleBindings(),
    },
  };
  [a, b] = await Promise.all([
    startGatewayProcess({ config, dir, port: portA }),
    startGatewayProcess({ config, dir }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await idp?.stop();
  await fleet?.stop();
  await deleteRedisKeys(redisPrefix);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const WHO = `{ viewer { user groups authenticatedBy } pods(first: 1) { totalCount } }`;

/** A browser login at A: redirects followed, cookies kept, the provider's form filled in. */
async function logIn(user: string): Promise<SignedIn> {
  const browser = new HeadlessBrowser();
  const callback = await signInAtProvider(browser, a.base, user, `${user}-demo`);
  expect(browser.visited[0]!.href).toBe(`${a.base}/auth/login`);
  expect(browser.visited.some((url) => url.origin === idp.issuer)).toBe(true);
  const response = await browser.request(callback, { accept: "application/json" });
  expect(response.status).toBe(200);
  return (await response.json()) as SignedIn;
}

function refresh(gateway: GatewayProcess, refreshToken: string): Promise<Response> {
  return fetch(`${gateway.base}/auth/refresh`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refreshToken }),
  });
}

/** Polls B until it refuses the token; resolves with how long that took after `since`. */
async function refusedByB(token: string, since: number): Promise<{ ms: number; reason: unknown }> {
  return eventually(
    async () => {
      const answer = await graphqlAt(b.base, WHO, { token });
      return answer.status === 401 ? { ms: Date.now() - since, reason: refusal(answer).reason } : false;
    },
    5_000,
    20,
  );
}

describe("sessions shared by two gateway processes", () => {
  it("a login at A gives an access token that A and B both accept, as the same user", async () => {
    const alice = await logIn("alice");
    expect(alice).toMatchObject({ tokenType: "Bearer", user: "alice", groups: ["workspace:retail"] });

    const atA = await graphqlAt(a.base, WHO, { token: alice.accessToken });
    const atB = await graphqlAt(b.base, WHO, { token: alice.accessToken });
    expect(atA.status).toBe(200);
    expect(atA.body.errors).toBeUndefined();
    expect(atA.body.data?.viewer).toEqual({
      user: "alice",
      groups: ["workspace:retail"],
      authenticatedBy: "SESSION",
    });
    // Same subject, same scope: B answers exactly what A does (and alice sees some pods, not all).
    expect(atB.status).toBe(200);
    expect(atB.body).toEqual(atA.body);
    const admin = await graphqlAt(a.base, WHO, { token: (await logIn("admin")).accessToken });
    const alicePods = (atA.body.data?.pods as { totalCount: number }).totalCount;
    expect(alicePods).toBeGreaterThan(0);
    expect(alicePods).toBeLessThan((admin.body.data?.pods as { totalCount: number }).totalCount);
  });

  it("a refresh rotates the refresh token for both replicas; reusing an old one ends the session everywhere", async () => {
    const bob = await logIn("bob");
    const first = await refresh(a, bob.refreshToken);
    expect(first.status).toBe(200);
    const second = (await first.json()) as SignedIn;
    expect(second.sessionId).toBe(bob.sessionId);
    expect(second.refreshToken).not.toBe(bob.refreshToken);
    expect((await graphqlAt(b.base, WHO, { token: second.accessToken })).body.data?.viewer).toMatchObject({
      user: "bob",
    });

    // B rotates what A issued: the refresh tokens live in the shared store.
    const third = await refresh(b, second.refreshToken);
    expect(third.status).toBe(200);
    const latest = (await third.json()) as SignedIn;
    expect((await graphqlAt(b.base, WHO, { token: latest.accessToken })).status).toBe(200);

    // The first refresh token again: a thief or a replay; the session ends for everyone.
    const reused = await refresh(a, bob.refreshToken);
    const since = Date.now();
    expect(reused.status).toBe(401);
    expect(await reused.json()).toMatchObject({ error: { code: "UNAUTHENTICATED", reason: "revoked" } });
    const refused = await refusedByB(latest.accessToken, since);
    expect(refused.reason).toBe("revoked");
    expect(refused.ms).toBeLessThan(1_000);
    expect((await refresh(b, latest.refreshToken)).status).toBe(401);
  });

  it("a logout at A revokes the session: B refuses its access token within a second", async () => {
    const carol = await logIn("carol");
    // B verifies the token and caches it: only the published revocation can make it refuse.
    for (const gateway of [a, b])
      expect((await graphqlAt(gateway.base, WHO, { token: carol.accessToken })).status).toBe(200);

    const logout = await fetch(`${a.base}/auth/logout`, {
      redirect: "manual",
      headers: { authorization: `Bearer ${carol.accessToken}`, accept: "text/html" },
    });
    const since = Date.now();
    expect(logout.status).toBe(303);
    const endSession = new URL(logout.headers.get("location")!);
    expect(endSession.origin).toBe(idp.issuer);
    expect(endSession.searchParams.get("id_token_hint")).toBeTruthy();

    const refused = await refusedByB(carol.accessToken, since);
    expect(refused.reason).toBe("revoked");
    expect(refused.ms).toBeLessThan(1_000);
    const atB = await graphqlAt(b.base, WHO, { token: carol.accessToken });
    expect(refusal(atB)).toMatchObject({ status: 401, code: "UNAUTHENTICATED", reason: "revoked" });
    expect(refusal(atB).challenge).toMatch(/^Bearer /);
    expect((await graphqlAt(a.base, WHO, { token: carol.accessToken })).status).toBe(401);
    expect((await refresh(b, carol.refreshToken)).status).toBe(401);
  });

  it("a logout at A closes the session's subscription socket at B with 4401", async () => {
    const bob = await logIn("bob");
    const subscriber = subscribe<{ clusterOutcomeChanged: { status: string } }>({
      url: `${b.base}/graphql`,
      token: bob.accessToken,
      query: `subscription { clusterOutcomeChanged { status } }`,
    });
    try {
      // The socket is open and acknowledged (B verified the token) before the logout.
      await eventually(() => subscriber.acknowledged());
      expect(subscriber.closed()).toBeUndefined();
      const logout = await fetch(`${a.base}/auth/logout`, {
        redirect: "manual",
        headers: { authorization: `Bearer ${bob.accessToken}`, accept: "text/html" },
      });
      expect(logout.status).toBe(303);
      const since = Date.now();
      const closed = await subscriber.whenClosed(5_000);
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(/revoked/);
      expect(Date.now() - since).toBeLessThan(2_000);
    } finally {
      await subscriber.close();
    }
  });
});
