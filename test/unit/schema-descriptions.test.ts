/**
 * Every type, field, argument, input field and enum value of the public schema has a
 * description written for a dashboard author: the explorer and generated clients show them.
 */
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFleetgraphSchema } from "../../src/server/schema.js";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildFleetgraphSchema();
});

/** Every schema element without a description, as "Type", "Type.field", "Type.field(arg)", "Enum.VALUE". */
function undocumented(s: GraphQLSchema): string[] {
  const missing: string[] = [];
  const blank = (text: string | null | undefined) =>
    text === null || text === undefined || text.trim() === "";
  for (const type of Object.values(s.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    // The root operation types and graphql-scalars' scalars are described by the spec and the library.
    const isRoot =
      type === s.getQueryType() || type === s.getMutationType() || type === s.getSubscriptionType();
    if (!isRoot && blank(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args)
          if (blank(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues())
        if (blank(value.description)) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing.sort();
}

describe("schema documentation", () => {
  it("describes every type, field, argument, input field and enum value", () => {
    expect(undocumented(schema)).toEqual([]);
  });

  it("would notice a missing description (the check itself works)", async () => {
    const { buildSchema } = await import("graphql");
    const bare = buildSchema(`"""Q""" type Query { """f""" f(a: Int): E }  enum E { """x""" X Y }`);
    expect(undocumented(bare)).toEqual(["E", "E.Y", "Query.f(a)"]);
  });
});
