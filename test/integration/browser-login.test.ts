/**
 * The browser login end to end: the demo identity provider, the login routes on a real HTTP
 * server, and a real HTTP client with a cookie jar walking the redirects and the login form.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import express from "express";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeadlessBrowser, HeadlessLoginError, signInAtProvider } from "../../auth/identity/headless-login.js";
import { LOGIN_COOKIE } from "../../auth/identity/login-state.js";
import { loginRoutes } from "../../auth/identity/login-routes.js";
import { MemorySessions } from "../support/memory-sessions.js";
import { startLoginFixture, type LoginFixture } from "./login-fixture.js";

let f: LoginFixture;

beforeAll(async () => {
  f = await startLoginFixture();
});
afterAll(() => f?.stop());

type Json = Record<string, unknown>;

async function callback(browser: HeadlessBrowser, url: URL) {
  const res = await browser.request(url, { accept: "application/json" });
  return { status: res.status, body: (await res.json()) as Json };
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${f.gateway}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("browser login", () => {
  it("logs alice in with PKCE, state and nonce, and starts a session with her user and groups", async () => {
    const browser = new HeadlessBrowser();
    const back = await signInAtProvider(browser, f.gateway, "alice", "alice-demo");
    const authorize = browser.visited.find((u) => u.href.startsWith(`${f.idp.issuer}/auth?`))!;
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${f.gateway}/auth/callback`);
    expect(back.searchParams.get("state")).toBe(authorize.searchParams.get("state"));

    const { status, body } = await callback(browser, back);
    expect(status).toBe(200);
    expect(body).toMatchObject({ tokenType: "Bearer", user: "alice", groups: ["workspace:retail"] });
    const session = f.sessions.sessions.get(String(body.sessionId))!;
    expect(session.user).toMatchObject({ user: "alice", groups: ["workspace:retail"] });
    expect(session.accessToken).toBe(body.accessToken);
    const idToken = decodeJwt(session.user.idToken!);
    expect(idToken).toMatchObject({
      iss: f.idp.issuer,
      sub: "alice",
      aud: "fleetgraph",
      nonce: authorize.searchParams.get("nonce"),
    });
    expect(idToken.groups).toEqual(["workspace:retail"]);
    // The login cookie is spent: the jar holds none for the gateway any more.
    expect(await browser.jar.getCookieString(`${f.gateway}/auth/callback`)).not.toContain(LOGIN_COOKIE);
  });

  it("refuses a replayed callback, with or without the spent login cookie", async () => {
    const browser = new HeadlessBrowser();
    const back = await signInAtProvider(browser, f.gateway, "carol", "carol-demo");
    const cookie = await browser.jar.getCookieString(back.href);
    expect((await callback(browser, back)).status).toBe(200);
    const sessionsBefore = f.sessions.sessions.size;

    const replay = await callback(browser, back);
    expect(replay).toEqual({
      status: 400,
      body: { error: expect.objectContaining({ code: "BAD_LOGIN_STATE" }) },
    });
    const withCookie = await fetch(back, { headers: { cookie, accept: "application/json" } });
    expect(withCookie.status).toBe(400);
    expect(((await withCookie.json()) as { error: Json }).error.code).toBe("LOGIN_REFUSED");
    expect(f.sessions.sessions.size).toBe(sessionsBefore);
  });

  it("refuses a tampered state or a forged login cookie, and starts no session", async () => {
    const sessionsBefore = f.sessions.sessions.size;
    const browser = new HeadlessBrowser();
    const back = await signInAtProvider(browser, f.gateway, "bob", "bob-demo");
    const tampered = new URL(back);
    tampered.searchParams.set("state", `${back.searchParams.get("state")}x`);
    const cookie = await browser.jar.getCookieString(back.href);
    expect(await callback(browser, tampered)).toMatchObject({
      status: 400,
      body: { error: { code: "BAD_LOGIN_STATE" } },
    });

    // The jar also holds the provider's cookies (same host, other port): forge only the login cookie.
    const forged = cookie.replace(
      new RegExp(`${LOGIN_COOKIE}=([^;]*?)(..)(?=;|$)`),
      (_all, head: string, tail: string) => `${LOGIN_COOKIE}=${head}${tail === "AA" ? "BB" : "AA"}`,
    );
    expect(forged).not.toBe(cookie);
    const res = await fetch(back, { headers: { cookie: forged, accept: "application/json" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: Json }).error.code).toBe("BAD_LOGIN_STATE");
    expect(f.sessions.sessions.size).toBe(sessionsBefore);
    // The genuine cookie still finishes this login: the refusals were the tampering's doing.
    const genuine = await fetch(back, { headers: { cookie, accept: "application/json" } });
    expect(genuine.status).toBe(200);
  });

  it("shows the form again after a wrong password and issues nothing", async () => {
    const sessionsBefore = f.sessions.sessions.size;
    const browser = new HeadlessBrowser();
    const failure = await signInAtProvider(browser, f.gateway, "alice", "bob-demo").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HeadlessLoginError);
    expect((failure as HeadlessLoginError).status).toBe(401);
    expect((failure as Error).message).toContain("Wrong user name or password.");
    expect(browser.visited.some((u) => u.pathname === "/auth/callback")).toBe(false);
    expect(f.sessions.sessions.size).toBe(sessionsBefore);
  });

  it("keeps a same-origin redirect, refuses another origin, and serves browsers a page", async () => {
    for (const redirect of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const res = await fetch(`${f.gateway}/auth/login?redirect=${encodeURIComponent(redirect)}`, {
        redirect: "manual",
      });
      expect(res.status, redirect).toBe(400);
      expect(((await res.json()) as { error: Json }).error.code).toBe("BAD_REDIRECT");
    }
    const browser = new HeadlessBrowser();
    const back = await signInAtProvider(browser, f.gateway, "admin", "admin-demo", "/graphql?x=1");
    const page = await browser.request(back, { accept: "text/html" });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain("Signed in as admin");
    const json = /<script type="application\/json" id="fleetgraph-tokens">(.*?)<\/script>/s.exec(html)![1]!;
    expect(JSON.parse(json)).toMatchObject({
      user: "admin",
      groups: ["system:masters"],
      redirect: "/graphql?x=1",
    });
  });

  it("refreshes with the refresh token once, and refuses it afterwards", async () => {
    const browser = new HeadlessBrowser();
    const { body: first } = await callback(
      browser,
      await signInAtProvider(browser, f.gateway, "bob", "bob-demo"),
    );
    const res = await post("/auth/refresh", { refreshToken: first.refreshToken });
    expect(res.status).toBe(200);
    const next = (await res.json()) as Json;
    expect(next).toMatchObject({ tokenType: "Bearer", sessionId: first.sessionId, expiresIn: 900 });
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.refreshToken).not.toBe(first.refreshToken);

    const reused = await post("/auth/refresh", { refreshToken: first.refreshToken });
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { error: Json }).error).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "unknown-token",
    });
    const empty = await post("/auth/refresh", {});
    expect(empty.status).toBe(400);
  });

  it("logs out: revokes the session and redirects to end_session with the id_token_hint", async () => {
    const browser = new HeadlessBrowser();
    const { body } = await callback(
      browser,
      await signInAtProvider(browser, f.gateway, "alice", "alice-demo"),
    );
    const sessionId = String(body.sessionId);
    const idToken = f.sessions.sessions.get(sessionId)!.user.idToken;
    const res = await post(
      "/auth/logout",
      {},
      { authorization: `Bearer ${String(body.accessToken)}`, accept: "text/html" },
    );
    expect(res.status).toBe(303);
    const endSession = new URL(res.headers.get("location")!);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${f.idp.issuer}/session/end`);
    expect(endSession.searchParams.get("id_token_hint")).toBe(idToken);
    expect(endSession.searchParams.get("post_logout_redirect_uri")).toBe(`${f.gateway}/`);
    expect(f.sessions.sessions.get(sessionId)!.revoked).toBe(true);
    // The provider accepts the hint and asks the browser to confirm (its session cookie is in the jar).
    const confirm = await browser.request(endSession);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('id="op.logoutForm"');

    const again = await post("/auth/logout", {}, { authorization: `Bearer ${String(body.accessToken)}` });
    expect(again.status).toBe(401);
  });

  it("answers 502 when the provider cannot be reached", async () => {
    const app = express();
    const port = await closedPort();
    app.use(
      loginRoutes(
        { ...f.options, issuer: `http://127.0.0.1:${port}`, stateSecret: randomBytes(32) },
        { sessions: new MemorySessions(), authenticator: new MemorySessions() },
      ),
    );
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const { port: gatewayPort } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${gatewayPort}/auth/login`, { redirect: "manual" });
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: Json }).error.code).toBe("PROVIDER_UNAVAILABLE");
    } finally {
      server.close();
    }
  });
});

/** A port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
