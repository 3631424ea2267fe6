/**
 * The pure pieces of the request limits: an operation's shape (depth, aliases, root fields), the
 * tokens and variables checked before parsing, the upstream calls priced by fan-out, the
 * request's budget (calls and deadline), the caller key of the rate limit and the refusal reasons.
 */
import { parse, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS, type Subject } from "../../auth/subject.js";
import { callerKey } from "../../src/http/rate-limiting.js";
import {
  checkLimits,
  checkSource,
  countTokens,
  DEFAULT_QUERY_LIMITS,
  queryCost,
  queryShape,
  queryUpstreamCalls,
  refusalReason,
  RequestBudget,
  withinBudget,
  type CostModel,
} from "../../src/limits/index.js";
import { spendUpstreamCall, UpstreamRefusedError } from "../../src/limits/request-budget.js";
import { buildFleetgraphSchema } from "../../src/server/schema.js";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildFleetgraphSchema();
});

const model = (clusters: number): CostModel => ({
  defaultPageSize: 100,
  clusterCount: () => clusters,
  clustersFor: (filter) => filter?.clusters?.length ?? clusters,
});

describe("queryShape", () => {
  it("counts aliases through fragments, root fields each alias apart, and depth in one pass", () => {
    const document = parse(`
      fragment F on Cluster { n1: name n2: name }
      query { a: clusters { nodes { ...F } } b: clusters { nodes { ...F } } __typename }`);
    // a, b, and n1 + n2 through each of the two spreads
    expect(queryShape(schema, document)).toEqual({ depth: 3, aliases: 6, rootFields: 2 });
  });

  it("follows fragments and inline fragments at the root once each", () => {
    const document = parse(`
      fragment Roots on Query { clusters { totalCount } workspaces { totalCount } }
      query { ...Roots ...Roots ... on Query { pods { totalCount } } }`);
    expect(queryShape(schema, document).rootFields).toBe(3);
  });
});

describe("checkSource", () => {
  const limits = { ...DEFAULT_QUERY_LIMITS, maxTokens: 10, maxVariablesBytes: 20 };

  it("counts tokens up to one past the limit, commas and comments not being tokens", () => {
    expect(countTokens("{ a, b, c } # a comment", 100)).toBe(5);
    expect(countTokens("{ a b c d e f g h i j k l }", 5)).toBe(6);
    // A document that does not lex is counted up to its error (the parser reports it).
    expect(countTokens('{ a "unterminated', 100)).toBe(2);
  });

  it("refuses a document over maxTokens and variables over maxVariablesBytes, with codes", () => {
    expect(checkSource("{ a b c d }", undefined, limits)).toBeUndefined();
    expect(checkSource("{ a b c d e f g h i j }", undefined, limits)?.extensions).toMatchObject({
      code: "QUERY_TOO_LARGE",
      limit: 10,
    });
    // Long but few tokens: whitespace is not counted.
    expect(checkSource(`{ a ${" ".repeat(100)} }`, undefined, limits)).toBeUndefined();
    expect(checkSource("{ a }", { x: "0123456789" }, limits)).toBeUndefined(); // 18 bytes
    expect(checkSource("{ a }", { x: "0123456789abcdef" }, limits)?.extensions).toMatchObject({
      code: "VARIABLES_TOO_LARGE",
      bytes: 24,
      limit: 20,
    });
  });
});

describe("queryUpstreamCalls", () => {
  const calls = (query: string, clusters = 3) =>
    queryUpstreamCalls({ schema, document: parse(query) }, model(clusters));

  it("counts nothing for reads from the caches", () => {
    expect(calls(`{ pods(first: 100) { nodes { name node { name } } } clusters { totalCount } }`)).toBe(0);
  });

  it("prices a STRONG list by the clusters it fans out to, and by its parents' items when nested", () => {
    expect(calls(`{ pods(first: 5, consistency: STRONG) { totalCount } }`)).toBe(6);
    expect(calls(`{ pods(first: 5, consistency: STRONG) { totalCount } }`, 50)).toBe(100);
    expect(
      calls(`{ pods(first: 5, consistency: STRONG, filter: { clusters: ["a"] }) { totalCount } }`, 50),
    ).toBe(2);
    expect(
      calls(`{ a: pods(consistency: STRONG) { totalCount } b: pods(consistency: STRONG) { totalCount } }`),
    ).toBe(12);
    // Each of 10 namespaces (x 3 clusters) lists its pods from its API server.
    expect(calls(`{ namespaces(first: 10) { nodes { pods(consistency: STRONG) { totalCount } } } }`)).toBe(
      60,
    );
  });

  it("adds the calls of a STRONG read to its cost, 100 each", () => {
    const cost = (consistency: string) =>
      queryCost(
        { schema, document: parse(`{ pods(first: 5, consistency: ${consistency}) { totalCount } }`) },
        model(3),
      ).cost;
    // 5 per page x 3 clusters, plus 2 calls x 3 clusters x 100
    expect(cost("CACHED")).toBe(15);
    expect(cost("STRONG")).toBe(15 + 600);
  });

  it("counts declared calls per resolution: resources once, a log search per pod", () => {
    expect(calls(`{ resources(cluster: "a", apiVersion: "v1", kind: "ConfigMap") { totalCount } }`)).toBe(1);
    expect(calls(`{ pods(first: 4) { nodes { logs(first: 5) { nodes { message } } } } }`)).toBe(12);
  });
});

describe("checkLimits with arguments that do not coerce", () => {
  // One field's argument is null where its type forbids it; the 20 STRONG lists around it are priced.
  const strong = Array.from(
    { length: 20 },
    (_, i) => `p${i}: pods(first: 1000, consistency: STRONG) { nodes { name } }`,
  );
  const document = parse(`query($id: ID = "x") { bad: node(id: $id) { id } ${strong.join(" ")} }`);
  const check = (variables: Record<string, unknown>) =>
    checkLimits({ schema, document, variables }, { ...DEFAULT_QUERY_LIMITS, maxCost: 10_000_000 }, model(50));

  it("refuses the operation with BAD_USER_INPUT naming the argument, instead of pricing it at 0", () => {
    const refused = check({ id: null });
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/"id"/);
    expect((refused as { extensions: unknown }).extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    // The same operation with an id that fits is priced, and over the upstream calls.
    expect((check({ id: "x" }) as { extensions?: unknown }).extensions).toMatchObject({
      code: "TOO_MANY_UPSTREAM_CALLS",
    });
  });
});

describe("RequestBudget", () => {
  const refusedWith: string[] = [];
  const budget = (max: number, clock: { now: number }) =>
    new RequestBudget({
      maxUpstreamCalls: max,
      deadlineMs: 1000,
      onRefused: (e) => refusedWith.push(e.code),
      now: () => clock.now,
    });

  it("admits calls up to the limit, then refuses each with TOO_MANY_UPSTREAM_CALLS, counted once", () => {
    refusedWith.length = 0;
    const clock = { now: 0 };
    const b = budget(2, clock);
    b.spend({ backend: "api-server", cluster: "a" });
    b.spend({ backend: "api-server", cluster: "b" });
    expect(() => b.spend({ backend: "api-server", cluster: "c" })).toThrow(
      /made its limit of 2 upstream calls/,
    );
    expect(() => b.spend({ backend: "log-store" })).toThrow(UpstreamRefusedError);
    expect(b.calls).toBe(2);
    expect(refusedWith).toEqual(["TOO_MANY_UPSTREAM_CALLS"]);
  });

  it("refuses every call once the deadline has passed", () => {
    refusedWith.length = 0;
    const clock = { now: 0 };
    const b = budget(100, clock);
    b.spend({ backend: "api-server", cluster: "a" });
    clock.now = 1000;
    let refused: unknown;
    try {
      b.spend({ backend: "api-server", cluster: "a" });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(UpstreamRefusedError);
    expect((refused as UpstreamRefusedError).extensions).toEqual({ code: "REQUEST_TIMEOUT", limit: 1000 });
    expect(b.expire().code).toBe("REQUEST_TIMEOUT");
    expect(refusedWith).toEqual(["REQUEST_TIMEOUT"]);
  });

  it("is ambient within its operation only: the caches' own calls have no budget", async () => {
    const b = budget(1, { now: 0 });
    expect(spendUpstreamCall({ backend: "api-server" })).toBeUndefined();
    await withinBudget(b, async () => {
      await Promise.resolve();
      expect(spendUpstreamCall({ backend: "api-server" })).toBeUndefined();
      expect(spendUpstreamCall({ backend: "api-server" })?.code).toBe("TOO_MANY_UPSTREAM_CALLS");
    });
    expect(spendUpstreamCall({ backend: "api-server" })).toBeUndefined();
  });
});

describe("callerKey and refusalReason", () => {
  it("keys an authenticated caller by its subject and an anonymous one by its address", () => {
    const alice: Subject = { user: "alice", groups: ["dev"], source: "oidc" };
    expect(callerKey(alice, "10.0.0.1")).toBe(callerKey(alice, "10.0.0.2"));
    expect(callerKey(alice, "10.0.0.1")).not.toBe(callerKey({ ...alice, user: "bob" }, "10.0.0.1"));
    expect(callerKey(ANONYMOUS, "10.0.0.1")).not.toBe(callerKey(ANONYMOUS, "10.0.0.2"));
  });

  it("names the reason of each limit's code, and none for other errors", () => {
    expect(refusalReason({ extensions: { code: "TOO_MANY_ALIASES" } })).toBe("aliases");
    expect(refusalReason({ extensions: { code: "RATE_LIMITED" } })).toBe("rate_limit");
    expect(refusalReason({ extensions: { code: "REQUEST_TOO_LARGE" } })).toBe("body_size");
    expect(refusalReason({ extensions: { code: "BAD_USER_INPUT" } })).toBeUndefined();
    expect(refusalReason({})).toBeUndefined();
  });
});
