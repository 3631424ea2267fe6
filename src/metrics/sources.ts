/**
 * What the metrics services need of the Prometheus backends (src/backends/prometheus): for each
 * cluster, a client and, when one Prometheus holds several clusters, the label that tells them
 * apart. A type here, beside its users, so tests can count or fail the queries.
 */
export interface InstantSample {
  labels: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  labels: Record<string, string>;
  points: Array<[timeSeconds: number, value: number]>;
}

/** Unix seconds; `step` in seconds. */
export interface RangeWindow {
  start: number;
  end: number;
  step: number;
}

export interface MetricsClient {
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

/** No Prometheus anywhere: every metric is null, with a warning naming the cluster. */
export const NO_METRICS: MetricsSources = Object.freeze({ forCluster: () => undefined });
