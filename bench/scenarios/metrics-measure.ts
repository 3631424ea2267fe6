/**
 * The metrics scenario's measurements: the gateway under the load generator, the per-object peer
 * in its own process, each inside a window of what Prometheus did; then the peer's page beside the
 * gateway's.
 */
import { postGraphQL } from "../http-client.js";
import { generateLoad } from "../load/generate-load.js";
import type { LoadSpec } from "../load/load-spec.js";
import { perRequest, PrometheusWindow } from "../measure/prometheus-window.js";
import { loadPage } from "../peers/metrics-per-object.js";
import type { PerObjectSpec } from "../peers/metrics-per-object-spec.js";
import type { Gateway } from "../processes/gateway.js";
import { runMetricsPerObject } from "../processes/peer-servers.js";
import type { BenchPrometheus } from "../processes/prometheus.js";
import { METRICS_PAGE, METRICS_PAGE_FILTER, type WorkloadsAnswer } from "../queries.js";
import type { Figures } from "../results.js";
import { compareUsage, type UsageComparison } from "./metrics-answers.js";
import type { ScenarioOptions } from "./scenario.js";

/** PromQL requests in flight at once for one page: a browser's six connections per host. */
export const PEER_CONCURRENCY = 6;
/**
 * How far apart the gateway's and the peer's numbers may be, relative. Both are read for the same
 * moment; what remains is a scrape stamped before it but stored between the two reads. A sibling
 * workload's pods caught by a name pattern too wide would add that workload's whole usage. The
 * largest difference is recorded.
 */
export const ANSWER_TOLERANCE = 0.02;
/** Comparisons of the two pages: again when a scrape fell between them. */
const COMPARE_ATTEMPTS = 3;

export interface MetricsFixture {
  gateway: Gateway;
  prometheus: BenchPrometheus;
  clusterLabel: string;
  /** Prometheus's CPU cores with no query (scraping, housekeeping). */
  idleCores: number;
  options: ScenarioOptions;
}

/** One operation against the gateway: a warm-up run, then the measured run inside a Prometheus window. */
export async function measureGateway(
  { gateway, prometheus, idleCores, options }: MetricsFixture,
  label: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ figures: Figures; answer: WorkloadsAnswer }> {
  const request = { query, variables };
  // Checked for errors before any load (the load generator only counts them).
  const answer = await postGraphQL<WorkloadsAnswer>(gateway.url, request, gateway.headers);
  const load: LoadSpec = {
    url: gateway.url,
    body: JSON.stringify(request),
    headers: gateway.headers,
    connections: options.connections ?? 1,
    durationS: options.durationS,
    // Warmed up by a run of its own, so the Prometheus window holds the measured requests only.
    warmupS: 0,
    timeoutS: 60,
  };
  if (options.warmupS > 0)
    await generateLoad("fleetgraph", gateway.pid, { ...load, durationS: options.warmupS });
  options.log(`measuring fleetgraph (${label})`);
  const window = await PrometheusWindow.open(prometheus.url, prometheus.pid);
  const { load: result, server } = await generateLoad("fleetgraph", gateway.pid, load);
  const used = await window.close();
  const heap = await gateway.memory(false);
  const { p50_ms, p95_ms, p99_ms, mean_ms, max_ms, samples, rps } = result;
  const prom = perRequest(used, samples, idleCores);
  options.log(
    `  ${rps} pages/s, ${prom.promql_queries_per_request} PromQL queries per page, p99 ${p99_ms} ms`,
  );
  return {
    answer,
    figures: {
      p50_ms,
      p95_ms,
      p99_ms,
      mean_ms,
      max_ms,
      rps,
      samples,
      ...prom,
      prometheus_queries: used.queries,
      cpu_cores: server.cpu_cores,
      heap_bytes: heap.heapUsed,
      rss_bytes: server.rss_bytes,
      connections: result.connections,
      duration_s: result.duration_s,
      bytes_per_response: result.bytes_per_response,
    },
  };
}

/** The per-object peer in its own process, then its page beside the gateway's. */
export async function measurePeer(fixture: MetricsFixture): Promise<{ figures: Figures; notes: string[] }> {
  const { gateway, prometheus, idleCores, options } = fixture;
  options.log(`measuring per-object (${PEER_CONCURRENCY} PromQL queries at a time per page)`);
  const spec: PerObjectSpec = {
    gateway: { url: gateway.url, headers: gateway.headers },
    filter: METRICS_PAGE_FILTER,
    prometheus: { url: prometheus.url, pid: prometheus.pid, clusterLabel: fixture.clusterLabel },
    concurrency: PEER_CONCURRENCY,
    loops: options.connections ?? 1,
    durationS: options.durationS,
    warmupS: options.warmupS,
  };
  const result = await runMetricsPerObject(spec);
  const prom = perRequest(result.prometheus, result.requests, idleCores);
  options.log(
    `  ${result.rps} pages/s, ${prom.promql_queries_per_request} PromQL queries per page, p99 ${result.p99_ms} ms`,
  );
  const comparison = await comparePages(gateway, spec);
  const { prometheus: used, requests: _requests, ...latency } = result;
  return {
    figures: {
      ...latency,
      ...prom,
      prometheus_queries: used.queries,
      concurrency: PEER_CONCURRENCY,
      answer_matches_gateway: comparison.matches,
      answer_compared_values: comparison.compared_values,
      answer_max_relative_difference: comparison.max_relative_difference,
      answer_attempts: comparison.attempts,
    },
    notes: comparison.matches
      ? []
      : [`per-object's page differs from the gateway's: ${comparison.differences.join("; ")}`],
  };
}

/**
 * The gateway's page, then the peer's own page (its code, run here) for the same moment: the
 * gateway evaluates a request's instant queries at the whole second it started in
 * (src/metrics/query-batch.ts), and the peer is asked for the second the harness sent it in.
 * Read again when they differ: a request sent on the very edge of a second, or a scrape stored
 * between the two reads.
 */
async function comparePages(
  gateway: Gateway,
  spec: PerObjectSpec,
): Promise<UsageComparison & { attempts: number }> {
  let comparison: UsageComparison | undefined;
  let attempts = 0;
  while (attempts < COMPARE_ATTEMPTS && !comparison?.matches) {
    attempts++;
    const second = Math.floor(Date.now() / 1000);
    const own = await postGraphQL<WorkloadsAnswer>(
      gateway.url,
      { query: METRICS_PAGE, variables: { filter: METRICS_PAGE_FILTER } },
      gateway.headers,
    );
    comparison = compareUsage(own.workloads.nodes, await loadPage(spec, second), ANSWER_TOLERANCE);
  }
  return { ...comparison!, attempts };
}
