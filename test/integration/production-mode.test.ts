/**
 * Production mode through a gateway with authentication on, over a simulated fleet: introspection
 * is refused with INTROSPECTION_DISABLED over HTTP and graphql-ws while `__typename` and ordinary
 * queries run, typed errors keep their messages, and the gateway's logs (captured at trace level
 * over logins, bearer-token requests, a refused token and a socket) carry no token or password.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPasswordOf } from "../../src/demo-identity/index.js";
import { captureLogs, type CapturedLogs } from "../support/log-capture.js";
import { subscribe } from "../support/subscription-client.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import type { GraphQLResponse } from "./server-fixture.js";

const USERS = ["alice", "admin"] as const;
let fixture: AuthGateway;
let logs: CapturedLogs;

beforeAll(async () => {
  logs = captureLogs("trace");
  fixture = await startAuthGateway({
    seed: "production-mode",
    fleet: { clusters: 1, nodes: 1, pods: 6 },
    users: USERS,
    configFor: () => Promise.resolve({ production: true }),
    gateway: { logger: logs.logger },
  });
}, 120_000);

afterAll(async () => {
  await fixture?.stop();
});

function codes(response: GraphQLResponse): unknown[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}

describe("introspection off", () => {
  it("refuses __schema and __type over HTTP with INTROSPECTION_DISABLED (400), saying how to allow it", async () => {
    for (const query of [
      "{ __schema { queryType { name } } }",
      'query IntrospectionQuery { __type(name: "Pod") { name } }',
      "query { ...Types } fragment Types on Query { __schema { types { name } } }",
    ]) {
      const response = await fixture.query("alice", query);
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(["INTROSPECTION_DISABLED"]);
      expect(response.errors![0]!.message).toMatch(/introspection is disabled.*production\.introspection/);
      expect(response.data).toBeUndefined();
    }
  });

  it("still answers __typename and ordinary queries", async () => {
    const response = await fixture.query("alice", "{ __typename viewer { __typename user } }");
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ __typename: "Query", viewer: { __typename: "Viewer", user: "alice" } });
  });

  it("refuses introspection over graphql-ws too", async () => {
    const subscriber = subscribe({
      url: `${fixture.base}/graphql`,
      token: fixture.tokens.get("alice")!,
      query: "{ __schema { queryType { name } } }",
    });
    try {
      await subscriber.whenCompleted();
      expect(subscriber.events.flatMap((e) => e.data ?? [])).toEqual([]);
      expect(JSON.stringify(subscriber.failure())).toContain("INTROSPECTION_DISABLED");
    } finally {
      await subscriber.close();
    }
  });
});

describe("errors in production mode", () => {
  it("keeps a typed error's message and code", async () => {
    const response = await fixture.query(
      "alice",
      '{ pods(first: 1, filter: { labelSelector: "app in (" }) { totalCount } }',
    );
    expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
    expect(response.errors![0]!.message).not.toMatch(/Internal server error/);
    expect(response.errors![0]!.message.length).toBeGreaterThan(20);
  });
});

describe("schema details", () => {
  it("suggests no field names in a validation error (introspection would not show them either)", async () => {
    const response = await fixture.query("alice", "{ viewer { usr } }");
    expect(codes(response)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(response.errors![0]!.message).toContain('Cannot query field "usr"');
    expect(response.errors![0]!.message).not.toMatch(/Did you mean/);
  });

  it("suggests none over graphql-ws either", async () => {
    const subscriber = subscribe({
      url: `${fixture.base}/graphql`,
      token: fixture.tokens.get("alice")!,
      query: "{ viewer { usr } }",
    });
    try {
      await subscriber.whenCompleted();
      const failure = JSON.stringify(subscriber.failure());
      expect(failure).toContain('Cannot query field \\"usr\\"');
      expect(failure).toContain("GRAPHQL_VALIDATION_FAILED");
      expect(failure).not.toMatch(/Did you mean/);
    } finally {
      await subscriber.close();
    }
  });
});

describe("no credentials in the logs", () => {
  it("logs no bearer token, refresh token or password of a login, requests and a socket", async () => {
    // A refused token and a socket, beside the logins and queries of the fixture.
    const forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.forged-signature-for-the-log-test";
    const refused = await fetch(`${fixture.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${forged}` },
      body: JSON.stringify({ query: "{ viewer { user } }" }),
    });
    expect(refused.status).toBe(401);
    for (const user of USERS) await fixture.query(user, "{ viewer { user } clusters { totalCount } }");
    const socket = subscribe({
      url: `${fixture.base}/graphql`,
      token: fixture.tokens.get("admin")!,
      query: "subscription { podChanges(sendInitial: true) { type } }",
    });
    await socket.until((events) => events.length > 0);
    await socket.close();

    const text = logs
      .lines()
      .map((line) => JSON.stringify(line))
      .join("\n");
    // The capture saw the requests: the assertions below are about lines that exist.
    expect(logs.lines().length).toBeGreaterThan(10);
    const secrets = [
      forged,
      ...USERS.map((u) => fixture.tokens.get(u)!),
      ...USERS.map((u) => demoPasswordOf(u)),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    // The signature part alone is enough to replay nothing, but it is not logged either.
    for (const user of USERS) expect(text).not.toContain(fixture.tokens.get(user)!.split(".")[2]!);
  });
});
