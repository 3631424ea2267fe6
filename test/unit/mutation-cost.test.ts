/** The query cost of mutations that write per cluster (manifestApply's documents, namespaceCreate's clusters, fleet workload groups), and of a group's instances. */
import {
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from "graphql";
import { describe, expect, it } from "vitest";
import { declaredBound, queryCost, type CostModel } from "../../src/limits/cost.js";
import { MAX_MANIFEST_BYTES, MAX_MANIFEST_DOCUMENTS } from "../../src/mutations/manifest.js";
import { MAX_MUTATION_TARGETS } from "../../src/mutations/targets.js";
import { MAX_GROUP_INSTANCES_PER_CLUSTER } from "../../src/query-service/fleet-workloads/fleet-workload.js";

const PER_TARGET = 10;
const FLEET = 7;

const payload = new GraphQLObjectType({ name: "Payload", fields: { ok: { type: GraphQLString } } });
const clusters = { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) };
const write = (
  name: string,
  fields: Record<string, { type: typeof GraphQLString | typeof clusters.type }>,
) => ({
  type: payload,
  args: { input: { type: new GraphQLNonNull(new GraphQLInputObjectType({ name, fields })) } },
  extensions: { perMutationTarget: PER_TARGET },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: "Query", fields: { ok: { type: GraphQLString } } }),
  mutation: new GraphQLObjectType({
    name: "Mutation",
    fields: {
      manifestApply: write("ManifestIn", {
        manifest: { type: GraphQLString },
        clusters,
        clusterSelector: { type: GraphQLString },
      }),
      workloadScale: write("ScaleIn", { groups: clusters, ids: clusters }),
      namespaceCreate: write("NamespaceIn", {
        name: { type: GraphQLString },
        cluster: { type: GraphQLString },
        clusters,
      }),
    },
  }),
});
const model: CostModel = { defaultPageSize: 100, clustersFor: () => FLEET, clusterCount: () => FLEET };

const INPUTS: Record<string, string> = {
  manifestApply: "ManifestIn",
  namespaceCreate: "NamespaceIn",
  workloadScale: "ScaleIn",
};

/** The cost of one mutation with a scalar payload: PER_TARGET per target written. */
function targets(field: string, input: Record<string, unknown>, costModel = model): number {
  const document = parse(`mutation ($input: ${INPUTS[field]}!) { ${field}(input: $input) { ok } }`);
  return queryCost({ schema, document, variables: { input } }, costModel).cost / PER_TARGET;
}

describe("the cost of per-cluster writes", () => {
  it("counts a manifest's documents as YAML delimits them ('---' and '...'), on each cluster", () => {
    expect(targets("manifestApply", { manifest: "a: 1\n---\nb: 2\n", clusters: ["x"] })).toBe(2);
    expect(targets("manifestApply", { manifest: "1\n...\n2\n", clusters: ["x", "y"] })).toBe(4);
    expect(targets("manifestApply", { manifest: "1\n...\n2\n...\n3\n", clusterSelector: "env=prod" })).toBe(
      3 * FLEET,
    );
  });

  it("prices a manifest past the document limit as one document more than the limit, without counting on", () => {
    const flood = "1\n...\n".repeat(Math.floor(MAX_MANIFEST_BYTES / 6));
    expect(targets("manifestApply", { manifest: flood, clusters: ["x"] })).toBe(MAX_MANIFEST_DOCUMENTS + 1);
    const huge = "a: 1\n".repeat(MAX_MANIFEST_BYTES / 4);
    expect(targets("manifestApply", { manifest: huge, clusters: ["x"] })).toBe(MAX_MANIFEST_DOCUMENTS + 1);
  });

  it("prices namespaceCreate per cluster of its clusters list", () => {
    expect(targets("namespaceCreate", { name: "n", clusters: ["a", "b", "c"] })).toBe(3);
    expect(targets("namespaceCreate", { name: "n", cluster: "a" })).toBe(1);
  });

  it("prices fleet workload groups as one instance on every cluster each", () => {
    expect(targets("workloadScale", { groups: ["g1", "g2"] })).toBe(2 * FLEET);
    expect(targets("workloadScale", { ids: ["a", "b", "c"] })).toBe(3);
  });

  it("prices a placement label's groups at the most instances each cluster may hold, up to the target limit", () => {
    const labelled = { ...model, groupInstancesPerCluster: MAX_GROUP_INSTANCES_PER_CLUSTER };
    expect(targets("workloadScale", { groups: ["g1"] }, labelled)).toBe(
      FLEET * MAX_GROUP_INSTANCES_PER_CLUSTER,
    );
    // More than the target limit is refused whole: never written, never priced past it.
    expect(targets("workloadScale", { groups: ["g1", "g2"] }, labelled)).toBe(MAX_MUTATION_TARGETS);
  });

  it("bounds a fleet workload's instances by the instances each cluster may hold", () => {
    const instances = { extensions: { maxItems: "groupInstances" } } as unknown as Parameters<
      typeof declaredBound
    >[0];
    expect(declaredBound(instances, model)).toBe(FLEET);
    const labelled = { ...model, groupInstancesPerCluster: MAX_GROUP_INSTANCES_PER_CLUSTER };
    expect(declaredBound(instances, labelled)).toBe(FLEET * MAX_GROUP_INSTANCES_PER_CLUSTER);
  });
});
