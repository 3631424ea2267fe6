/**
 * A stand-in OpenID provider for tests: a real HTTP server serving discovery and a JWKS for keys
 * generated here, counting JWKS fetches, and signing tokens with those keys.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from "jose";

export interface IssuerKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

export interface TestIssuer {
  issuer: string;
  jwksUri: string;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  /** Keys currently published; the first signs by default. */
  keys: IssuerKey[];
  /** A key signs tokens but is not published until `publish`. */
  newKey(alg?: string): Promise<IssuerKey>;
  publish(key: IssuerKey): void;
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export interface SignOptions {
  key?: IssuerKey;
  /** Seconds from now; default 300. */
  expiresIn?: number;
  notBefore?: number;
  issuer?: string;
  audience?: string | string[];
}

export async function newIssuerKey(alg = "RS256"): Promise<IssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `key-${Math.random().toString(36).slice(2, 10)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

export async function startTestIssuer(audience = "fleetgraph-client"): Promise<TestIssuer> {
  let fetches = 0;
  const keys = [await newIssuerKey("RS256")];
  const server: Server = createServer((request, response) => {
    const send = (body: unknown) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.url === "/.well-known/openid-configuration")
      return send({
        issuer: base,
        jwks_uri: `${base}/jwks`,
        id_token_signing_alg_values_supported: ["RS256"],
      });
    if (request.url === "/jwks") {
      fetches++;
      return send({ keys: keys.map((key) => key.publicJwk) });
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer: base,
    jwksUri: `${base}/jwks`,
    jwksFetches: () => fetches,
    keys,
    newKey: newIssuerKey,
    publish: (key) => void keys.push(key),
    async sign(claims, options = {}) {
      const key = options.key ?? keys[0]!;
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" })
        .setIssuer(options.issuer ?? base)
        .setAudience(options.audience ?? audience)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresIn ?? 300));
      if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
      return jwt.sign(key.privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
