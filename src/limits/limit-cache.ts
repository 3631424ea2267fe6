/**
 * Measures of operations kept per parsed document, so a query sent again (the usual case: clients
 * send the same few documents with new variables) is not walked twice for its depth and cost.
 * Apollo keeps parsed documents by their text (its document store), so the same query arrives as
 * the same DocumentNode and its operations as the same nodes: they are the outer key, held weakly,
 * so a document Apollo evicts takes its measures with it.
 *
 * The inner key is what else a measure depends on: the variables (page sizes often arrive as
 * `$first`) and the limits an operation over which is not priced (depth, aliases, root fields). The fleet the cost model reads
 * (how many clusters, their labels) is not in the key: call forget() when it changes.
 */
import type { DocumentNode, GraphQLError, OperationDefinitionNode } from "graphql";
import {
  judgeLimits,
  measureLimits,
  type LimitCheck,
  type LimitMeasure,
  type LimitReport,
  type QueryLimits,
} from "./check.js";
import type { CostModel } from "./cost.js";

export interface LimitCacheOptions {
  /** Variable sets kept per operation; when full, that operation's measures are dropped. Default 64. */
  maxVariableSets?: number;
  /** Variables longer than this (as JSON) are measured every time rather than kept. Default 4096. */
  maxKeyLength?: number;
}

export class LimitCache {
  private measures = new WeakMap<OperationDefinitionNode | DocumentNode, Map<string, LimitMeasure>>();
  private readonly maxVariableSets: number;
  private readonly maxKeyLength: number;
  private hitCount = 0;
  private missCount = 0;

  constructor(options: LimitCacheOptions = {}) {
    this.maxVariableSets = options.maxVariableSets ?? 64;
    this.maxKeyLength = options.maxKeyLength ?? 4096;
  }

  /** checkLimits, answered from a kept measure when this operation was measured before. */
  check(check: LimitCheck, limits: QueryLimits, model: CostModel): GraphQLError | LimitReport {
    return judgeLimits(this.measure(check, limits, model), limits);
  }

  /** Drops every kept measure: the fleet the cost model prices changed (a reload). */
  forget(): void {
    this.measures = new WeakMap();
  }

  /** How many checks were answered from a kept measure, and how many were measured. */
  stats(): { hits: number; misses: number } {
    return { hits: this.hitCount, misses: this.missCount };
  }

  private measure(check: LimitCheck, limits: QueryLimits, model: CostModel): LimitMeasure {
    // An operation node belongs to one document, so it alone names "this operation of this document".
    const owner = check.operation ?? check.document;
    // The limits that stop a measure before pricing are part of what it says.
    const key = `${limits.maxDepth} ${limits.maxAliases} ${limits.maxRootFields} ${JSON.stringify(check.variables ?? {})}`;
    const kept = this.measures.get(owner);
    const found = kept?.get(key);
    if (found) {
      this.hitCount++;
      return found;
    }
    this.missCount++;
    const measure = measureLimits(check, limits, model);
    if (key.length > this.maxKeyLength) return measure;
    if (!kept) this.measures.set(owner, new Map([[key, measure]]));
    else {
      // Variables that differ on every request (ids, timestamps) would grow the map without end.
      if (kept.size >= this.maxVariableSets) kept.clear();
      kept.set(key, measure);
    }
    return measure;
  }
}
