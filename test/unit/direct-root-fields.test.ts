import "reflect-metadata";
import { graphql } from "graphql";
import { Arg, Ctx, Field, InputType, Int, Query, Resolver, UseMiddleware, buildSchema } from "type-graphql";
import { describe, expect, it } from "vitest";
import { resolveRootFieldsDirectly, UnsupportedRootFieldError } from "../../src/server/direct-root-fields.js";

@InputType()
class EchoFilter {
  @Field(() => [String], { nullable: true })
  names?: string[];

  @Field(() => Int, { defaultValue: 3 })
  limit!: number;
}

@Resolver()
class EchoResolver {
  @Query(() => String)
  echo(
    @Arg("filter", () => EchoFilter) filter: EchoFilter,
    @Arg("note", () => String, { nullable: true }) note: string | null | undefined,
    @Ctx() ctx: { caller: string },
  ): string {
    return JSON.stringify({
      instance: filter instanceof EchoFilter,
      names: filter.names,
      limit: filter.limit,
      note: note ?? "none",
      caller: ctx.caller,
    });
  }
}

@Resolver()
class GuardedResolver {
  @Query(() => String)
  @UseMiddleware((_data, next) => next())
  guarded(): string {
    return "x";
  }
}

describe("resolveRootFieldsDirectly", () => {
  it("calls the decorated method with graphql-js's coerced arguments and the context", async () => {
    const schema = await buildSchema({ resolvers: [EchoResolver], validate: false });
    resolveRootFieldsDirectly(schema, [EchoResolver]);
    const result = await graphql({
      schema,
      source: `query($n: [String!]) { echo(filter: { names: $n }) }`,
      variableValues: { n: ["a", "b"] },
      contextValue: { caller: "alice" },
    });
    expect(result.errors).toBeUndefined();
    // Not copied into an EchoFilter (that copy is what is skipped); the schema's default applied.
    expect(JSON.parse(result.data!.echo as string)).toEqual({
      instance: false,
      names: ["a", "b"],
      limit: 3,
      note: "none",
      caller: "alice",
    });
  });

  it("refuses a root field with a middleware instead of skipping it", async () => {
    const schema = await buildSchema({ resolvers: [GuardedResolver], validate: false });
    expect(() => resolveRootFieldsDirectly(schema, [GuardedResolver])).toThrow(UnsupportedRootFieldError);
    expect(() => resolveRootFieldsDirectly(schema, [GuardedResolver])).toThrow(/middlewares/);
  });
});
