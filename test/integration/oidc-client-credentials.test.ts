/**
 * A real OpenID provider (oidc-provider) issues a client-credentials access token over HTTP; the
 * verifier, discovering the provider's keys itself, accepts it as the client.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OidcVerifier } from "../../auth/identity/oidc-verifier.js";

const RESOURCE = "urn:fleetgraph";
const GATEWAY_AUDIENCE = "fleetgraph-api";
const CLIENT = { client_id: "ci-pipeline", client_secret: "ci-pipeline-secret-for-tests" };
let server: Server;
let issuer: string;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(issuer, {
    clients: [{ ...CLIENT, grant_types: ["client_credentials"], redirect_uris: [], response_types: [] }],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "provider-key" }] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        getResourceServerInfo: () => ({
          scope: "read",
          audience: GATEWAY_AUDIENCE,
          accessTokenFormat: "jwt",
        }),
      },
    },
  });
  const handle = provider.callback();
  server.on("request", (request, response) => void handle(request, response));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function clientCredentialsToken(): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials", resource: RESOURCE, scope: "read" }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe("OidcVerifier with oidc-provider", () => {
  it("accepts a client-credentials access token as its client", async () => {
    const token = await clientCredentialsToken();
    const verifier = new OidcVerifier({ issuer, clientId: "fleetgraph-web", audiences: [GATEWAY_AUDIENCE] });
    const subject = await verifier.verify(token);
    expect(subject).toMatchObject({ user: CLIENT.client_id, groups: [], source: "oidc" });
    expect(subject.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it("refuses the same token when the gateway is not its audience", async () => {
    const token = await clientCredentialsToken();
    const verifier = new OidcVerifier({ issuer, clientId: "fleetgraph-web" });
    await expect(verifier.verify(token)).rejects.toMatchObject({ reason: "wrong-audience" });
  });
});
