/**
 * What one Prometheus did over a measured window: the PromQL queries that reached it, counted by
 * Prometheus itself (its own /metrics, so the gateway and the per-object peer are counted the
 * same way, whoever sends them), and the CPU its process used, read from /proc. The harness opens
 * a window around the gateway's load; the per-object peer opens one around its own measured loop.
 */
import { getText } from "../http-client.js";
import { round, UsageWindow } from "../proc-stats.js";

/** The query API's handlers: instant and range queries (series and label lookups are not PromQL). */
const QUERY_HANDLERS = new Set(["/api/v1/query", "/api/v1/query_range"]);
const REQUESTS_LINE = /^prometheus_http_requests_total\{([^}]*)\}\s+(\S+)/;

/** Sums `prometheus_http_requests_total` over the query handlers (every status code) in an exposition. */
export function queryRequestsIn(exposition: string): number {
  let total = 0;
  for (const line of exposition.split("\n")) {
    const match = REQUESTS_LINE.exec(line);
    if (!match) continue;
    const handler = /(?:^|,)handler="([^"]*)"/.exec(match[1]!)?.[1];
    if (handler !== undefined && QUERY_HANDLERS.has(handler)) total += Number(match[2]);
  }
  return total;
}

/** PromQL queries Prometheus has answered since it started (any status). */
export async function queryRequests(prometheusUrl: string): Promise<number> {
  return queryRequestsIn(await getText(`${prometheusUrl}/metrics`));
}

export interface PrometheusLoad {
  /** PromQL queries that reached Prometheus in the window. */
  queries: number;
  /** CPU seconds its process used in the window (its scraping included). */
  cpu_seconds: number;
  seconds: number;
}

export class PrometheusWindow {
  private constructor(
    private readonly url: string,
    private readonly before: number,
    private readonly usage: UsageWindow,
    private readonly startedAt: number,
  ) {}

  static async open(prometheusUrl: string, prometheusPid: number): Promise<PrometheusWindow> {
    const before = await queryRequests(prometheusUrl);
    return new PrometheusWindow(prometheusUrl, before, new UsageWindow(prometheusPid), performance.now());
  }

  async close(): Promise<PrometheusLoad> {
    // CPU first: reading /metrics makes Prometheus work a little too.
    const usage = this.usage.finish();
    const seconds = (performance.now() - this.startedAt) / 1000;
    const queries = (await queryRequests(this.url)) - this.before;
    return { queries, cpu_seconds: usage.cpu_seconds, seconds: round(seconds, 3) };
  }
}

/**
 * Per request: the queries, and Prometheus's CPU net of what it spends with no query at all
 * (`idleCores`: scraping and housekeeping, measured before any load), in milliseconds.
 */
export function perRequest(
  load: PrometheusLoad,
  requests: number,
  idleCores: number,
): { promql_queries_per_request: number; prometheus_cpu_ms_per_request: number } {
  const net = load.cpu_seconds - idleCores * load.seconds;
  return {
    promql_queries_per_request: round(load.queries / requests, 2),
    prometheus_cpu_ms_per_request: round((1000 * net) / requests, 3),
  };
}
