/**
 * Composition is part of the test command: Fleetgraph's subgraph SDL (as the code builds it, and as
 * committed) composes with the example teams subgraph, so a schema change that breaks the
 * supergraph fails CI. Also: the Workload entity interface lets another subgraph extend every
 * workload kind at once with @interfaceObject (Federation 2.3), which composition accepts.
 */
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { composeSupergraph } from "../../../examples/teams-subgraph/supergraph.js";
import { TEAMS_SDL } from "../../../examples/teams-subgraph/teams-subgraph.js";
import { buildFleetgraphSubgraph, printFleetgraphSubgraph } from "../../../src/server/schema.js";

let fleetgraphSdl: string;
beforeAll(async () => {
  fleetgraphSdl = printFleetgraphSubgraph(await buildFleetgraphSubgraph());
});

const compose = (fleetgraph: string, other: string) =>
  composeSupergraph([
    { name: "fleetgraph", sdl: fleetgraph, url: "http://fleetgraph.test/graphql" },
    { name: "teams", sdl: other, url: "http://teams.test/graphql" },
  ]);

describe("the supergraph", () => {
  it("composes from Fleetgraph's subgraph SDL and the example teams subgraph", async () => {
    const supergraph = compose(fleetgraphSdl, TEAMS_SDL);
    // Both subgraphs' fields, joined: Team from teams, owner on a workload kind, the selection's list.
    expect(supergraph).toMatch(/type Team @join__type\(graph: TEAMS, key: "name"\)/);
    expect(
      supergraph.match(/owner: Team @join__field\(graph: TEAMS, requires: "labels\{key value\}"\)/g),
    ).toHaveLength(5);
    expect(supergraph).toMatch(
      /type WorkloadSelection @join__type\(graph: FLEETGRAPH, key: "labelSelector"\)/,
    );
    // The committed SDL composes too (what a router's operator would use).
    const committed = await readFile(new URL("../../../schema/subgraph.graphql", import.meta.url), "utf8");
    expect(() => compose(committed, TEAMS_SDL)).not.toThrow();
  });

  it("fails when a subgraph contradicts Fleetgraph's schema (composition is checked, not assumed)", () => {
    const contradicting = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Query { teams: [String!]! }
      type Cluster @key(fields: "name") { name: Int! }`;
    expect(() => compose(fleetgraphSdl, contradicting)).toThrow(/composition failed/);
  });

  it("composes with a Relay-style subgraph that defines PageInfo and Label too (both @shareable)", () => {
    const relay = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
      type Query { catalogEntries(first: Int, after: String): ServiceEntryConnection! }
      type ServiceEntryConnection { edges: [ServiceEntryEdge!]! pageInfo: PageInfo! }
      type ServiceEntryEdge { cursor: String! node: ServiceEntry! }
      type ServiceEntry @key(fields: "slug") { slug: ID! labels: [Label!]! }
      type PageInfo @shareable {
        hasNextPage: Boolean!
        hasPreviousPage: Boolean!
        startCursor: String
        endCursor: String
      }
      type Label @shareable { key: String! value: String! }`;
    const supergraph = compose(fleetgraphSdl, relay);
    expect(supergraph).toMatch(/type PageInfo @join__type\(graph: FLEETGRAPH\) @join__type\(graph: TEAMS\)/);
    expect(supergraph).toMatch(/type Label @join__type\(graph: FLEETGRAPH\) @join__type\(graph: TEAMS\)/);
  });

  it("refuses a second Query.node: the Relay root fields are Fleetgraph's (docs/federation.md)", () => {
    const relayRoot = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      interface Node { id: ID! }
      type Query { node(id: ID!): Node }
      type ServiceEntry implements Node @key(fields: "id") { id: ID! slug: String! }`;
    expect(() => compose(fleetgraphSdl, relayRoot)).toThrow(/Query\.node/);
  });

  it("accepts another subgraph extending every workload kind through the Workload entity interface", () => {
    const interfaceObject = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
      type Query { costCentres: [String!]! }
      type Workload @key(fields: "id") @interfaceObject { id: ID! costCentre: String }`;
    const supergraph = compose(fleetgraphSdl, interfaceObject);
    expect(supergraph).toMatch(
      /interface Workload[^{]*@join__type\(graph: TEAMS, key: "id", isInterfaceObject: true\)/,
    );
  });
});
