/**
 * The per-document cache of depth and cost measures (src/limits/limit-cache.ts): an operation
 * sent again is not walked again, yet every answer is what an uncached check would give — for
 * new variables, other limits, a changed fleet (reload), and a rejection sent twice.
 */
import { parse, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFleetgraphSchema } from "../../src/server/schema.js";
import {
  checkLimits,
  DEFAULT_QUERY_LIMITS,
  LimitCache,
  type CostModel,
  type LimitReport,
} from "../../src/limits/index.js";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { fleetConfig, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

const LIMITS = { ...DEFAULT_QUERY_LIMITS, maxDepth: 12, maxCost: 500 };
// pods(first: $n) { nodes { name } }: n per page x clusters x (the pod + its `nodes` list).
const PAGE = parse(`query ($n: Int) { pods(first: $n) { nodes { name } } }`);

/**
 * A cost model over `clusters` clusters that counts how often a query is priced: a pricing asks
 * for the fan-out twice, once for the cost and once for the upstream calls.
 */
function countingModel(clusters: () => number): CostModel & { priced: number } {
  const model = {
    priced: 0,
    defaultPageSize: 100,
    clusterCount: clusters,
    clustersFor: () => {
      model.priced += 0.5;
      return clusters();
    },
  };
  return model;
}

describe("LimitCache", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildFleetgraphSchema();
  });

  it("measures an operation once per variable set and answers like checkLimits", () => {
    const cache = new LimitCache();
    const model = countingModel(() => 3);
    const check = (n: number) => cache.check({ schema, document: PAGE, variables: { n } }, LIMITS, model);

    expect(check(80)).toEqual({ depth: 3, cost: 480, upstreamCalls: 0 });
    expect(check(80)).toEqual({ depth: 3, cost: 480, upstreamCalls: 0 });
    expect(model.priced).toBe(1);
    expect(cache.stats()).toEqual({ hits: 1, misses: 1 });

    const over = check(90);
    expect(over).toBeInstanceOf(Error);
    expect(over).toEqual(checkLimits({ schema, document: PAGE, variables: { n: 90 } }, LIMITS, model));
    expect(model.priced).toBe(3); // 90 once by the cache, once by the uncached comparison
  });

  it("builds a new error for each rejection (Apollo strips extensions.http from the one it sends)", () => {
    const cache = new LimitCache();
    const model = countingModel(() => 3);
    const first = cache.check({ schema, document: PAGE, variables: { n: 90 } }, LIMITS, model) as Error;
    const second = cache.check({ schema, document: PAGE, variables: { n: 90 } }, LIMITS, model) as Error;
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ extensions: { code: "QUERY_TOO_COMPLEX", http: { status: 400 } } });
    expect(model.priced).toBe(1);
  });

  it("keeps one measure per operation of a document", () => {
    const document = parse(
      `query Big { pods(first: 1000) { nodes { name } } } query Small { pods(first: 1) { totalCount } }`,
    );
    const [big, small] = document.definitions as OperationDefinitionNode[];
    const cache = new LimitCache();
    const model = countingModel(() => 3);
    expect(cache.check({ schema, document, operation: big }, LIMITS, model)).toBeInstanceOf(Error);
    expect(cache.check({ schema, document, operation: small }, LIMITS, model)).toEqual({
      depth: 2,
      cost: 3,
      upstreamCalls: 0,
    });
    expect(cache.check({ schema, document, operation: big }, LIMITS, model)).toBeInstanceOf(Error);
    expect(cache.stats()).toEqual({ hits: 1, misses: 2 });
  });

  it("measures again for another maxDepth (an operation over it is never priced)", () => {
    const cache = new LimitCache();
    const model = countingModel(() => 3);
    const deep = cache.check(
      { schema, document: PAGE, variables: { n: 10 } },
      { ...LIMITS, maxDepth: 2 },
      model,
    );
    expect(deep).toMatchObject({ extensions: { code: "QUERY_TOO_DEEP", depth: 3 } });
    expect(model.priced).toBe(0);
    expect(cache.check({ schema, document: PAGE, variables: { n: 10 } }, LIMITS, model)).toEqual({
      depth: 3,
      cost: 60,
      upstreamCalls: 0,
    });
    // A new maxCost is judged against the kept measure, without walking again.
    expect(
      cache.check({ schema, document: PAGE, variables: { n: 10 } }, { ...LIMITS, maxCost: 50 }, model),
    ).toMatchObject({
      extensions: { code: "QUERY_TOO_COMPLEX", cost: 60, limit: 50 },
    });
    expect(model.priced).toBe(1);
  });

  it("prices again after forget(), when the fleet changed", () => {
    let clusters = 3;
    const cache = new LimitCache();
    const model = countingModel(() => clusters);
    expect(
      (cache.check({ schema, document: PAGE, variables: { n: 10 } }, LIMITS, model) as LimitReport).cost,
    ).toBe(60);
    clusters = 5;
    cache.forget();
    expect(
      (cache.check({ schema, document: PAGE, variables: { n: 10 } }, LIMITS, model) as LimitReport).cost,
    ).toBe(100);
  });

  it("stays bounded: variable sets past the cap drop the operation's measures, long ones are not kept", () => {
    const cache = new LimitCache({ maxVariableSets: 2, maxKeyLength: 64 });
    const model = countingModel(() => 1);
    const check = (variables: Record<string, unknown>) =>
      cache.check({ schema, document: PAGE, variables }, LIMITS, model);
    check({ n: 1 });
    check({ n: 2 });
    check({ n: 3 }); // the map was full: n=1 and n=2 are dropped
    check({ n: 3 });
    check({ n: 1 });
    expect(cache.stats()).toEqual({ hits: 1, misses: 4 });

    const long = { n: 1, note: "x".repeat(100) };
    check(long);
    check(long);
    expect(cache.stats().misses).toBe(6);
  });
});

describe("the gateway's limit cache", () => {
  let fleet: SimFleet;
  let gateway: Gateway;
  const QUERY = `query ($n: Int) { pods(first: $n) { nodes { name } } }`;

  beforeAll(async () => {
    fleet = await startSimFleet("limits-cache-test", { pods: 10 });
    gateway = await startTestGateway(fleetConfig(fleet), { limits: { maxCost: 500 } });
    await gateway.fleetCache.whenSynced(20_000);
  });

  afterAll(async () => {
    await gateway?.stop();
    await fleet?.stop();
  });

  it("rejects the same over-limit query with 400 every time it is sent", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await graphql(gateway.url, QUERY, { n: 100 }); // 100 x 3 x 2 = 600
      expect(r.status).toBe(400);
      expect(r.errors?.[0]?.extensions).toEqual({
        code: "QUERY_TOO_COMPLEX",
        cost: 600,
        limit: 500,
        largestField: "Query.pods",
      });
    }
  });

  it("prices the fleet as it is after a reload removes a cluster", async () => {
    expect((await graphql(gateway.url, QUERY, { n: 100 })).status).toBe(400);
    const config = gateway.config();
    gateway.reload({ ...config, clusters: config.clusters.slice(0, 2) });
    const r = await graphql(gateway.url, QUERY, { n: 100 }); // 100 x 2 x 2 = 400
    expect(r.errors).toBeUndefined();
    expect(r.status).toBe(200);
  });
});
