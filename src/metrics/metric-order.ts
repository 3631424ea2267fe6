/**
 * Ordering a list by a metric (`workloads(orderBy: {metric: CPU_USAGE, direction: DESC})`): the
 * metric is read for every readable object of the level in each selected cluster — one PromQL
 * query per series (per cluster and series where clusters cannot share one) — and handed to the query engine as the order's key, so paging,
 * filters and the Scope stay the engine's. Objects without a value come last either way.
 */
import type { CacheEntry } from "../cache/entry.js";
import { QueryInputError } from "../cache/query/errors.js";
import { isWorkloadKind, type OrderRequest } from "../query-service/index.js";
import { findMetric } from "../backends/prometheus/catalog.js";
import { MetricReads, type RankedLevel } from "./metric-reads.js";

const LEVEL_OF_KIND: Readonly<Record<string, RankedLevel>> = {
  Pod: "POD",
  Namespace: "NAMESPACE",
  Node: "NODE",
};

/** The metric level of a list's kind: every workload kind is one level. */
const levelOf = (kind: string): RankedLevel | undefined =>
  isWorkloadKind(kind) ? "WORKLOAD" : LEVEL_OF_KIND[kind];

export async function metricOrder(
  metrics: MetricReads,
  kind: string,
  metric: string,
  direction: "ASC" | "DESC",
  clusters: readonly string[],
): Promise<OrderRequest> {
  const level = levelOf(kind);
  if (!level || !findMetric(level, metric))
    throw new QueryInputError("orderBy", `${kind} lists cannot be ordered by the metric ${metric}`);
  const byCluster = new Map(
    await Promise.all(clusters.map(async (c) => [c, await metrics.valuesIn(c, level, metric)] as const)),
  );
  // Finite stand-ins for "no value" (cursors carry the key as JSON, which has no Infinity).
  const missing = direction === "DESC" ? -Number.MAX_VALUE : Number.MAX_VALUE;
  return {
    field: metric,
    direction,
    key: (entry: CacheEntry) => byCluster.get(entry.cluster)?.get(MetricReads.keyOf(entry)) ?? missing,
  };
}

/** An order as a list's arguments give it: a field, or a metric (for kinds that have metrics). */
export interface OrderArgument {
  field?: string | null;
  metric?: string | null;
  direction: "ASC" | "DESC";
}

/** The service request's order for `argument`; `clusters` are the ones the list reads. */
export async function orderRequest(
  argument: OrderArgument | null | undefined,
  kind: string,
  metrics: () => MetricReads,
  clusters: () => readonly string[],
): Promise<OrderRequest | null> {
  if (!argument) return null;
  const { field, metric, direction } = argument;
  if (field && metric) throw new QueryInputError("orderBy", "orderBy takes a field or a metric, not both");
  if (metric) return metricOrder(metrics(), kind, metric, direction, clusters());
  if (!field) throw new QueryInputError("orderBy", "orderBy needs a field or a metric");
  return { field, direction };
}
