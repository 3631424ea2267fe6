import { readFile } from "node:fs/promises";
import {
  assertValidSchema,
  getNamedType,
  getNullableType,
  isListType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { KINDS } from "../../src/kinds/index.js";
import { buildFleetgraphSchema, printFleetgraphSchema } from "../../src/server/schema.js";

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
    expect(implementations).toEqual(
      expect.arrayContaining([
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
        "Workspace",
      ]),
    );
    // Exactly the clusters, the workspaces, the fleet workloads and one type per cached kind (kinds are data).
    expect(implementations).toEqual(
      ["Cluster", "FleetWorkload", "Workspace", ...KINDS.map((k) => k.graphqlType)].sort(),
    );
  });

  it("has every cached kind's type implement KubeObject, with the fields every object shares", () => {
    const kubeObject = schema.getType("KubeObject");
    expect(isInterfaceType(kubeObject)).toBe(true);
    const types = schema
      .getPossibleTypes(kubeObject as never)
      .map((t) => t.name)
      .sort();
    expect(types).toEqual(KINDS.map((k) => k.graphqlType).sort());
    const namespaced = schema
      .getPossibleTypes(schema.getType("NamespacedObject") as never)
      .map((t) => t.name);
    for (const kind of KINDS) {
      expect(namespaced.includes(kind.graphqlType), kind.kind).toBe(kind.path.namespaced);
      const fields = (schema.getType(kind.graphqlType) as GraphQLObjectType).getFields();
      expect(fields.cluster!.type.toString(), kind.kind).toBe("Cluster!");
      expect(fields.clusterName!.type.toString(), kind.kind).toBe("String!");
      expect(fields.labels!.type.toString(), kind.kind).toBe("[Label!]!");
      expect(fields.label!.type.toString(), kind.kind).toBe("String");
      expect(fields.createdAt!.type.toString(), kind.kind).toBe("DateTime!");
      expect(fields.events!.type.toString(), kind.kind).toBe("EventConnection!");
      if (kind.path.namespaced) {
        expect(fields.namespace!.type.toString(), kind.kind).toBe("Namespace");
        expect(fields.namespaceName!.type.toString(), kind.kind).toBe("String!");
        expect(fields.workspace!.type.toString(), kind.kind).toBe("Workspace");
      }
    }
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
        expect.arrayContaining([
          "id",
          "pods",
          "owners",
          "conditions",
          "containers",
          "replicas",
          "status",
          "events",
          "cluster",
          "namespace",
        ]),
      );
    }
  });

  it("gives every list the same filter fields, ordering, Relay paging and consistency", () => {
    const query = schema.getQueryType()!.getFields();
    const lists = ["namespaces", "clusterNodes", "workloads", "pods", "services", "events"];
    for (const name of lists) {
      const field = query[name]!;
      const args = field.args.map((a) => a.name).sort();
      expect(args, name).toEqual(["after", "before", "consistency", "filter", "first", "last", "orderBy"]);
      const filter = field.args.find((a) => a.name === "filter")!.type;
      expect(isInputObjectType(filter)).toBe(true);
      const filterFields = Object.keys((filter as never as { getFields(): object }).getFields());
      expect(filterFields, name).toEqual(
        expect.arrayContaining([
          "clusters",
          "clusterSelector",
          "labelSelector",
          "nameContains",
          "workspaces",
        ]),
      );
      if (name !== "clusterNodes") expect(filterFields, name).toContain("namespaces");
      const connection = field.type.toString().replace("!", "");
      const connectionType = schema.getType(connection);
      expect(isObjectType(connectionType)).toBe(true);
      const connectionFields = (connectionType as GraphQLObjectType).getFields();
      expect(Object.keys(connectionFields).sort()).toEqual([
        "edges",
        "nodes",
        "outcomes",
        "pageInfo",
        "totalCount",
        "watchCursor",
      ]);
      expect(connectionFields.outcomes!.type.toString(), name).toBe("[ClusterOutcome!]!");
      // Null when it cannot be known (a STRONG read that a cluster failed).
      expect(connectionFields.totalCount!.type.toString(), name).toBe("Int");
      // Each type has its own order: PodOrder { field: PodOrderField, direction }.
      const orderBy = field.args.find((a) => a.name === "orderBy")!.type.toString();
      expect(orderBy, name).toMatch(/^[A-Za-z]+Order$/);
    }
    expect(query.pods!.args.find((a) => a.name === "orderBy")!.type.toString()).toBe("PodOrder");
    expect(schema.getType("OrderBy")).toBeUndefined();
    expect(schema.getType("OrderField")).toBeUndefined();
    expect(schema.getType("Consistency")!.toString()).toBe("Consistency");
    // Query.nodes is Relay's batch refetch; the Kubernetes node list is clusterNodes.
    expect(query.nodes!.args.map((a) => a.name)).toEqual(["ids"]);
    expect(query.nodes!.type.toString()).toBe("[Node]!");
  });

  it("makes every to-many relation a connection with paging, a filter and an order", () => {
    const relations: [string, string, string][] = [
      ["Namespace", "pods", "PodConnection!"],
      ["Namespace", "workloads", "WorkloadConnection!"],
      ["Cluster", "namespaces", "NamespaceConnection!"],
      ["Cluster", "nodes", "ClusterNodeConnection!"],
      ["Cluster", "workloads", "WorkloadConnection!"],
      ["Cluster", "pods", "PodConnection!"],
      ["Cluster", "services", "ServiceConnection!"],
      ["ClusterNode", "pods", "PodConnection!"],
      ["Service", "pods", "PodConnection!"],
      ["Workload", "pods", "PodConnection!"],
      ["Deployment", "pods", "PodConnection!"],
      ["Deployment", "revisions", "ReplicaSetConnection!"],
      ["Cluster", "workspaces", "WorkspaceConnection!"],
      ["Workspace", "namespaces", "NamespaceConnection!"],
      ["PersistentVolumeClaim", "pods", "PodConnection!"],
      ["StorageClass", "persistentVolumeClaims", "PersistentVolumeClaimConnection!"],
      ["Pod", "events", "EventConnection!"],
    ];
    for (const [type, name, connection] of relations) {
      const field = (schema.getType(type) as GraphQLObjectType).getFields()[name]!;
      expect(field.type.toString(), `${type}.${name}`).toBe(connection);
      const args = field.args.map((a) => a.name);
      expect(args, `${type}.${name}`).toEqual(
        expect.arrayContaining(["first", "after", "last", "before", "orderBy"]),
      );
      if (name !== "revisions") expect(args, `${type}.${name}`).toContain("filter");
    }
  });

  it("has no unbounded list of objects: a list of Nodes is a connection's page or declares its bound", () => {
    const unbounded: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      if (type.name.startsWith("__") || type.name.endsWith("Connection") || type === schema.getQueryType())
        continue;
      for (const field of Object.values(type.getFields())) {
        const nullable = getNullableType(field.type);
        if (!isListType(nullable)) continue;
        const item = getNamedType(field.type);
        const isNode = (isObjectType(item) || isInterfaceType(item)) && "id" in item.getFields();
        const bound = (field.extensions as { maxItems?: unknown }).maxItems;
        if (isNode && typeof bound !== "number" && bound !== "clusters" && bound !== "groupInstances") {
          unbounded.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(unbounded).toEqual([]);
  });
});
