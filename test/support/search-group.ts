/**
 * One log store group ("east", namespace "search") for tests that build searches without a store:
 * the query a search spec becomes is what they read.
 */
import type { LogSource } from "../../src/backends/logstore/backends.js";
import { storeQuery, type SearchSpec } from "../../src/logs/store-search.js";
import { groupByStore } from "../../src/logs/targets.js";

const source = {
  cluster: "east",
  client: {},
  indices: { events: "ev", auditing: "au", logs: "lg" },
  clusterField: "cluster",
} as unknown as LogSource;

export const SEARCH_GROUP = groupByStore([{ cluster: "east", source, namespaces: new Set(["search"]) }])[0]!;

/** The store query of a spec over SEARCH_GROUP, for a fixed range. */
export function searchQueryOf(spec: SearchSpec): unknown {
  return storeQuery(SEARCH_GROUP, spec, { start: 1, end: 2 });
}
