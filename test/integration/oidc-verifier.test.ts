/**
 * The OIDC verifier against a real HTTP provider (discovery + JWKS for keys generated here):
 * good tokens become Subjects, every attack is refused with its reason, and keys are fetched
 * once, not per token.
 */
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, type AuthFailureReason } from "../../auth/identity/contracts.js";
import { OidcVerifier, type OidcVerifierOptions } from "../../auth/identity/oidc-verifier.js";
import { startTestIssuer, type TestIssuer } from "../support/test-issuer.js";

const CLIENT_ID = "fleetgraph-client";
let provider: TestIssuer;

beforeAll(async () => {
  provider = await startTestIssuer(CLIENT_ID);
});
afterAll(async () => {
  await provider.close();
});

function verifier(options: Partial<OidcVerifierOptions> = {}): OidcVerifier {
  return new OidcVerifier({ issuer: provider.issuer, clientId: CLIENT_ID, ...options });
}

async function refusal(verifying: Promise<unknown>): Promise<AuthFailureReason> {
  const error = await verifying.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as AuthenticationError).reason;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("OidcVerifier", () => {
  it("maps a login token's claims to a Subject, discovering the JWKS from the issuer", async () => {
    const token = await provider.sign({
      sub: "u-123",
      preferred_username: "alice",
      groups: ["dev", "ops"],
      jti: "j1",
    });
    const subject = await verifier().verify(token);
    expect(subject).toMatchObject({ user: "alice", groups: ["dev", "ops"], source: "oidc", tokenId: "j1" });
    expect(subject.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it("applies claim names and prefixes as kube-apiserver's --oidc-* flags do", async () => {
    const token = await provider.sign({ sub: "u-9", email: "bob@example.com", roles: "admins" });
    const subject = await verifier({
      userClaim: "email",
      groupsClaim: "roles",
      userPrefix: "oidc:",
      groupsPrefix: "oidc:",
    }).verify(token);
    expect(subject).toMatchObject({ user: "oidc:bob@example.com", groups: ["oidc:admins"] });
  });

  it("falls back to sub, then client_id, when the user claim is absent (client-credentials tokens)", async () => {
    expect((await verifier().verify(await provider.sign({ sub: "svc-backup" }))).user).toBe("svc-backup");
    expect((await verifier().verify(await provider.sign({ client_id: "ci-bot" }))).user).toBe("ci-bot");
    expect(await refusal(verifier().verify(await provider.sign({ groups: ["x"] })))).toBe("malformed");
  });

  it("accepts the configured audiences only (default: the client id)", async () => {
    const forOther = await provider.sign({ sub: "a" }, { audience: "someone-else" });
    expect(await refusal(verifier().verify(forOther))).toBe("wrong-audience");
    expect((await verifier({ audiences: ["someone-else", CLIENT_ID] }).verify(forOther)).user).toBe("a");
  });

  it("refuses expired and not-yet-valid tokens beyond the clock skew, and accepts within it", async () => {
    expect(await refusal(verifier().verify(await provider.sign({ sub: "a" }, { expiresIn: -60 })))).toBe(
      "expired",
    );
    expect((await verifier().verify(await provider.sign({ sub: "a" }, { expiresIn: -10 }))).user).toBe("a");
    expect(
      await refusal(
        verifier({ clockToleranceSeconds: 0 }).verify(await provider.sign({ sub: "a" }, { expiresIn: -10 })),
      ),
    ).toBe("expired");
    expect(await refusal(verifier().verify(await provider.sign({ sub: "a" }, { notBefore: 120 })))).toBe(
      "not-yet-valid",
    );
    expect((await verifier().verify(await provider.sign({ sub: "a" }, { notBefore: 10 }))).user).toBe("a");
  });

  it("refuses a token signed by the provider's key but naming another issuer", async () => {
    const token = await provider.sign({ sub: "a" }, { issuer: "https://evil.example.com" });
    expect(await refusal(verifier().verify(token))).toBe("wrong-issuer");
  });

  it('refuses alg "none"', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: provider.issuer, aud: CLIENT_ID, sub: "root", exp: now + 300 };
    const token = `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`;
    expect(await refusal(verifier().verify(token))).toBe("algorithm-not-allowed");
  });

  it("refuses HS256 tokens whose HMAC secret is the provider's public key (PEM and JWK forms)", async () => {
    const key = provider.keys[0]!;
    for (const secret of [key.publicPem, JSON.stringify(key.publicJwk)]) {
      const token = await new SignJWT({ sub: "root", groups: ["system:masters"] })
        .setProtectedHeader({ alg: "HS256", kid: key.kid })
        .setIssuer(provider.issuer)
        .setAudience(CLIENT_ID)
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(secret));
      expect(await refusal(verifier().verify(token))).toBe("algorithm-not-allowed");
      // Even when a careless configuration lists HS256.
      expect(await refusal(verifier({ algorithms: ["HS256", "RS256"] }).verify(token))).toBe(
        "algorithm-not-allowed",
      );
    }
  });

  it("refuses a tampered payload", async () => {
    const [header, payload, signature] = (await provider.sign({ sub: "alice", groups: ["dev"] })).split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const tampered = b64({ ...claims, groups: ["system:masters"] });
    expect(await refusal(verifier().verify(`${header}.${tampered}.${signature}`))).toBe("bad-signature");
  });

  it("refuses tokens that are not JWTs", async () => {
    expect(await refusal(verifier().verify("not-a-jwt"))).toBe("malformed");
    expect(await refusal(verifier().verify("a.b.c"))).toBe("malformed");
  });

  it("fetches the JWKS once for many tokens", async () => {
    const shared = verifier();
    const before = provider.jwksFetches();
    const tokens = await Promise.all(
      Array.from({ length: 25 }, (_, i) => provider.sign({ sub: `user-${i}` })),
    );
    const subjects = await Promise.all(tokens.map((token) => shared.verify(token)));
    expect(subjects.map((s) => s.user)).toEqual(tokens.map((_, i) => `user-${i}`));
    expect(provider.jwksFetches() - before).toBe(1);
  });

  it("refuses an unknown key id, then accepts it once the provider publishes it (refetch after cooldown)", async () => {
    const shared = verifier({ jwksCooldownMs: 200 });
    await shared.verify(await provider.sign({ sub: "warm-up" }));
    const rotated = await provider.newKey("ES256");
    const token = await provider.sign({ sub: "after-rotation" }, { key: rotated });
    expect(await refusal(shared.verify(token))).toBe("unknown-key");
    provider.publish(rotated);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const fetchesBefore = provider.jwksFetches();
    expect((await shared.verify(token)).user).toBe("after-rotation");
    expect(provider.jwksFetches() - fetchesBefore).toBe(1);
  });

  it("answers provider-unavailable when discovery fails or names another issuer", async () => {
    const offline = new OidcVerifier({
      issuer: "http://127.0.0.1:9",
      clientId: CLIENT_ID,
      requestTimeoutMs: 1000,
    });
    expect(await refusal(offline.verify(await provider.sign({ sub: "a" })))).toBe("provider-unavailable");
    const wrongDocument = verifier({ issuer: `${provider.issuer}/` });
    expect(await refusal(wrongDocument.verify(await provider.sign({ sub: "a" })))).toBe(
      "provider-unavailable",
    );
  });

  it("refuses a configuration with no asymmetric algorithm", () => {
    expect(() => verifier({ algorithms: ["HS256", "none"] })).toThrow(RangeError);
  });
});
