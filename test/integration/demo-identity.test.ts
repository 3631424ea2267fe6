/**
 * The demo identity provider on its own: discovery, its signing keys, and the automation
 * client's client-credentials grant, whose token is a JWT the gateway can verify with the
 * provider's JWKS (audience "fleetgraph").
 */
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AUTOMATION_CLIENT_ID,
  AUTOMATION_CLIENT_SECRET,
  GATEWAY_AUDIENCE,
  startDemoIdentity,
  type DemoIdentity,
} from "../../src/demo-identity/index.js";

let idp: DemoIdentity;

beforeAll(async () => {
  idp = await startDemoIdentity({ redirectUri: "http://127.0.0.1:1/auth/callback" });
});
afterAll(() => idp?.stop());

async function discovery(): Promise<Record<string, unknown>> {
  const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

function clientCredentials(secret: string, extra: Record<string, string> = {}) {
  return fetch(`${idp.issuer}/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${AUTOMATION_CLIENT_ID}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials", ...extra }),
  });
}

describe("demo identity provider", () => {
  it("lists the fleet's people as accounts, not the gateway's own identity", () => {
    expect(idp.accounts.map((a) => a.username)).toEqual(["admin", "alice", "bob", "carol", "mallory"]);
    expect(idp.accounts.find((a) => a.username === "alice")).toMatchObject({
      groups: ["workspace:retail"],
      password: "alice-demo",
    });
    expect(idp.accounts.find((a) => a.username === "admin")?.groups).toEqual(["system:masters"]);
  });

  it("publishes discovery with PKCE S256, end_session and RS256 keys", async () => {
    const meta = await discovery();
    expect(meta.issuer).toBe(idp.issuer);
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    expect(meta.end_session_endpoint).toBe(`${idp.issuer}/session/end`);
    expect(meta.grant_types_supported).toEqual(
      expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]),
    );
    const jwks = (await (await fetch(String(meta.jwks_uri))).json()) as {
      keys: { kty: string; alg: string; d?: string }[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256" });
    expect(jwks.keys[0]!.d).toBeUndefined();
  });

  it("issues the automation client a JWT for the gateway, verifiable with the provider's keys", async () => {
    const res = await clientCredentials(AUTOMATION_CLIENT_SECRET);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBeGreaterThan(0);
    const keys = createRemoteJWKSet(new URL(String((await discovery()).jwks_uri)));
    const { payload, protectedHeader } = await jwtVerify(body.access_token, keys, {
      issuer: idp.issuer,
      audience: GATEWAY_AUDIENCE,
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({ client_id: AUTOMATION_CLIENT_ID, sub: AUTOMATION_CLIENT_ID });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it("refuses a wrong client secret and a resource other than the gateway", async () => {
    expect((await clientCredentials("not-the-secret")).status).toBe(401);
    const other = await clientCredentials(AUTOMATION_CLIENT_SECRET, { resource: "urn:elsewhere" });
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: string }).error).toBe("invalid_target");
  });
});
