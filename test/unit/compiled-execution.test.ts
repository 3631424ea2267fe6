import { ANONYMOUS } from "../../auth/subject.js";
import { buildSchema, Kind, parse } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { Scope } from "../../src/cache/scope.js";
import { CompiledOperations } from "../../src/http/compiled-execution.js";
import { createRequestContext } from "../../src/request/context.js";
import { testGateway, type TestGateway } from "./read-service-fixtures.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await testGateway();
});

const context = () => createRequestContext(gw.services, ANONYMOUS, Scope.everything());
const PODS = `query Pods($first: Int, $ns: [String!]) {
  pods(first: $first, filter: { namespaces: $ns }, orderBy: { field: NAME }) {
    totalCount nodes { __typename id name phase } pageInfo { hasNextPage endCursor }
  }
  node(id: "UG9kL2V1LTEvbm9uZQ") { id }
}`;

describe("CompiledOperations", () => {
  it("runs the first use on graphql-js, compiles on the next, and both answer the same", async () => {
    const operations = new CompiledOperations(gw.schema);
    const document = parse(PODS);
    const variables = { first: 3, ns: ["shop"] };
    const first = await operations.execute(document, "Pods", context(), variables);
    expect(operations.isCompiled(document, "Pods")).toBe(false);
    const second = await operations.execute(document, "Pods", context(), variables);
    expect(operations.isCompiled(document, "Pods")).toBe(true);
    expect(first.errors).toBeUndefined();
    expect(JSON.parse(JSON.stringify(second))).toEqual(JSON.parse(JSON.stringify(first)));
    expect((first.data as { pods: { nodes: unknown[] } }).pods.nodes).toHaveLength(3);
  });

  it("never compiles a document used once", async () => {
    const operations = new CompiledOperations(gw.schema, { compileAfter: 3 });
    const document = parse(PODS);
    for (let i = 0; i < 3; i++) await operations.execute(document, "Pods", context(), { first: 1 });
    expect(operations.isCompiled(document, "Pods")).toBe(false);
    await operations.execute(document, "Pods", context(), { first: 1 });
    expect(operations.isCompiled(document, "Pods")).toBe(true);
  });

  it("refuses bad variables on both paths with errors that point at the variable's definition", async () => {
    for (const compileAfter of [0, 1]) {
      const operations = new CompiledOperations(gw.schema, { compileAfter });
      const result = await operations.execute(parse(PODS), "Pods", context(), { first: "ten" });
      expect(result.data).toBeUndefined();
      expect(result.errors).toHaveLength(1);
      const [error] = result.errors!;
      expect(error!.message).toMatch(/Variable "\$first" got invalid value "ten"/);
      // Apollo answers 400 BAD_USER_INPUT only for errors on a variable definition node.
      expect(error!.nodes?.[0]?.kind).toBe(Kind.VARIABLE_DEFINITION);
    }
  });

  it("answers an operation the document or the schema lacks with graphql-js's error, and keeps nothing", async () => {
    for (const compileAfter of [0, 1]) {
      const operations = new CompiledOperations(gw.schema, { compileAfter });
      const document = parse(`${PODS} subscription Delete { podChanges { type } }`);
      for (let i = 0; i < 3; i++) {
        const unknown = await operations.execute(document, "C", context(), {});
        expect(unknown.errors?.map((e) => e.message)).toEqual(['Unknown operation named "C".']);
        const mutation = await operations.execute(document, "Delete", context(), {});
        expect(mutation.errors?.map((e) => e.message)).toEqual([
          "a subscription is executed once per event, over graphql-ws: it cannot run as a single operation",
        ]);
      }
      expect(operations.isCompiled(document, "C")).toBe(false);
      expect(operations.isCompiled(document, "Delete")).toBe(false);
    }
  });

  it("fills in the default of an omitted non-null variable on the compiled path too (found by fuzzing)", async () => {
    const document = parse(`query Pods($first: Int = 2, $consistency: Consistency! = CACHED) {
      pods(first: $first, consistency: $consistency) { nodes { name } }
    }`);
    const operations = new CompiledOperations(gw.schema);
    const first = await operations.execute(document, "Pods", context(), {});
    const second = await operations.execute(document, "Pods", context(), {});
    expect(operations.isCompiled(document, "Pods")).toBe(true);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(JSON.parse(JSON.stringify(second))).toEqual(JSON.parse(JSON.stringify(first)));
    expect((second.data as { pods: { nodes: unknown[] } }).pods.nodes).toHaveLength(2);
    // A value given explicitly still wins over the default.
    const three = await operations.execute(document, "Pods", context(), { first: 3, consistency: "CACHED" });
    expect((three.data as { pods: { nodes: unknown[] } }).pods.nodes).toHaveLength(3);
  });

  it("answers variables graphql-jit refuses but graphql-js accepts, such as an input field's default (found by fuzzing)", async () => {
    const document = parse(
      `query Pods($order: PodOrder) { pods(first: 2, orderBy: $order) { nodes { name } } }`,
    );
    const operations = new CompiledOperations(gw.schema, { compileAfter: 0 });
    // `direction: OrderDirection! = ASC`: omitted, graphql-js fills it in.
    const omitted = await operations.execute(document, "Pods", context(), { order: { field: "NAME" } });
    expect(operations.isCompiled(document, "Pods")).toBe(true);
    expect(omitted.errors).toBeUndefined();
    const given = await operations.execute(document, "Pods", context(), {
      order: { field: "NAME", direction: "ASC" },
    });
    expect(JSON.parse(JSON.stringify(omitted))).toEqual(JSON.parse(JSON.stringify(given)));
  });

  it("gives every error of the compiled path extensions, as graphql-js does (Apollo reads their code)", async () => {
    const schema = buildSchema("type Query { fails: Int }");
    schema.getQueryType()!.getFields().fails!.resolve = () => {
      throw new Error("broken on purpose");
    };
    const operations = new CompiledOperations(schema, { compileAfter: 0 });
    const document = parse("{ fails }");
    const result = await operations.execute(document, undefined, {}, {});
    expect(operations.isCompiled(document)).toBe(true);
    expect(result.errors?.map((e) => [e.message, e.extensions, e.path])).toEqual([
      ["broken on purpose", {}, ["fails"]],
    ]);
  });
});
