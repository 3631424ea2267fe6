import { readFile } from "node:fs/promises";
import {
  assertValidSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  type GraphQLSchema,
} from "graphql";
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

/** Every argument's and input field's default, and every enum value's internal value, by path. */
function defaultsOf(target: GraphQLSchema): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const type of Object.values(target.getTypeMap())) {
    if (isIntrospectionType(type)) continue;
    if (isObjectType(type) || isInterfaceType(type))
      for (const field of Object.values(type.getFields()))
        for (const arg of field.args) found.set(`${type.name}.${field.name}(${arg.name})`, arg.defaultValue);
    if (isInputObjectType(type))
      for (const field of Object.values(type.getFields()))
        found.set(`${type.name}.${field.name}`, field.defaultValue);
    if (isEnumType(type))
      for (const value of type.getValues()) found.set(`${type.name}.${value.name}`, value.value);
  }
  return found;
}

describe("the subgraph's arguments, input fields and enums", () => {
  it("have the plain schema's defaults and internal values, every one", () => {
    const plain = defaultsOf(schema);
    const federated = defaultsOf(subgraph);
    // Defaults exist, and some enums' internal values are not their names (what SDL alone gives).
    expect([...plain.values()].filter((v) => typeof v === "number").length).toBeGreaterThan(0);
    expect([...plain].some(([path, v]) => typeof v === "string" && !path.endsWith(`.${v}`))).toBe(true);
    for (const [path, value] of plain) expect(federated.get(path), path).toEqual(value);
    // The subgraph adds only the federation's own (`_entities`, `_service`, link's enums).
    const added = [...federated.keys()].filter((path) => !plain.has(path));
    expect(
      added.every((path) => /^(Query\._entities|link__Purpose)/.test(path)),
      added.join(", "),
    ).toBe(true);
  });
});
