/**
 * A request to the subgraph is limited and priced exactly like the same request to the plain
 * schema: the subgraph keeps every field's extensions, and `_entities` is priced per
 * representation (a union would otherwise cost nothing, and the router batches many at once).
 */
import { parse, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import {
  checkLimits,
  DEFAULT_QUERY_LIMITS,
  queryCost,
  queryUpstreamCalls,
  refusalReason,
  type CostModel,
} from "../../../src/limits/index.js";
import { buildFleetgraphSchema, buildFleetgraphSubgraph } from "../../../src/server/schema.js";

let plain: GraphQLSchema;
let subgraph: GraphQLSchema;
beforeAll(async () => {
  plain = await buildFleetgraphSchema();
  subgraph = await buildFleetgraphSubgraph(plain);
});

const model: CostModel = {
  defaultPageSize: 100,
  clusterCount: () => 12,
  clustersFor: (filter) => filter?.clusters?.length ?? 12,
};

const QUERIES = [
  "{ workloads(first: 20) { nodes { name pods { name containers { name } } events(first: 5) { nodes { reason } } } } }",
  "{ clusters { nodes { name summary { nodes } namespaces(first: 10) { nodes { name } } } } }",
  "{ pods(first: 50, consistency: STRONG) { nodes { name logs(first: 10) { entries { message } } } } }",
  '{ resources(cluster: "a", apiVersion: "v1", kind: "ConfigMap", first: 10) { nodes { name } } }',
  "{ workspaces { nodes { name namespaces { nodes { name } } } } }",
];

describe("the subgraph's limits", () => {
  it.each(QUERIES)("prices %s as the plain schema does", (source) => {
    const document = parse(source);
    const onPlain = queryCost({ schema: plain, document }, model);
    const onSubgraph = queryCost({ schema: subgraph, document }, model);
    expect(onSubgraph).toEqual(onPlain);
    expect(onPlain.cost).toBeGreaterThan(1);
    expect(queryUpstreamCalls({ schema: subgraph, document }, model)).toBe(
      queryUpstreamCalls({ schema: plain, document }, model),
    );
  });

  it("prices _entities per representation, with what each one selects", () => {
    const entities = () =>
      parse(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Deployment { name pods { name } } } }`,
      );
    const representations = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ __typename: "Deployment", id: `id-${i}` }));
    const one = queryCost(
      { schema: subgraph, document: entities(), variables: { r: representations(1) } },
      model,
    );
    const many = queryCost(
      { schema: subgraph, document: entities(), variables: { r: representations(500) } },
      model,
    );
    expect(one.cost).toBeGreaterThan(1);
    expect(many.cost).toBe(one.cost * 500);
    expect(many.largest).toEqual({ field: "Query._entities", items: 500, why: "500 representations" });
  });

  it("refuses more representations than Query.nodes takes ids, counted as a refusal", () => {
    const document = parse(`query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`);
    const representations = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ __typename: "Deployment", id: `id-${i}` }));
    // Priced far under maxCost either way: the cap, not the price, refuses the larger batch.
    const atCap = checkLimits(
      { schema: subgraph, document, variables: { r: representations(1000) } },
      DEFAULT_QUERY_LIMITS,
      model,
    );
    expect(atCap).not.toBeInstanceOf(Error);
    const over = checkLimits(
      { schema: subgraph, document, variables: { r: representations(1001) } },
      DEFAULT_QUERY_LIMITS,
      model,
    );
    expect(over).toBeInstanceOf(Error);
    const error = over as Error & { extensions: Record<string, unknown> };
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", representations: 1001, limit: 1000 });
    expect(refusalReason(error)).toBe("representations");
  });

  it("prices WorkloadSelection.workloads as the fleet-wide list it is", () => {
    const source = (type: string) =>
      type === "Query"
        ? "{ workloads(first: 10) { nodes { name } } }"
        : `query ($r: [_Any!]!) { _entities(representations: $r) { ... on WorkloadSelection { workloads(first: 10) { nodes { name } } } } }`;
    const root = queryCost({ schema: subgraph, document: parse(source("Query")) }, model);
    const selection = queryCost(
      {
        schema: subgraph,
        document: parse(source("WorkloadSelection")),
        variables: { r: [{ __typename: "WorkloadSelection", labelSelector: "team=a" }] },
      },
      model,
    );
    // One representation of a list over 12 clusters: the root list's price, plus the entity itself.
    expect(selection.cost).toBe(root.cost + 1);
  });
});
