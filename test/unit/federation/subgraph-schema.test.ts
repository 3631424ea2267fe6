import { readFile } from "node:fs/promises";
import { assertValidSchema, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildFleetgraphSchema,
  buildFleetgraphSubgraph,
  printFleetgraphSubgraph,
} from "../../../src/server/schema.js";

let schema: GraphQLSchema;
let subgraph: GraphQLSchema;
beforeAll(async () => {
  schema = await buildFleetgraphSchema();
  subgraph = await buildFleetgraphSubgraph(schema);
});

describe("schema/subgraph.graphql", () => {
  it("is the subgraph SDL the code builds (run `npm run schema:print` after changing the schema)", async () => {
    const printed = printFleetgraphSubgraph(subgraph);
    const committed = await readFile(new URL("../../../schema/subgraph.graphql", import.meta.url), "utf8");
    expect(
      committed === printed,
      "schema/subgraph.graphql is stale: run `npm run schema:print` and commit the result",
    ).toBe(true);
  });
});

describe("the subgraph schema", () => {
  it("is valid and has the federation fields", () => {
    assertValidSchema(subgraph);
    const query = subgraph.getQueryType()!.getFields();
    expect(Object.keys(query)).toEqual(
      expect.arrayContaining(["_service", "_entities", "workloads", "node"]),
    );
  });
});
