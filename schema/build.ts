/**
 * The executable schema: type-graphql classes + resolvers. Validation is off (no class-validator:
 * arguments are checked where they are used, with Kubernetes' own grammar) and nothing is
 * written to disk here; scripts/print-schema.ts prints the SDL.
 */
import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { RESOLVERS } from "../resolvers/index.js";

export function buildFleetgraphSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: [...RESOLVERS], validate: false });
}

/** The SDL as committed in schema/schema.graphql: sorted, so it only changes when the schema does. */
export function printFleetgraphSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + "\n";
}
