/**
 * GraphiQL's fetcher for this gateway: queries and mutations POSTed to /graphql, subscriptions
 * over graphql-ws on the same path, both with the session's current bearer token (read at each
 * request and each socket connect, so a refreshed token is used from then on).
 */
import { createGraphiQLFetcher, type Fetcher } from "@graphiql/toolkit";
import { createClient, type Client } from "graphql-ws";
import type { GatewaySession } from "./session.ts";

/** Close code the gateway uses when a socket's token expires or is revoked (docs/subscriptions.md). */
const CLOSE_UNAUTHORIZED = 4401;

export interface GatewayFetcher {
  fetcher: Fetcher;
  /** Closes the socket (on logout: the revoked token's subscriptions must end). */
  dispose(): void;
}

export function gatewayFetcher(session: GatewaySession, origin: string = location.origin): GatewayFetcher {
  const url = `${origin}/graphql`;
  const wsClient: Client = createClient({
    url: url.replace(/^http/, "ws"),
    lazy: true,
    // The gateway authenticates a socket in connection_init (src/http/subscription-server.ts).
    connectionParams: () => {
      const token = session.accessToken();
      return token === undefined ? {} : { authorization: `Bearer ${token}` };
    },
    // The gateway closes a socket at its token's expiry: reconnect with the refreshed token, once
    // there is one; graphql-ws then subscribes the running operations again.
    shouldRetry: (event) =>
      (event as { code?: number }).code !== CLOSE_UNAUTHORIZED || session.accessToken() !== undefined,
    retryAttempts: 5,
  });
  const authorizedFetch: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    const token = session.accessToken();
    if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const fetcher = createGraphiQLFetcher({
    url,
    wsClient,
    fetch: authorizedFetch,
    // The multipart path would bypass `fetch` above (and the token); the gateway has no @defer.
    enableIncrementalDelivery: false,
  });
  return { fetcher, dispose: () => void wsClient.dispose() };
}
