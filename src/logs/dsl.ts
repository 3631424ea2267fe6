/**
 * The only ways a search is built. User text reaches a store through `phrase` alone (a
 * match_phrase, analysed as text, never parsed as a query language); names and values go into
 * term-level clauses as whole values. There is no query_string, no script, no regexp built from
 * input, so hostile text can change what matches but never the query's structure.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { TimeRange } from "./time-range.js";

export type Clause = estypes.QueryDslQueryContainer;

/** One clause for any number of exact values (a terms query counts once against the clause limit). */
export function anyOf(field: string, values: readonly string[]): Clause {
  return values.length === 1 ? { term: { [field]: values[0]! } } : { terms: { [field]: [...values] } };
}

/** One clause for any number of exact numbers (status codes). */
export function anyNumber(field: string, values: readonly number[]): Clause {
  return values.length === 1 ? { term: { [field]: values[0]! } } : { terms: { [field]: [...values] } };
}

/** A filter's list: absent adds no clause; an empty list matches nothing, as the docs say. */
export function listed(field: string, values: readonly string[] | null | undefined): Clause[] {
  if (!values) return [];
  return [values.length === 0 ? { match_none: {} } : anyOf(field, values)];
}

export function noneOf(field: string, values: readonly string[]): Clause {
  return { bool: { must_not: [anyOf(field, values)] } };
}

/** The words in this order, as written (case-insensitive through the text field's analyser). */
export function phrase(field: string, text: string): Clause {
  return { match_phrase: { [field]: { query: text } } };
}

export function within(field: string, range: TimeRange): Clause {
  return { range: { [field]: { gte: range.start, lte: range.end, format: "epoch_millis" } } };
}

export function numberBetween(field: string, gte: number, lte: number): Clause {
  return { range: { [field]: { gte, lte } } };
}

export function exists(field: string): Clause {
  return { exists: { field } };
}

export function not(clause: Clause): Clause {
  return { bool: { must_not: [clause] } };
}

export function allOf(filter: Clause[]): Clause {
  return filter.length === 1 ? filter[0]! : { bool: { filter } };
}

export function eitherOf(should: Clause[]): Clause {
  return should.length === 1 ? should[0]! : { bool: { should, minimum_should_match: 1 } };
}
