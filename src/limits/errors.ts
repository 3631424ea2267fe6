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

/** An argument or variable that does not fit its type, found while pricing the operation. */
export function badArgumentError(reason: string): GraphQLError {
  return new GraphQLError(`${reason} The operation was not run: correct the argument or its variable.`, {
    extensions: { code: "BAD_USER_INPUT", http: badRequest },
  });
}

/**
 * Federation's `_entities` got more representations than one call resolves (the cap of
 * `Query.nodes`): refused before anything runs, however cheap each one is priced.
 */
export function tooManyRepresentationsError(count: number, limit: number): GraphQLError {
  return new GraphQLError(
    `"_entities" takes at most ${number(limit)} representations, got ${number(count)}: ` +
      `send them in batches of ${number(limit)} or fewer (the router's batch size)`,
    { extensions: { code: "BAD_USER_INPUT", representations: count, limit, http: badRequest } },
  );
}

/** The query has so many fields that measuring its cost was stopped. */
export function tooManyFieldsError(limit: number): GraphQLError {
  return new GraphQLError(
    `query has more than ${number(limit)} fields, fragments and inline fragments to evaluate: split the query`,
    { extensions: { code: QUERY_TOO_COMPLEX, limit, http: badRequest } },
  );
}

export const TOO_MANY_ALIASES = "TOO_MANY_ALIASES";
export const TOO_MANY_ROOT_FIELDS = "TOO_MANY_ROOT_FIELDS";
export const TOO_MANY_UPSTREAM_CALLS = "TOO_MANY_UPSTREAM_CALLS";
export const QUERY_TOO_LARGE = "QUERY_TOO_LARGE";
export const VARIABLES_TOO_LARGE = "VARIABLES_TOO_LARGE";
export const REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE";
export const REQUEST_TIMEOUT = "REQUEST_TIMEOUT";
export const RATE_LIMITED = "RATE_LIMITED";

/**
 * Why a request was refused, by its error's code: the `reason` label of
 * fleetgraph_requests_refused_total (docs/telemetry.md). Codes not listed are not refusals.
 */
export const REFUSAL_REASONS: Readonly<Record<string, RefusalReason>> = Object.freeze({
  [QUERY_TOO_DEEP]: "depth",
  [QUERY_TOO_COMPLEX]: "cost",
  [TOO_MANY_ALIASES]: "aliases",
  [TOO_MANY_ROOT_FIELDS]: "root_fields",
  [TOO_MANY_UPSTREAM_CALLS]: "upstream_calls",
  [QUERY_TOO_LARGE]: "tokens",
  [VARIABLES_TOO_LARGE]: "variables_size",
  [REQUEST_TOO_LARGE]: "body_size",
  [REQUEST_TIMEOUT]: "deadline",
  [RATE_LIMITED]: "rate_limit",
  // Production mode and trusted documents (src/http/introspection.ts, src/trusted-documents/).
  INTROSPECTION_DISABLED: "introspection",
  OPERATION_NOT_TRUSTED: "untrusted_document",
  PERSISTED_QUERY_NOT_FOUND: "untrusted_document",
});

export type RefusalReason =
  | "depth"
  | "cost"
  | "aliases"
  | "root_fields"
  | "upstream_calls"
  | "tokens"
  | "variables_size"
  | "body_size"
  | "deadline"
  | "rate_limit"
  | "introspection"
  | "untrusted_document"
  | "representations";

/** The reason a refusal is counted under, or undefined when `error` is not one of the limits'. */
export function refusalReason(error: {
  extensions?: { code?: unknown } | undefined;
}): RefusalReason | undefined {
  const code = error.extensions?.code;
  // BAD_USER_INPUT is not a refusal, except for too many `_entities` representations.
  if (
    code === "BAD_USER_INPUT" &&
    typeof (error.extensions as { representations?: unknown }).representations === "number"
  )
    return "representations";
  return typeof code === "string" ? REFUSAL_REASONS[code] : undefined;
}

/** "<what> N exceeds the limit of L by D: <advice>", with `key: N` and `limit` in the extensions. */
function overLimit(code: string, what: string, key: string, measured: number, limit: number, advice: string) {
  return new GraphQLError(
    `${what} ${number(measured)} exceeds the limit of ${number(limit)} by ${number(measured - limit)}: ${advice}`,
    { extensions: { code, [key]: measured, limit, http: badRequest } },
  );
}

export function tooManyAliasesError(aliases: number, limit: number): GraphQLError {
  return overLimit(
    TOO_MANY_ALIASES,
    "aliases",
    "aliases",
    aliases,
    limit,
    "ask for each field once, or split the query",
  );
}

export function tooManyRootFieldsError(fields: number, limit: number): GraphQLError {
  return overLimit(
    TOO_MANY_ROOT_FIELDS,
    "root fields",
    "rootFields",
    fields,
    limit,
    "split the query into several requests",
  );
}

export function tooManyUpstreamCallsError(calls: number, limit: number): GraphQLError {
  return overLimit(
    TOO_MANY_UPSTREAM_CALLS,
    "upstream calls",
    "upstreamCalls",
    calls,
    limit,
    "STRONG lists, resources and per-object log searches call the clusters' API servers and log stores; " +
      "read from the caches (consistency CACHED), select fewer clusters, or ask for fewer of them at once",
  );
}

/** The lexer stops one token past the limit, so the error says "more than", not by how much. */
export function queryTooLargeError(limit: number): GraphQLError {
  return new GraphQLError(
    `the query document has more than ${number(limit)} tokens (names, punctuation, values): send a shorter document`,
    { extensions: { code: QUERY_TOO_LARGE, limit, http: badRequest } },
  );
}

export function variablesTooLargeError(bytes: number, limit: number): GraphQLError {
  return new GraphQLError(
    `variables of ${number(bytes)} bytes (as JSON) exceed the limit of ${number(limit)} by ${number(bytes - limit)}: send smaller variables`,
    { extensions: { code: VARIABLES_TOO_LARGE, bytes, limit, http: badRequest } },
  );
}
