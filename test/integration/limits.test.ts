/**
 * Depth and cost limits over HTTP against a 3-cluster simulated fleet: which limit, by how much,
 * with its code; a list's cost multiplied by its page size and by the clusters it fans out to;
 * and the same check run without Apollo (as graphql-ws will).
 */
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/index.js";
import { checkLimits, DEFAULT_QUERY_LIMITS, resolveLimits, type CostModel } from "../../src/limits/index.js";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { fleetConfig, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

let fleet: SimFleet;
let gateway: Gateway;
let strict: Gateway;
let loose: Gateway;
let names: string[];

beforeAll(async () => {
  fleet = await startSimFleet("limits-test", { pods: 10 });
  names = fleet.clusters.map((c) => c.name);
  const config = fleetConfig(fleet);
  gateway = await startTestGateway(config);
  // A low cost limit, so page sizes and fan-out decide between accepted and rejected.
  strict = await startTestGateway(config, { limits: { maxCost: 500 } });
  // Deep queries nest unpaged relations, whose cost is far over the default: test depth alone.
  loose = await startTestGateway(config, { limits: { maxCost: Number.MAX_SAFE_INTEGER } });
  await Promise.all([gateway, strict, loose].map((g) => g.fleetCache.whenSynced(20_000)));
});

afterAll(async () => {
  await Promise.all([gateway?.stop(), strict?.stop(), loose?.stop()]);
  await fleet?.stop();
});

/**
 * 12 levels of fields: clusters > nodes > namespaces > nodes > workloads > nodes > pods > nodes >
 * node > pods > nodes > name (every relation is a connection, whose `nodes` is a level).
 */
const TWELVE = `{ clusters { nodes { namespaces { nodes { workloads { nodes { pods { nodes { node { pods { nodes { name } } } } } } } } } } } }`;
const THIRTEEN = TWELVE.replace("nodes { name }", "nodes { node { name } }");

describe("depth limit", () => {
  it("accepts the default maximum depth of 12 and rejects 13 with QUERY_TOO_DEEP, saying by how much", async () => {
    const ok = await graphql(loose.url, TWELVE);
    expect(ok.status).toBe(200);
    expect(ok.errors).toBeUndefined();
    // ... which the default cost limit would refuse: the limits are independent.
    expect((await graphql(gateway.url, TWELVE)).errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");

    const deep = await graphql(loose.url, THIRTEEN);
    expect(deep.status).toBe(400);
    expect(deep.data).toBeUndefined();
    expect(deep.errors).toEqual([
      {
        message: expect.stringMatching(/^query depth 13 exceeds the limit of 12 by 1\b/),
        extensions: { code: "QUERY_TOO_DEEP", depth: 13, limit: 12 },
      },
    ]);
  });

  it("counts fragments by the fields they hold, not as a level of their own", async () => {
    const withFragments = `
      fragment P on Pod { node { pods { nodes { name } } } }
      { clusters { nodes { namespaces { nodes { workloads { nodes { pods { nodes { ...P } } } } } } } } }`;
    expect((await graphql(loose.url, withFragments)).errors).toBeUndefined();
    const deeper = withFragments.replace("nodes { name }", "nodes { node { name } }");
    expect((await graphql(loose.url, deeper)).errors?.[0]?.extensions?.code).toBe("QUERY_TOO_DEEP");
  });
});

describe("cost limit", () => {
  // pods(first: 100) { nodes { name } }: 100 per page x clusters x (the pod + its `nodes` list) = 200 per cluster.
  const PAGE = `query ($filter: PodFilter, $first: Int) { pods(first: $first, filter: $filter) { nodes { name } } }`;

  it("multiplies a list's cost by the clusters it fans out to", async () => {
    const all = await graphql(strict.url, PAGE, { first: 100 });
    expect(all.status).toBe(400);
    expect(all.errors).toEqual([
      {
        message: expect.stringMatching(/^query cost 600 exceeds the limit of 500 by 100\b/),
        extensions: { code: "QUERY_TOO_COMPLEX", cost: 600, limit: 500, largestField: "Query.pods" },
      },
    ]);
    // The refusal names the list that multiplies most, and why it counts that many.
    expect(all.errors![0]!.message).toContain(
      "The largest factor is Query.pods: 300 items per parent (first: 100 x 3 clusters).",
    );

    const one = await graphql(strict.url, PAGE, { first: 100, filter: { clusters: [names[0]] } });
    expect(one.errors).toBeUndefined();
    const two = await graphql(strict.url, PAGE, { first: 100, filter: { clusters: [names[0], names[1]] } });
    expect(two.errors).toBeUndefined();

    const selector = Object.entries(fleet.cluster(names[0]!).labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    const bySelector = await graphql(strict.url, PAGE, { first: 100, filter: { clusterSelector: selector } });
    expect(bySelector.errors).toBeUndefined();
  });

  it("prices a root list that names one cluster for that cluster only", async () => {
    const query = `query ($c: String!) { resources(cluster: $c, apiVersion: "v1", kind: "Namespace", first: 240) { nodes } }`;
    const r = await graphql(strict.url, query, { c: names[0] }); // 240 x 1 cluster x (1 + 0)
    expect(r.errors).toBeUndefined();
    const pods = await graphql(
      strict.url,
      `
        {
          pods(first: 240) {
            totalCount
          }
        }
      `,
    ); // 240 x 3 x 1 = 720
    expect(pods.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", cost: 720 });
  });

  it("multiplies by the page size, including one given in a variable, and defaults to 100", async () => {
    const small = await graphql(strict.url, PAGE, { first: 80 });
    expect(small.errors).toBeUndefined(); // 80 x 3 x 2 = 480
    const big = await graphql(strict.url, PAGE, { first: 90 });
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", cost: 540 });
    const byDefault = await graphql(
      strict.url,
      `
        {
          pods {
            nodes {
              name
            }
          }
        }
      `,
    );
    expect(byDefault.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", cost: 600 });
    const last = await graphql(
      strict.url,
      `
        {
          pods(last: 10) {
            nodes {
              name
            }
          }
        }
      `,
    );
    expect(last.errors).toBeUndefined();
  });

  it("rejects nested lists over the default limit with the numbers written out", async () => {
    // 1000 x 3 x (1 + nodes (1 + node (1 + pods: one default page of 100 x (1 + nodes 1)))) = 3,000 x 203
    const r = await graphql(
      gateway.url,
      `
        {
          pods(first: 1000) {
            nodes {
              node {
                pods {
                  nodes {
                    name
                  }
                }
              }
            }
          }
        }
      `,
    );
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.message).toMatch(/^query cost 609,000 exceeds the limit of 50,000 by 559,000: /);
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      largestField: "Query.pods",
    });
  });

  it("prices Query.clusters by the clusters there are, not by its page size", async () => {
    const r = await graphql(
      strict.url,
      `
        {
          clusters(first: 1000) {
            nodes {
              name
              namespaces(first: 50) {
                nodes {
                  name
                }
              }
            }
          }
        }
      `,
    );
    // 3 x (1 + nodes (1 + namespaces: 50 x (1 + nodes 1))) = 306; by its page size it would be 102,000.
    expect(r.errors).toBeUndefined();
    expect((r.data as { clusters: { nodes: unknown[] } }).clusters.nodes).toHaveLength(3);
  });

  it("checks only the operation that runs", async () => {
    const response = await fetch(strict.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `query Big { pods(first: 1000) { nodes { name } } } query Small { pods(first: 1) { totalCount } }`,
        operationName: "Small",
      }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  });
});

describe("checkLimits without a transport", () => {
  const model = (clusters: number): CostModel => ({
    defaultPageSize: 100,
    clusterCount: () => clusters,
    clustersFor: (filter) => filter?.clusters?.length ?? clusters,
  });

  it("measures depth and cost for a document and its variables", () => {
    const document = parse(`query ($n: Int) { pods(first: $n) { nodes { name node { name } } } }`);
    const report = checkLimits(
      { schema: gateway.schema, document, variables: { n: 10 } },
      DEFAULT_QUERY_LIMITS,
      model(50),
    );
    // 10 x 50 x (1 + nodes (1 + node 1)) = 1,500; depth: pods > nodes > node > name = 4
    expect(report).toEqual({ depth: 4, cost: 1500, upstreamCalls: 0 });
  });

  it("prices each pod's log search per pod, and a merged log page once whatever the fleet", () => {
    const perPod = parse(`{ pods(first: 4) { nodes { logs(first: 5) { nodes { message } } } } }`);
    // 4 x 50 x (1 + nodes (1 + logs: 5 x (1 + nodes 1) + 100 per search)) = 200 x 112
    expect(
      checkLimits({ schema: gateway.schema, document: perPod }, DEFAULT_QUERY_LIMITS, model(50)),
    ).toEqual({
      depth: 5,
      cost: 22_400,
      // One search per pod: 4 x 50
      upstreamCalls: 200,
    });
    const merged = parse(`{ logs(first: 100) { nodes { message } } }`);
    // 100 x (1 + nodes 1), not multiplied by the 50 clusters the page merges
    expect(
      checkLimits({ schema: gateway.schema, document: merged }, DEFAULT_QUERY_LIMITS, model(50)),
    ).toEqual({
      depth: 3,
      cost: 200,
      upstreamCalls: 1,
    });
  });

  it("prices a mutation by the targets it writes", () => {
    const cost = (ids: number) =>
      checkLimits(
        {
          schema: gateway.schema,
          document: parse(
            `mutation ($ids: [ID!]!) { workloadScale(input: { ids: $ids, replicas: 1 }) { outcomes { status } userErrors { message } } }`,
          ),
          variables: { ids: Array.from({ length: ids }, (_, i) => `id-${i}`) },
        },
        DEFAULT_QUERY_LIMITS,
        model(50),
      );
    // 3 x (10 per write + outcomes 1 + userErrors 1)
    expect(cost(3)).toEqual({ depth: 3, cost: 36, upstreamCalls: 0 });
    expect(cost(30)).toEqual({ depth: 3, cost: 360, upstreamCalls: 0 });
  });

  it("returns the GraphQL error to send when a limit is broken", () => {
    const document = parse(`{ pods(first: 1000) { nodes { name } } }`);
    const error = checkLimits({ schema: gateway.schema, document }, DEFAULT_QUERY_LIMITS, model(50));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^query cost 100,000 exceeds the limit of 50,000 by 50,000/);
  });
});

describe("limits in the config file", () => {
  it("are optional, and each key left out keeps its default", () => {
    expect(parseConfig("port: 4000\n", "/etc/fleetgraph.yaml").limits).toBeUndefined();
    const config = parseConfig("limits:\n  maxCost: 2000\n", "/etc/fleetgraph.yaml");
    expect(resolveLimits(config.limits)).toEqual({ ...DEFAULT_QUERY_LIMITS, maxDepth: 12, maxCost: 2000 });
  });

  it("are validated with the line and field named", () => {
    let error: unknown;
    try {
      parseConfig("limits:\n  maxDepth: 0\n", "/etc/fleetgraph.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^\/etc\/fleetgraph\.yaml:2: limits\.maxDepth: /);
  });
});
