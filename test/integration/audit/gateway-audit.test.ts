/**
 * The gateway records its audited actions through its real routes: browser logins (the fixture
 * logs every user in through /auth/login -> provider -> /auth/callback), a refresh, a logout, API
 * tokens created and revoked by mutation, an API token refused the creation of another (denied),
 * a refused bearer token (authentication failure). Shipped here to a JSON-lines file.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headlessLogin } from "../../../auth/identity/headless-login.js";
import type { AuditEvent } from "../../../src/audit/event.js";
import { DEFAULT_AUDIT } from "../../../src/config/index.js";
import { demoPasswordOf } from "../../../src/demo-identity/index.js";
import { startAuthGateway, type AuthGateway } from "../auth-gateway-fixture.js";

let gw: AuthGateway;
let dir: string;
const file = () => join(dir, "audit.jsonl");

async function events(): Promise<AuditEvent[]> {
  const text = await readFile(file(), "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent);
}

const CREATE = `mutation($name: String!) { apiTokenCreate(input: {name: $name}) {
  token apiToken { id } userErrors { code message } } }`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gateway-audit-"));
  gw = await startAuthGateway({
    seed: "audit",
    users: ["alice", "bob"],
    configFor: () =>
      Promise.resolve({
        audit: {
          ...DEFAULT_AUDIT,
          spoolDir: join(dir, "spool"),
          file: file(),
          replica: "gw-test",
          flushIntervalMs: 20,
        },
      }),
  });
}, 120_000);
afterAll(async () => {
  await gw?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("the gateway's audit trail", () => {
  it("records logins, refreshes, logouts, token commands, denials and refused tokens", async () => {
    const created = await gw.query<{ apiTokenCreate: { token: string; apiToken: { id: string } } }>(
      "alice",
      CREATE,
      { name: "ci" },
    );
    const { token, apiToken } = created.data!.apiTokenCreate;
    // An API token may not create tokens: refused, recorded as denied.
    const byToken = await fetch(`${gw.base}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        "x-request-id": "req-42",
      },
      body: JSON.stringify({ query: CREATE, variables: { name: "nested" }, operationName: undefined }),
    });
    expect(
      ((await byToken.json()) as { data: { apiTokenCreate: { userErrors: { code: string }[] } } }).data
        .apiTokenCreate.userErrors[0]!.code,
    ).toBe("FORBIDDEN");
    await gw.query(
      "alice",
      `mutation { apiTokenRevoke(input: {id: "${apiToken.id}"}) { revokedApiTokenId } }`,
    );
    const refused = await fetch(`${gw.base}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: "Bearer not-a-token",
        "user-agent": "probe/1",
      },
      body: JSON.stringify({ query: "{ clusters { name } }" }),
    });
    expect(refused.status).toBe(401);
    const session = await headlessLogin(gw.base, "bob", demoPasswordOf("bob"));
    const refreshed = await fetch(`${gw.base}/auth/refresh`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    expect(refreshed.status).toBe(200);
    const { accessToken } = (await refreshed.json()) as { accessToken: string };
    const logout = await fetch(`${gw.base}/auth/logout`, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
    });
    expect(logout.status).toBe(200);
    // The used refresh token again: refused (and, being a reuse, it would end the session).
    const badRefresh = await fetch(`${gw.base}/auth/refresh`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    expect(badRefresh.status).toBe(401);

    const all = await waitFor(10);
    expect(all).toHaveLength(10);
    const of = (operation: string) => all.filter((e) => e.operation === operation);
    expect(of("login").map((e) => e.user)).toEqual(["alice", "bob", "bob"]);
    expect(of("login")[0]).toMatchObject({
      outcome: "success",
      sourceIP: "127.0.0.1",
      replica: "gw-test",
      authMethod: "oidc",
      resource: expect.stringMatching(/^session\//),
    });
    expect(of("apiToken.create")).toMatchObject([
      { user: "alice", outcome: "success", resource: `apiToken/${apiToken.id}`, authMethod: "session" },
      {
        user: "alice",
        outcome: "denied",
        authMethod: "api-token",
        requestId: "req-42",
        reason: expect.stringContaining("FORBIDDEN"),
      },
    ]);
    expect(of("apiToken.revoke")).toMatchObject([
      { user: "alice", outcome: "success", resource: `apiToken/${apiToken.id}` },
    ]);
    expect(of("authenticate")).toMatchObject([
      { user: "system:anonymous", outcome: "failure", userAgent: "probe/1", sourceIP: "127.0.0.1" },
    ]);
    expect(of("session.refresh")).toMatchObject([
      { user: "bob", outcome: "success" },
      { user: "system:anonymous", outcome: "failure" },
    ]);
    expect(of("logout")).toMatchObject([{ user: "bob", outcome: "success", authMethod: "session" }]);
    // Ids sort in recording order.
    const ids = all.map((e) => e.id);
    expect([...ids].sort()).toEqual(ids);
  });
});

/** Waits until the file holds `count` events (the shipper flushes every 20 ms). */
async function waitFor(count: number): Promise<AuditEvent[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = await events();
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}
