/**
 * The built-in demo identity provider: a real OpenID Provider (oidc-provider) on 127.0.0.1 whose
 * accounts are the simulated fleet's users, so the demo can show logins and per-user access
 * without an external IdP. Like src/demo-fleet.ts, it is loaded on demand and only for the demo.
 * Its state (sessions, codes, grants) lives in memory: it is one process, restarted with the demo.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { JWK } from "jose";
import Provider from "oidc-provider";
import { demoAccounts, type DemoAccount } from "./accounts.js";
import { DEMO_CLIENTS, type DemoClient } from "./clients.js";
import { interactionHandler } from "./interactions.js";
import { providerConfiguration } from "./configuration.js";

export type { DemoAccount } from "./accounts.js";
export { demoPasswordOf, DEMO_PASSWORD_SUFFIX } from "./demo-password.js";
export * from "./clients.js";

export interface DemoIdentityOptions {
  /** The gateway's /auth/callback, the only redirect URI its client may use. */
  redirectUri: string;
  /** Where the provider may send the browser after logout (default: the redirect URI's origin + "/"). */
  postLogoutRedirectUris?: string[];
  /** Listening port; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Listening address (default 127.0.0.1). `fleetgraph idp` in a container listens on every
   * interface so a published port reaches it.
   */
  host?: string;
  /**
   * The issuer URL as browsers and the gateway reach it (default http://127.0.0.1:<port>): it is
   * in every token and must equal the gateway's `auth.oidc.issuer`.
   */
  issuer?: string;
  /**
   * Private JWKs (with kid and alg) the provider signs with; default one RS256 key made at start.
   * Tests pass their own so they can forge tokens the provider could have signed.
   */
  signingKeys?: readonly JWK[];
}

export interface DemoIdentity {
  /** http://127.0.0.1:<port> or the given issuer: discovery is at issuer + /.well-known/openid-configuration. */
  readonly issuer: string;
  readonly port: number;
  readonly accounts: readonly DemoAccount[];
  readonly clients: readonly DemoClient[];
  stop(): Promise<void>;
}

export async function startDemoIdentity(options: DemoIdentityOptions): Promise<DemoIdentity> {
  const accounts = demoAccounts();
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => handle(req, res));
  const port = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
  const issuer = options.issuer ?? `http://127.0.0.1:${port}`;
  const configuration = await providerConfiguration({
    accounts,
    redirects: {
      redirectUri: options.redirectUri,
      postLogoutRedirectUris: options.postLogoutRedirectUris ?? [`${new URL(options.redirectUri).origin}/`],
    },
    cookieKey: randomBytes(32).toString("base64url"),
    ...(options.signingKeys ? { signingKeys: options.signingKeys } : {}),
  });
  const provider = new Provider(issuer, configuration);
  const interactions = interactionHandler(provider, accounts);
  const protocol = provider.callback();
  handle = (req, res) => {
    interactions(req, res).then(
      (handled) => {
        // Koa answers its own errors (renderError), so its promise needs no handler here.
        if (!handled) void protocol(req, res);
      },
      (error: unknown) => failInteraction(res, error),
    );
  };
  return {
    issuer,
    port,
    accounts,
    clients: DEMO_CLIENTS,
    stop: () => close(server),
  };
}

/** An interaction that threw (expired cookie, oversized form): the browser must start again. */
function failInteraction(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const expired = (error as { name?: string }).name === "SessionNotFound";
  res.writeHead(expired ? 400 : 500, { "content-type": "text/plain; charset=utf-8" });
  res.end(
    expired
      ? "this sign-in attempt has expired or was already used; start again from the application"
      : `sign-in failed: ${(error as Error).message}`,
  );
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
