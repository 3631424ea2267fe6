/**
 * Who may hold a subscription socket open, through a gateway with authentication on: no token or
 * a bad one is closed 4401 (graphql-ws's CloseCode.Unauthorized, as HTTP answers 401); an API
 * token revoked or expired closes the sockets it opened within seconds; a browser page of an
 * origin not allowed is refused the upgrade (403) while the gateway's own origin and
 * `subscriptions.allowedOrigins` are let in; a subscription over the cost limit is refused with
 * its code.
 */
import { CloseCode } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { subscribe, type Subscriber } from "../support/subscription-client.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";

const ALLOWED_ORIGIN = "https://portal.example.com";
/** Small enough that one nested list of pods per event is over it; plain subscriptions are not. */
const MAX_COST = 200;

const SYNCED_PODS = `subscription { podChanges(sendInitial: true) { type } }`;

let fixture: AuthGateway;
let url: string;

beforeAll(async () => {
  fixture = await startAuthGateway({
    seed: "subscription-auth",
    fleet: { clusters: 1, nodes: 1, pods: 10 },
    users: ["alice"],
    subscriptions: { allowedOrigins: [ALLOWED_ORIGIN] },
    gateway: { limits: { maxCost: MAX_COST } },
  });
  url = `${fixture.base}/graphql`;
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

/** Subscribes and waits until the server has answered (SYNCED) or closed the socket. */
async function opened(subscriber: Subscriber<{ podChanges: { type: string } }>): Promise<void> {
  await subscriber.until(
    (events) => subscriber.closed() !== undefined || events.some((e) => e.data?.podChanges.type === "SYNCED"),
  );
}

interface CreatedToken {
  secret: string;
  id: string;
}

async function createToken(name: string, expiresAt?: Date): Promise<CreatedToken> {
  const created = await fixture.query<{
    apiTokenCreate: { token: string | null; apiToken: { id: string } | null; userErrors: unknown[] };
  }>(
    "alice",
    `mutation ($input: ApiTokenCreateInput!) {
      apiTokenCreate(input: $input) { token apiToken { id } userErrors { field message code } }
    }`,
    { input: { name, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) } },
  );
  expect(created.errors, JSON.stringify(created.errors)).toBeUndefined();
  expect(created.data!.apiTokenCreate.userErrors).toEqual([]);
  return { secret: created.data!.apiTokenCreate.token!, id: created.data!.apiTokenCreate.apiToken!.id };
}

/** How a raw upgrade with `headers` is answered: "open", or the HTTP status it was refused with. */
function upgrade(headers: Record<string, string>): Promise<"open" | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws", { headers });
    socket.once("open", () => {
      socket.close();
      resolve("open");
    });
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("error", (error) => reject(error));
  });
}

describe("authentication of subscription sockets", () => {
  it("closes a socket without a token with 4401", async () => {
    const s = subscribe({ url, query: SYNCED_PODS });
    try {
      const closed = await s.whenClosed();
      expect(closed.code).toBe(CloseCode.Unauthorized);
      expect(s.events).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("closes a socket with a bad token with 4401", async () => {
    for (const token of ["not-a-token", "fgt_unknownunknownunknownunknown", "eyJhbGciOiJub25lIn0.e30."]) {
      const s = subscribe({ url, query: SYNCED_PODS, token });
      try {
        const closed = await s.whenClosed();
        expect(closed.code, token).toBe(CloseCode.Unauthorized);
        expect(closed.reason).toMatch(/^Unauthorized/);
        expect(s.events).toEqual([]);
      } finally {
        await s.close();
      }
    }
  });

  it("serves a valid token", async () => {
    const s = subscribe<{ podChanges: { type: string } }>({
      url,
      query: SYNCED_PODS,
      token: fixture.tokens.get("alice")!,
    });
    try {
      await opened(s);
      expect(s.closed()).toBeUndefined();
      expect(s.events.at(-1)!.data!.podChanges.type).toBe("SYNCED");
    } finally {
      await s.close();
    }
  });

  it("closes the open socket of an API token with 4401 within seconds of its revocation", async () => {
    const token = await createToken("revoked-while-subscribed");
    const s = subscribe<{ podChanges: { type: string } }>({ url, query: SYNCED_PODS, token: token.secret });
    try {
      await opened(s);
      expect(s.closed()).toBeUndefined();
      const revokedAt = Date.now();
      const revoked = await fixture.query<{
        apiTokenRevoke: { revokedApiTokenId: string | null; userErrors: unknown[] };
      }>(
        "alice",
        `mutation ($id: ID!) { apiTokenRevoke(input: { id: $id }) { revokedApiTokenId userErrors { message } } }`,
        { id: token.id },
      );
      expect(revoked.errors, JSON.stringify(revoked.errors)).toBeUndefined();
      expect(revoked.data?.apiTokenRevoke).toEqual({ revokedApiTokenId: token.id, userErrors: [] });
      const closed = await s.whenClosed(5_000);
      expect(closed.code).toBe(CloseCode.Unauthorized);
      const took = Date.now() - revokedAt;
      console.info(
        `revoked API token: socket closed ${closed.code} ${took} ms after apiTokenRevoke was sent`,
      );
      expect(closed.reason).toMatch(/revoked/);
      expect(took).toBeLessThan(5_000);
    } finally {
      await s.close();
    }
    // And it opens no new socket.
    const again = subscribe({ url, query: SYNCED_PODS, token: token.secret });
    try {
      expect((await again.whenClosed()).code).toBe(CloseCode.Unauthorized);
    } finally {
      await again.close();
    }
  });

  it("closes the open socket of an API token with 4401 when the token expires", async () => {
    // Whole seconds: the expiry is kept in seconds since the epoch.
    const expiresAt = new Date((Math.floor(Date.now() / 1000) + 3) * 1000);
    const token = await createToken("expires-while-subscribed", expiresAt);
    const s = subscribe<{ podChanges: { type: string } }>({ url, query: SYNCED_PODS, token: token.secret });
    try {
      await opened(s);
      expect(s.closed()).toBeUndefined();
      const closed = await s.whenClosed(8_000);
      const lateBy = Date.now() - expiresAt.getTime();
      console.info(`expired API token: socket closed ${closed.code} ${lateBy} ms after its expiry`);
      expect(closed.code).toBe(CloseCode.Unauthorized);
      expect(closed.reason).toMatch(/expired/);
      // Not before the expiry, and promptly after it.
      expect(lateBy).toBeGreaterThanOrEqual(-50);
      expect(lateBy).toBeLessThan(2_000);
    } finally {
      await s.close();
    }
    const again = subscribe({ url, query: SYNCED_PODS, token: token.secret });
    try {
      expect((await again.whenClosed()).code).toBe(CloseCode.Unauthorized);
    } finally {
      await again.close();
    }
  });
});

describe("browser origins", () => {
  it("refuses the upgrade from an origin not allowed with 403", async () => {
    expect(await upgrade({ Origin: "https://evil.example.com" })).toBe(403);
    // Same host, another port: another origin.
    expect(await upgrade({ Origin: "http://127.0.0.1:1" })).toBe(403);
    expect(await upgrade({ Origin: "null" })).toBe(403);
  });

  it("accepts the gateway's own origin, the allowed ones, and clients that send none", async () => {
    expect(await upgrade({ Origin: fixture.base })).toBe("open");
    expect(await upgrade({ Origin: ALLOWED_ORIGIN })).toBe("open");
    expect(await upgrade({})).toBe("open");
  });

  it("still asks an allowed origin for a token", async () => {
    const s = subscribe({ url, query: SYNCED_PODS, headers: { Origin: ALLOWED_ORIGIN } });
    try {
      expect((await s.whenClosed()).code).toBe(CloseCode.Unauthorized);
    } finally {
      await s.close();
    }
    const served = subscribe<{ podChanges: { type: string } }>({
      url,
      query: SYNCED_PODS,
      token: fixture.tokens.get("alice")!,
      headers: { Origin: ALLOWED_ORIGIN },
    });
    try {
      await opened(served);
      expect(served.closed()).toBeUndefined();
    } finally {
      await served.close();
    }
  });
});

describe("limits", () => {
  it("refuses a subscription over the cost limit with QUERY_TOO_COMPLEX, and keeps the socket", async () => {
    const s = subscribe<{ podChanges: { type: string } }>({
      url,
      query: `subscription { podChanges { type object { namespace { pods(first: 500) { nodes { name } } } } } }`,
      token: fixture.tokens.get("alice")!,
    });
    try {
      await s.until(() => s.failure() !== undefined || s.closed() !== undefined);
      const errors = s.failure() as { message: string; extensions?: { code?: string } }[];
      expect(Array.isArray(errors), JSON.stringify(errors)).toBe(true);
      expect(errors[0]!.extensions?.code).toBe("QUERY_TOO_COMPLEX");
      expect(errors[0]!.message).toMatch(String(MAX_COST));
      expect(s.events).toEqual([]);
      // A refused operation is an `error` message, not a closed connection.
      expect(s.closed()).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
