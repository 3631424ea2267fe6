/**
 * A MetricsSource for unit tests of the metric reads: one shared Prometheus (every cluster pinned
 * by the `cluster` label) whose client records each PromQL query it is sent and answers with the
 * samples `answer` gives (none by default) — a fake Prometheus that shows what would be asked.
 */
import type { InstantSample, MetricsSources, RangeSeries } from "../../src/metrics/sources.js";

export interface SentQuery {
  cluster: string;
  promql: string;
}

export interface RecordingSources extends MetricsSources {
  /** Every query sent, in order. */
  readonly sent: SentQuery[];
}

export function recordingSources(answer: (promql: string) => InstantSample[] = () => []): RecordingSources {
  const sent: SentQuery[] = [];
  return {
    sent,
    forCluster: (cluster) => ({
      cluster,
      clusterLabel: { name: "cluster", value: cluster },
      client: {
        instant(promql) {
          sent.push({ cluster, promql });
          return Promise.resolve(answer(promql));
        },
        range(promql) {
          sent.push({ cluster, promql });
          return Promise.resolve(answer(promql).map((s): RangeSeries => ({ labels: s.labels, points: [] })));
        },
      },
    }),
  };
}

/** Lets a QueryBatch send what was asked this turn (it sends after the turn's promise jobs). */
export const batchFlushed = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
