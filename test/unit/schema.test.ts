import { readFile } from "node:fs/promises";
import {
  assertValidSchema,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFleetgraphSchema, printFleetgraphSchema } from "../../schema/build.js";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildFleetgraphSchema();
});

describe("schema/schema.graphql", () => {
  it("is the schema the code builds (run `npm run schema:print` after changing the schema)", async () => {
    const committed = await readFile(new URL("../../schema/schema.graphql", import.meta.url), "utf8");
    const printed = printFleetgraphSchema(schema);
    expect(
      committed === printed,
      "schema/schema.graphql is stale: run `npm run schema:print` and commit the result",
    ).toBe(true);
  });

  it("prints deterministically", async () => {
    expect(printFleetgraphSchema(await buildFleetgraphSchema())).toBe(printFleetgraphSchema(schema));
  });
});

describe("schema shape", () => {
  it("is valid, with Relay's Node implemented by every object a client can refetch", () => {
    assertValidSchema(schema);
    const node = schema.getType("Node");
    expect(isInterfaceType(node)).toBe(true);
    const implementations = schema
      .getPossibleTypes(node as never)
      .map((t) => t.name)
      .sort();
    expect(implementations).toEqual([
      "Cluster",
      "ClusterNode",
      "CronJob",
      "DaemonSet",
      "Deployment",
      "Event",
      "Job",
      "Namespace",
      "Pod",
      "ReplicaSet",
      "Service",
      "StatefulSet",
    ]);
  });

  it("has the Workload interface with five implementations sharing its relations", () => {
    const workload = schema.getType("Workload");
    expect(isInterfaceType(workload)).toBe(true);
    const kinds = schema
      .getPossibleTypes(workload as never)
      .map((t) => t.name)
      .sort();
    expect(kinds).toEqual(["CronJob", "DaemonSet", "Deployment", "Job", "StatefulSet"]);
    for (const kind of kinds) {
      const fields = (schema.getType(kind) as GraphQLObjectType).getFields();
      expect(Object.keys(fields), kind).toEqual(
        expect.arrayContaining(["id", "pods", "owners", "conditions", "containers"]),
      );
    }
  });

  it("gives every list the same filter fields, ordering, Relay paging and consistency", () => {
    const query = schema.getQueryType()!.getFields();
    const lists = ["namespaces", "nodes", "workloads", "pods", "services", "events"];
    for (const name of lists) {
      const field = query[name]!;
      const args = field.args.map((a) => a.name).sort();
      expect(args, name).toEqual(["after", "before", "consistency", "filter", "first", "last", "orderBy"]);
      const filter = field.args.find((a) => a.name === "filter")!.type;
      expect(isInputObjectType(filter)).toBe(true);
      const filterFields = Object.keys((filter as never as { getFields(): object }).getFields());
      expect(filterFields, name).toEqual(
        expect.arrayContaining(["clusters", "clusterSelector", "labelSelector", "nameContains"]),
      );
      if (name !== "nodes") expect(filterFields, name).toContain("namespaces");
      const connection = field.type.toString().replace("!", "");
      const connectionType = schema.getType(connection);
      expect(isObjectType(connectionType)).toBe(true);
      expect(Object.keys((connectionType as GraphQLObjectType).getFields()).sort()).toEqual([
        "clusters",
        "edges",
        "nodes",
        "pageInfo",
        "totalCount",
      ]);
    }
    expect(query.pods!.args.find((a) => a.name === "orderBy")!.type.toString()).toBe("PodOrderBy");
    expect(schema.getType("Consistency")!.toString()).toBe("Consistency");
  });
});
