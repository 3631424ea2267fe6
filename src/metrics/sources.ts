/**
 * What the metrics services need of the Prometheus backends (src/backends/prometheus): for each
 * cluster, a client and, when one Prometheus holds several clusters, the label that tells them
 * apart. A type here, beside its users, so tests can count or fail the queries.
 */
import type { InstantSample, RangeSeries, RangeWindow } from "../backends/prometheus/samples.js";
import type { RangeCache } from "./range-cache.js";

export type { InstantSample, RangeSeries, RangeWindow };

export interface MetricsClient {
  /** The backend's URL (credentials stripped): names it in cache keys. */
  readonly backend?: string;
  instant(query: string, time?: number, signal?: AbortSignal): Promise<InstantSample[]>;
  range(query: string, window: RangeWindow, signal?: AbortSignal): Promise<RangeSeries[]>;
}

export interface MetricsSource {
  cluster: string;
  client: MetricsClient;
  /** Pins a shared Prometheus to this cluster; undefined when the Prometheus is the cluster's own. */
  clusterLabel?: { name: string; value: string };
}

export interface MetricsSources {
  /** Undefined: no Prometheus is configured for the cluster. */
  forCluster(cluster: string): MetricsSource | undefined;
}

/** What every request's metric reads share: the backends, and where range answers are kept. */
export interface MetricsSetup {
  sources: MetricsSources;
  rangeCache?: RangeCache;
}

/** No Prometheus anywhere: every metric is null, with a warning naming the cluster. */
export const NO_METRICS: MetricsSetup = Object.freeze({
  sources: Object.freeze({ forCluster: () => undefined }),
});
