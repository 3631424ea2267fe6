/**
 * Typed service errors -> GraphQL errors with a machine-readable `extensions.code`. Applied to
 * the Query resolvers (where arguments enter), not globally: field resolvers of a page of 100
 * pods should not each pay for a middleware.
 */
import { GraphQLError } from "graphql";
import type { MiddlewareFn } from "type-graphql";
import { QueryInputError } from "../src/cache/query/index.js";
import { ConsistencyUnavailableError } from "../src/query-service/index.js";

export function toGraphQLError(error: unknown): unknown {
  if (error instanceof QueryInputError) {
    return new GraphQLError(error.message, {
      originalError: error,
      extensions: { code: "BAD_USER_INPUT", argument: error.field },
    });
  }
  if (error instanceof ConsistencyUnavailableError) {
    return new GraphQLError(error.message, { originalError: error, extensions: { code: error.code } });
  }
  return error;
}

export const InputErrors: MiddlewareFn = async (_data, next) => {
  try {
    return (await next()) as unknown;
  } catch (error) {
    throw toGraphQLError(error);
  }
};
