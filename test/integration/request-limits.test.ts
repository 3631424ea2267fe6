/**
 * The limits that keep one request from costing the gateway (or the clusters behind it) more than
 * a client ever needs, against a 3-cluster simulated fleet over real HTTP and graphql-ws: alias,
 * root-field and token floods refused before anything runs, STRONG fan-out floods refused before
 * any API server is called (the simulated API servers' audit logs say which calls were made),
 * upstream calls counted while a query runs, a per-request deadline, per-caller rate limits
 * shared by two replicas through Redis and kept per replica when Redis is gone; each refusal
 * counted in /metrics.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AuthSettings, GatewayConfig } from "../../src/config/index.js";
import { freeLoopbackPort } from "../../src/free-port.js";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { eventually } from "../support/eventually.js";
import { Exposition } from "../support/exposition.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";
import { subscribe } from "../support/subscription-client.js";
import { startTcpProxy } from "../support/tcp-proxy.js";
import { startAuthGateway } from "./auth-gateway-fixture.js";
import { baseUrl, fleetConfig, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

let fleet: SimFleet;
let config: GatewayConfig;
let gateway: Gateway;
let tight: Gateway;
let budgeted: Gateway;
const prefix = uniqueRedisPrefix("rate-limit");

beforeAll(async () => {
  fleet = await startSimFleet("request-limits-test", { pods: 10 });
  config = fleetConfig(fleet);
  gateway = await startTestGateway(config);
  tight = await startTestGateway(config, {
    limits: { maxVariablesBytes: 1000, maxBodyBytes: 4096, maxTokens: 100 },
  });
  // Static counts let a STRONG read of every namespace through (2 per cluster); its lists do not.
  budgeted = await startTestGateway(config, { limits: { maxUpstreamCalls: 8, requestDeadlineMs: 700 } });
  await Promise.all([gateway, tight, budgeted].map((g) => g.fleetCache.whenSynced(20_000)));
});

afterAll(async () => {
  await Promise.all([gateway?.stop(), tight?.stop(), budgeted?.stop()]);
  await fleet?.stop();
  await deleteRedisKeys(prefix);
});

beforeEach(() => {
  for (const cluster of fleet.clusters) {
    cluster.faults.reset();
    cluster.auditLog.enabled = true;
    cluster.auditLog.drain();
  }
});

async function refusals(g: Gateway, reason: string): Promise<number> {
  return (await Exposition.scrape(baseUrl(g))).value("fleetgraph_requests_refused_total", { reason });
}

async function post(
  url: string,
  query: string,
  headers: Record<string, string> = {},
  variables?: Record<string, unknown>,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> & { errors?: Err[] } }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as never };
}

interface Err {
  message: string;
  path?: string[];
  extensions?: Record<string, unknown>;
}

/** The API server calls each simulated cluster received for request `id`, once they have answered. */
async function callsFor(id: string, settleMs = 300): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return fleet.clusters.flatMap((c) =>
    c.auditLog
      .drain()
      .filter((e) => e.auditID === id)
      .map((e) => `${c.name} ${e.verb} ${e.objectRef?.resource ?? e.requestURI}`),
  );
}

const names = () => fleet.clusters.map((c) => c.name);

/**
 * Waits until every cluster answers `g`'s STRONG reads: on a loaded machine a first sync may
 * miss its deadlines and open a cluster's breaker for a while.
 */
async function answering(g: Gateway): Promise<void> {
  const probe = `{ pods(first: 1, consistency: STRONG, filter: { namespaces: ["default"] }) { totalCount } }`;
  await eventually(async () => (await graphql(g.url, probe)).errors === undefined, 30_000, 250);
  for (const cluster of fleet.clusters) cluster.auditLog.drain();
}

const aliased = (n: number, field: string) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ")} }`;

describe("document limits", () => {
  it("refuses an alias flood with TOO_MANY_ALIASES before anything runs, and counts it", async () => {
    const before = await refusals(gateway, "aliases");
    const r = await post(gateway.url, aliased(200, "clusters { totalCount }"));
    expect(r.status).toBe(400);
    // Nothing ran: an executed operation answers `data`.
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toEqual([
      {
        message: expect.stringMatching(/^aliases 200 exceeds the limit of 100 by 100: /),
        extensions: { code: "TOO_MANY_ALIASES", aliases: 200, limit: 100 },
      },
    ]);
    expect(await refusals(gateway, "aliases")).toBe(before + 1);
    // Under the limit the same fields are answered.
    const fine = await post(gateway.url, aliased(20, "clusters { totalCount }"));
    expect(fine.status).toBe(200);
    expect((fine.body.data as Record<string, { totalCount: number }>).a19!.totalCount).toBe(3);
  });

  it("refuses an alias flood over graphql-ws too, keeping the socket, and counts it", async () => {
    const before = await refusals(gateway, "aliases");
    const s = subscribe({
      url: gateway.url.replace(/^http/, "ws"),
      // A subscription has one root field: the aliases are inside it.
      query: `subscription { podChanges { ${Array.from({ length: 101 }, (_, i) => `a${i}: type`).join(" ")} } }`,
    });
    try {
      await s.until(() => s.failure() !== undefined || s.closed() !== undefined);
      const errors = s.failure() as Err[];
      expect(Array.isArray(errors), JSON.stringify(errors)).toBe(true);
      expect(errors[0]!.extensions).toEqual({ code: "TOO_MANY_ALIASES", aliases: 101, limit: 100 });
      expect(s.events).toEqual([]);
      expect(s.closed()).toBeUndefined();
    } finally {
      await s.close();
    }
    expect(await refusals(gateway, "aliases")).toBe(before + 1);
  });

  it("refuses a graphql-ws document it kept once a reload lowers limits.maxTokens below its tokens", async () => {
    // Parsed and kept, then refused after (two operations, none named): the refusal says it was kept.
    const query = "subscription A { podChanges { type } } subscription B { podChanges { type } }";
    const refusalOf = async (): Promise<Err> => {
      const s = subscribe({ url: gateway.url.replace(/^http/, "ws"), query });
      try {
        await s.until(() => s.failure() !== undefined || s.closed() !== undefined);
        return (s.failure() as Err[])[0]!;
      } finally {
        await s.close();
      }
    };
    expect((await refusalOf()).extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    const config = gateway.config();
    gateway.reload({ ...config, limits: { ...config.limits, maxTokens: 5 } });
    try {
      expect((await refusalOf()).extensions).toEqual({ code: "QUERY_TOO_LARGE", limit: 5 });
    } finally {
      gateway.reload(config);
    }
  });

  it("refuses too many root fields with TOO_MANY_ROOT_FIELDS", async () => {
    const before = await refusals(gateway, "root_fields");
    // 80 aliases are within the alias limit; 80 root fields are not.
    const r = await post(gateway.url, aliased(80, "clusters { totalCount }"));
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions).toEqual({
      code: "TOO_MANY_ROOT_FIELDS",
      rootFields: 80,
      limit: 64,
    });
    expect(await refusals(gateway, "root_fields")).toBe(before + 1);
  });

  it("counts depth and cost refusals under their reasons", async () => {
    const [depth, cost] = [await refusals(gateway, "depth"), await refusals(gateway, "cost")];
    const nested = (n: number): string => (n === 0 ? "name" : `node { pods { nodes { ${nested(n - 1)} } } }`);
    const deep = await post(gateway.url, `{ pods { nodes { ${nested(4)} } } }`);
    expect(deep.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_DEEP");
    const costly = await post(gateway.url, `{ pods(first: 1000) { nodes { ${nested(1)} } } }`);
    expect(costly.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(await refusals(gateway, "depth")).toBe(depth + 1);
    expect(await refusals(gateway, "cost")).toBe(cost + 1);
  });

  it("refuses a document of more than 10,000 tokens with QUERY_TOO_LARGE before parsing it", async () => {
    const before = await refusals(gateway, "tokens");
    // Every string of the list is a token (commas are not).
    const listing = (n: number) =>
      `{ pods(first: 1, filter: { namespaces: [${'"default" '.repeat(n)}] }) { totalCount } }`;
    const r = await post(gateway.url, listing(10_000));
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      {
        message: expect.stringMatching(/more than 10,000 tokens/),
        extensions: { code: "QUERY_TOO_LARGE", limit: 10_000 },
      },
    ]);
    expect(await refusals(gateway, "tokens")).toBe(before + 1);
    // A GET's query string is checked alike (a shorter limit: Node refuses URLs over 16 KB).
    const tightBefore = await refusals(tight, "tokens");
    const get = await fetch(`${tight.url}?query=${encodeURIComponent(listing(100))}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(get.status).toBe(400);
    expect(((await get.json()) as { errors: Err[] }).errors[0]!.extensions).toEqual({
      code: "QUERY_TOO_LARGE",
      limit: 100,
    });
    expect(await refusals(tight, "tokens")).toBe(tightBefore + 1);
    // 20 tokens around 9,970 strings are parsed and answered.
    const fits = await post(gateway.url, listing(9_970));
    expect(fits.status).toBe(200);
  });

  it("refuses variables over limits.maxVariablesBytes and a body over limits.maxBodyBytes (413)", async () => {
    const query = "query ($x: String) { pods(first: 1, filter: { nameContains: $x }) { totalCount } }";
    const send = (x: string) =>
      fetch(tight.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables: { x } }),
      });
    const [variablesBefore, bodyBefore] = [
      await refusals(tight, "variables_size"),
      await refusals(tight, "body_size"),
    ];

    const large = await send("a".repeat(2000));
    expect(large.status).toBe(400);
    expect(await large.json()).toEqual({
      errors: [
        {
          message: expect.stringMatching(
            /^variables of 2,008 bytes \(as JSON\) exceed the limit of 1,000 by 1,008/,
          ),
          extensions: { code: "VARIABLES_TOO_LARGE", bytes: 2008, limit: 1000 },
        },
      ],
    });
    const huge = await send("a".repeat(5000));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({
      errors: [
        {
          message: expect.stringMatching(/larger than the limit of 4096 bytes \(limits\.maxBodyBytes\)/),
          extensions: { code: "REQUEST_TOO_LARGE" },
        },
      ],
    });
    const fine = await send("a".repeat(500));
    expect(fine.status, await fine.clone().text()).toBe(200);
    expect(await refusals(tight, "variables_size")).toBe(variablesBefore + 1);
    expect(await refusals(tight, "body_size")).toBe(bodyBefore + 1);
  });
});

describe("upstream calls", () => {
  const STRONG = `pods(first: 5, consistency: STRONG, filter: { namespaces: ["default"] }) { totalCount }`;

  it("refuses a STRONG fan-out flood before any API server is called", async () => {
    // The control: one STRONG read calls each cluster once (Audit-ID is the request id).
    await answering(gateway);
    const one = await post(gateway.url, `{ ${STRONG} }`, { "x-request-id": "limits-strong-one" });
    expect(one.body.errors).toBeUndefined();
    expect((await callsFor("limits-strong-one")).sort()).toEqual(
      fleet.clusters.map((c) => `${c.name} list pods`).sort(),
    );

    const before = await refusals(gateway, "upstream_calls");
    // 40 aliases (within the alias limit) x 3 clusters x 2 calls at least = 240 > 200.
    const flood = await post(gateway.url, aliased(40, STRONG), { "x-request-id": "limits-strong-flood" });
    expect(flood.status).toBe(400);
    expect(flood.body.data).toBeUndefined();
    expect(flood.body.errors?.[0]).toEqual({
      message: expect.stringMatching(
        /^upstream calls 240 exceeds the limit of 200 by 40: .*consistency CACHED/,
      ),
      extensions: { code: "TOO_MANY_UPSTREAM_CALLS", upstreamCalls: 240, limit: 200 },
    });
    expect(await callsFor("limits-strong-flood")).toEqual([]);
    expect(await refusals(gateway, "upstream_calls")).toBe(before + 1);
  });

  it("refuses an operation with an argument that does not fit its type, rather than pricing it at nothing", async () => {
    // A null for node(id: ID!) through a variable with a default passes validation; the 40 STRONG
    // lists around it would make 240 calls.
    const query = `query($id: ID = "x") { bad: node(id: $id) { id } ${aliased(40, STRONG).slice(1, -1)} }`;
    const r = await post(gateway.url, query, { "x-request-id": "limits-bad-argument" }, { id: null });
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors?.[0]?.message).toMatch(/"id"/);
    expect(r.body.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
    expect(await callsFor("limits-bad-argument")).toEqual([]);
    // The same operation with an id that fits is priced, and over the limit.
    const priced = await post(gateway.url, query, {}, { id: "x" });
    expect(priced.body.errors?.[0]?.extensions?.code).toBe("TOO_MANY_UPSTREAM_CALLS");
  });

  it("counts the calls a query makes while it runs and leaves out the clusters past the limit", async () => {
    await answering(budgeted);
    const before = await refusals(budgeted, "upstream_calls");
    // Every namespace of 3 clusters: 3 namespace lists, then one list per namespace (more than 8).
    const r = await post(
      budgeted.url,
      `{ pods(first: 5, consistency: STRONG) { nodes { cluster { name } } } clusters { totalCount } }`,
      { "x-request-id": "limits-budget" },
    );
    expect(r.status).toBe(200);
    // The answer stands, without the parts the budget refused: a per-cluster outcome each.
    const data = r.body.data as { pods: { nodes: { cluster: { name: string } }[] }; clusters: unknown };
    expect(data.clusters).toEqual({ totalCount: 3 });
    const refused = (r.body.errors ?? []).filter((e) => e.extensions?.code === "TOO_MANY_UPSTREAM_CALLS");
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error.message).toMatch(/made its limit of 8 upstream calls/);
      expect(names()).toContain(error.extensions?.cluster);
      expect(error.extensions?.retryable).toBe(false);
    }
    // What the clusters read before the limit answered is kept.
    expect(data.pods.nodes.length).toBeGreaterThan(0);
    expect(await callsFor("limits-budget")).toHaveLength(8);
    expect(await refusals(budgeted, "upstream_calls")).toBe(before + 1);
  });

  it("answers REQUEST_TIMEOUT (504) at the deadline and starts no upstream call after it", async () => {
    await answering(budgeted);
    const slow = fleet.clusters[0]!;
    slow.faults.set({ latencyMs: 1500 });
    const before = await refusals(budgeted, "deadline");
    const startedAt = Date.now();
    const r = await post(budgeted.url, `{ pods(first: 5, consistency: STRONG) { totalCount } }`, {
      "x-request-id": "limits-deadline",
    });
    const took = Date.now() - startedAt;
    expect(r.status).toBe(504);
    expect(r.body.errors).toEqual([
      {
        message: expect.stringMatching(/did not finish within its deadline of 700 ms/),
        extensions: { code: "REQUEST_TIMEOUT", limit: 700 },
      },
    ]);
    expect(took).toBeLessThan(1400);
    // The slow cluster answered its namespaces after the deadline: none of its lists was started.
    const calls: string[] = [];
    await eventually(async () => {
      calls.push(...(await callsFor("limits-deadline", 0)));
      return calls.some((c) => c.startsWith(`${slow.name} `));
    }, 5000);
    calls.push(...(await callsFor("limits-deadline", 500)));
    expect(calls.filter((c) => c.startsWith(`${slow.name} `))).toEqual([`${slow.name} list namespaces`]);
    expect(await refusals(budgeted, "deadline")).toBe(before + 1);
  });
});

describe("per-caller rate limits", () => {
  const POINTS = 4;
  const QUERY = "{ clusters { totalCount } }";
  let replicas: Gateway[] = [];
  let alone: Gateway | undefined;

  /** Rate-limited gateways: anonymous callers are counted by address (127.0.0.1 here). */
  const rateLimited = (redisUrl: string, keyPrefix = prefix): Promise<Gateway> =>
    startTestGateway({
      ...config,
      limits: { rateLimit: { points: POINTS, durationSeconds: 60 } },
      // Only the shared store of `auth` is read: authentication is off in these gateways.
      auth: {
        sessions: {},
        roleBindings: [],
        redis: { url: redisUrl, keyPrefix },
      } as unknown as AuthSettings,
    });

  afterAll(async () => {
    await Promise.all([...replicas, ...(alone ? [alone] : [])].map((g) => g.stop()));
  });

  it("shares one budget between two replicas through Redis: the next request gets 429 + RATE_LIMITED", async () => {
    replicas = [await rateLimited(REDIS_URL), await rateLimited(REDIS_URL)];
    const [a, b] = replicas as [Gateway, Gateway];
    // Half of the budget on each replica.
    for (const g of [a, b, a, b]) expect((await graphql(g.url, QUERY)).status).toBe(200);
    const before = await refusals(b, "rate_limit");
    const r = await post(b.url, QUERY);
    expect(r.status).toBe(429);
    const retryAfter = Number(r.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(r.body.errors).toEqual([
      {
        message: expect.stringMatching(/over its rate limit; retry after \d+ s/),
        extensions: { code: "RATE_LIMITED", retryAfterSeconds: retryAfter },
      },
    ]);
    expect(await refusals(b, "rate_limit")).toBe(before + 1);
    // The other replica refuses too: the count is shared.
    expect((await post(a.url, QUERY)).status).toBe(429);
  });

  it("refuses a graphql-ws subscribe over the rate with RATE_LIMITED and keeps the socket", async () => {
    const [, b] = replicas as [Gateway, Gateway];
    const s = subscribe({ url: b.url.replace(/^http/, "ws"), query: "subscription { podChanges { type } }" });
    try {
      await s.until(() => s.failure() !== undefined || s.closed() !== undefined);
      const errors = s.failure() as Err[];
      expect(Array.isArray(errors), JSON.stringify(errors)).toBe(true);
      expect(errors[0]!.extensions).toMatchObject({ code: "RATE_LIMITED" });
      expect(errors[0]!.extensions?.retryAfterSeconds).toBeGreaterThan(0);
      expect(s.closed()).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it("still limits each replica when Redis cannot be reached", async () => {
    const closed = await freeLoopbackPort();
    alone = await rateLimited(`redis://127.0.0.1:${closed}`);
    for (let i = 0; i < POINTS; i++) expect((await graphql(alone.url, QUERY)).status).toBe(200);
    const r = await post(alone.url, QUERY);
    expect(r.status).toBe(429);
    expect(r.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(await refusals(alone, "rate_limit")).toBe(1);
  });

  it("counts refused tokens by address: a garbage-token flood gets 429 RATE_LIMITED once over the rate", async () => {
    const fx = await startAuthGateway({
      seed: "request-limits-bad-tokens",
      fleet: { clusters: 1, nodes: 1, pods: 2 },
      users: ["admin"],
      configFor: () => Promise.resolve({ limits: { rateLimit: { points: POINTS, durationSeconds: 60 } } }),
    });
    try {
      const garbage = { authorization: "Bearer not-a-token" };
      for (let i = 0; i < POINTS; i++) {
        const r = await post(fx.gateway.url, QUERY, garbage);
        expect(r.status).toBe(401);
        expect(r.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      }
      const over = await post(fx.gateway.url, QUERY, garbage);
      expect(over.status).toBe(429);
      expect(over.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
      expect(await refusals(fx.gateway, "rate_limit")).toBe(1);
      // A caller with a good token is counted as who it is, not by the flood's address.
      expect((await fx.query("admin", QUERY)).status).toBe(200);
    } finally {
      await fx.stop();
    }
  }, 60_000);

  it("answers within seconds and still limits the replica when Redis stalls (connected, not answering)", async () => {
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(REDIS_URL).port) }, "redis");
    // A budget of its own: the replicas above spent this address's shared one.
    const stalled = await rateLimited(proxy.url, `${prefix}stalled:`);
    try {
      // Connected and counting in Redis first.
      expect((await graphql(stalled.url, QUERY)).status).toBe(200);
      proxy.stall();
      // The insurance limiter counts from nothing: POINTS more admitted, then refused.
      for (let i = 0; i < POINTS; i++) {
        const startedAt = Date.now();
        expect((await graphql(stalled.url, QUERY)).status).toBe(200);
        expect(Date.now() - startedAt).toBeLessThan(5000);
      }
      const r = await post(stalled.url, QUERY);
      expect(r.status).toBe(429);
      expect(r.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    } finally {
      await stalled.stop();
      await proxy.close();
    }
  }, 60_000);
});
