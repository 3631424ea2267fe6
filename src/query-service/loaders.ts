/**
 * Per-request DataLoaders for what is cheaper in one batch than one by one: cluster summaries
 * (one pass over each kind for every cluster on a page). Lookups by name or uid need none (the
 * indexed stores answer them in O(1), see object-graph.ts). Per request because their caches hold
 * what one caller may see (the Scope is baked in) and must not outlive a request's view.
 */
import DataLoader from "dataloader";
import type { Scope } from "../cache/scope.js";
import { summarizeClusters, type ClusterSummaryData } from "./cluster-summary.js";
import type { ObjectReader } from "./object-reader.js";

export interface Loaders {
  clusterSummary: DataLoader<string, ClusterSummaryData>;
}

/** Each loader is made when a resolver first asks for it: most requests use none of them. */
class RequestLoaders implements Loaders {
  private made: Partial<Loaders> = {};

  constructor(
    private readonly reader: ObjectReader,
    private readonly scope: Scope,
  ) {}

  get clusterSummary(): Loaders["clusterSummary"] {
    return (this.made.clusterSummary ??= new DataLoader((keys: readonly string[]) =>
      Promise.resolve(summarizeClusters(this.reader, keys, this.scope)),
    ));
  }
}

export function createLoaders(reader: ObjectReader, scope: Scope): Loaders {
  return new RequestLoaders(reader, scope);
}
