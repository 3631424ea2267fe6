/**
 * The executable schema: type-graphql classes + resolvers. Validation is off (no class-validator:
 * arguments are checked where they are used, with Kubernetes' own grammar) and nothing is
 * written to disk here; src/server/print-schema.ts prints the SDL.
 */
import "reflect-metadata";
import {
  isAbstractType,
  lexicographicSortSchema,
  graphqlSync,
  printSchema,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { FLEETGRAPH_ENTITIES } from "../../resolvers/entities.js";
import { RESOLVERS } from "../../resolvers/index.js";
import { WorkloadSelection } from "../../schema/workload-selection.js";
import { toSubgraphSchema } from "../federation/subgraph-schema.js";
import { resolveUsageFields } from "../../resolvers/metrics.js";
import { resolveRootFieldsDirectly } from "./direct-root-fields.js";

export async function buildFleetgraphSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...RESOLVERS],
    // Reached only through `_entities` in subgraph mode (docs/federation.md): no field returns it.
    orphanedTypes: [WorkloadSelection],
    validate: false,
    pubSub: NO_TOPICS,
  });
  resolveRootFieldsDirectly(schema, RESOLVERS);
  resolveUsageFields(schema);
  // type-graphql resolves interface values by `instanceof` or through an async wrapper of the
  // decorator's resolveType; the gateway's executor (graphql-jit) resolves abstract types
  // synchronously. Every value of an abstract type carries its __typename (resolvers/views.ts).
  for (const type of Object.values(schema.getTypeMap()))
    if (isAbstractType(type)) type.resolveType = typenameOf;
  return schema;
}

/**
 * type-graphql insists on a PubSub once a schema has subscriptions, but every subscription here
 * brings its own `subscribe` (the change feed): topics are never used.
 */
const NO_TOPICS: PubSub = {
  publish() {
    throw new Error("subscriptions read the change feed; nothing is published by topic");
  },
  subscribe() {
    throw new Error("subscriptions read the change feed; nothing is subscribed by topic");
  },
};

const typenameOf: GraphQLTypeResolver<unknown, unknown> = (value) =>
  typeof value === "object" && value !== null && "__typename" in value && typeof value.__typename === "string"
    ? value.__typename
    : undefined;

/** The SDL as committed in schema/schema.graphql: sorted, so it only changes when the schema does. */
export function printFleetgraphSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + "\n";
}

/** The same schema as an Apollo Federation 2 subgraph (docs/federation.md). */
export async function buildFleetgraphSubgraph(schema?: GraphQLSchema): Promise<GraphQLSchema> {
  return toSubgraphSchema(schema ?? (await buildFleetgraphSchema()), FLEETGRAPH_ENTITIES);
}

/** The subgraph SDL as committed in schema/subgraph.graphql: what `_service { sdl }` answers. */
export function printFleetgraphSubgraph(subgraph: GraphQLSchema): string {
  const result = graphqlSync({ schema: subgraph, source: "{ _service { sdl } }" });
  const sdl = (result.data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (typeof sdl !== "string") throw new Error(`the subgraph answered no SDL: ${String(result.errors?.[0])}`);
  return sdl.trimEnd() + "\n";
}
