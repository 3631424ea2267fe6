/**
 * Limits checked on what a request carries before it is parsed: the tokens of its document
 * (graphql-js's lexer, which its parser's `maxTokens` option also counts with) and the size of
 * its variables. Parsing a huge document costs the gateway before any other limit can be judged.
 */
import { GraphQLError, Lexer, Source, TokenKind } from "graphql";
import type { QueryLimits } from "./check.js";
import { queryTooLargeError, variablesTooLargeError } from "./errors.js";

/**
 * Tokens of `query`, counted up to one past `max` (then the count stops). A document that does
 * not lex is counted up to its error: the parser reports it.
 */
export function countTokens(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  return count;
}

/** The error of the first limit the request's document or variables break, else undefined. */
export function checkSource(
  query: string | undefined,
  variables: Record<string, unknown> | undefined,
  limits: Pick<QueryLimits, "maxTokens" | "maxVariablesBytes">,
): GraphQLError | undefined {
  // Every token takes at least one character: a shorter document cannot be over.
  if (
    query !== undefined &&
    query.length > limits.maxTokens &&
    countTokens(query, limits.maxTokens) > limits.maxTokens
  )
    return queryTooLargeError(limits.maxTokens);
  if (variables !== undefined && variables !== null) {
    const bytes = Buffer.byteLength(JSON.stringify(variables));
    if (bytes > limits.maxVariablesBytes) return variablesTooLargeError(bytes, limits.maxVariablesBytes);
  }
  return undefined;
}

/**
 * checkSource for a document whose tokens were counted before (when it was parsed and kept): the
 * limit is read now, since a reload may have lowered it below the document since.
 */
export function checkCountedSource(
  tokens: number,
  variables: Record<string, unknown> | undefined,
  limits: Pick<QueryLimits, "maxTokens" | "maxVariablesBytes">,
): GraphQLError | undefined {
  if (tokens > limits.maxTokens) return queryTooLargeError(limits.maxTokens);
  return checkSource(undefined, variables, limits);
}
