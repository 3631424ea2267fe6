/**
 * A request whose document names no runnable operation is the caller's mistake: HTTP 400 with
 * graphql-js's message, as Apollo Server answers it without a gateway, never a 500. Both
 * execution paths are covered: an operation's first use (graphql-js) and later ones (graphql-jit).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { fleetConfig, startSimFleet, startTestGateway, type GraphQLResponse } from "./server-fixture.js";

let fleet: SimFleet;
let gateway: Gateway;

beforeAll(async () => {
  fleet = await startSimFleet("operation-refusals-test", { clusters: 1, pods: 5 });
  gateway = await startTestGateway(fleetConfig(fleet));
  await gateway.fleetCache.whenSynced(20_000);
});

afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
});

async function post(body: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, "status">) };
}

const TWO_OPERATIONS = "query A { clusters { totalCount } } query B { pods(first: 1) { totalCount } }";

describe("a document without the operation asked for", () => {
  it("answers an unknown operationName with 400 OPERATION_RESOLUTION_FAILURE, every time", async () => {
    // Twice: the second request would be the one compiled by graphql-jit.
    for (let i = 0; i < 3; i++) {
      const r = await post({ query: TWO_OPERATIONS, operationName: "C" });
      expect(r.status).toBe(400);
      expect(r.data).toBeUndefined();
      expect(r.errors).toEqual([
        { message: 'Unknown operation named "C".', extensions: { code: "OPERATION_RESOLUTION_FAILURE" } },
      ]);
    }
  });

  it("answers several operations without an operationName with 400", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await post({ query: TWO_OPERATIONS });
      expect(r.status).toBe(400);
      expect(r.errors).toEqual([
        {
          message: "Must provide operation name if query contains multiple operations.",
          extensions: { code: "OPERATION_RESOLUTION_FAILURE" },
        },
      ]);
    }
  });

  it("still runs the operation named", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await post({ query: TWO_OPERATIONS, operationName: "A" });
      expect(r.status).toBe(200);
      expect(r.data).toEqual({ clusters: { totalCount: 1 } });
    }
  });
});

describe("operations the API does not have", () => {
  it("refuses a mutation the schema lacks with 400 GRAPHQL_VALIDATION_FAILED naming the field", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await post({ query: 'mutation { deletePod(name: "x") }' });
      expect(r.status).toBe(400);
      expect(r.errors).toHaveLength(1);
      expect(r.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(r.errors?.[0]?.message).toBe('Cannot query field "deletePod" on type "Mutation".');
    }
  });

  it("refuses a subscription over HTTP with 400 BAD_REQUEST", async () => {
    const r = await post({ query: "subscription { podChanges { type object { name } } }" });
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    expect(r.errors?.[0]?.message).toMatch(/^subscriptions are not served over HTTP POST/);
    expect(r.errors?.[0]?.message).toMatch(/graphql-ws/);
  });

  it("keeps Apollo's 405 for a mutation sent with GET", async () => {
    const query = encodeURIComponent(
      'mutation { roleBindingDelete(input: { id: "x" }) { deletedRoleBindingId } }',
    );
    const response = await fetch(`${gateway.url}?query=${query}`, {
      headers: { "apollo-require-preflight": "1" },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("picks the query of a document that also holds a mutation", async () => {
    const r = await post({
      query:
        'query Q { clusters { totalCount } } mutation M { roleBindingDelete(input: { id: "x" }) { deletedRoleBindingId } }',
      operationName: "Q",
    });
    expect(r.status).toBe(200);
    expect(r.data).toEqual({ clusters: { totalCount: 1 } });
  });
});
