/**
 * The errors of an over-limit query. Each says which limit, the measured value and by how much it
 * is over, and what to change; `extensions.http` makes Apollo answer 400 (the query is at fault).
 */
import { GraphQLError } from "graphql";
import type { CostFactor } from "./cost.js";

export const QUERY_TOO_DEEP = "QUERY_TOO_DEEP";
export const QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX";

const number = (n: number) => n.toLocaleString("en-US");
/** Read (and removed) by Apollo Server; graphql-ws callers should drop it. */
const badRequest = { status: 400 };

export function queryTooDeepError(depth: number, limit: number): GraphQLError {
  return new GraphQLError(
    `query depth ${number(depth)} exceeds the limit of ${number(limit)} by ${number(depth - limit)}: ` +
      `nest fewer selections, or split the query`,
    { extensions: { code: QUERY_TOO_DEEP, depth, limit, http: badRequest } },
  );
}

export function queryTooComplexError(cost: number, limit: number, largest?: CostFactor): GraphQLError {
  const culprit = largest
    ? ` The largest factor is ${largest.field}: ${number(largest.items)} items per parent (${largest.why}).`
    : "";
  return new GraphQLError(
    `query cost ${number(cost)} exceeds the limit of ${number(limit)} by ${number(cost - limit)}: ` +
      `ask for smaller pages (first/last), fewer clusters (filter.clusters or filter.clusterSelector) ` +
      `or fewer nested lists.${culprit}`,
    {
      extensions: {
        code: QUERY_TOO_COMPLEX,
        cost,
        limit,
        ...(largest ? { largestField: largest.field } : {}),
        http: badRequest,
      },
    },
  );
}

/** The query has so many fields that measuring its cost was stopped. */
export function tooManyFieldsError(limit: number): GraphQLError {
  return new GraphQLError(
    `query has more than ${number(limit)} fields, fragments and inline fragments to evaluate: split the query`,
    { extensions: { code: QUERY_TOO_COMPLEX, limit, http: badRequest } },
  );
}
