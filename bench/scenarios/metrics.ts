/**
 * The metrics scenario (issue 11): a page of 50 workloads with their CPU and memory from
 * Prometheus, across the fleet. A simulated fleet, a real Prometheus scraping it, and the gateway
 * with `metrics.prometheus` pointing there, measured beside the per-object peer (one PromQL query
 * per workload and metric, as clients of KubeSphere's monitoring API ask). Both are counted at
 * Prometheus itself: the queries that reached it and the CPU it spent, per answered page.
 */
import { DEFAULT_PROMETHEUS } from "../../src/config/index.js";
import { Gateway } from "../processes/gateway.js";
import { BenchPrometheus } from "../processes/prometheus.js";
import { Simulator } from "../processes/simulator.js";
import { round, UsageWindow } from "../proc-stats.js";
import { METRICS_PAGE, METRICS_PAGE_FILTER, TOP_BY_CPU } from "../queries.js";
import type { Figures, Skipped } from "../results.js";
import { clustersOf, orderedByCpu } from "./metrics-answers.js";
import {
  ANSWER_TOLERANCE,
  measureGateway,
  measurePeer,
  PEER_CONCURRENCY,
  type MetricsFixture,
} from "./metrics-measure.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";

/** Short enough that rate() has data seconds after the start; a real fleet scrapes every 15-60 s. */
const SCRAPE_INTERVAL_S = 5;
/** The scrape config's target label naming the cluster (the gateway's default too). */
const CLUSTER_LABEL = DEFAULT_PROMETHEUS.clusterLabel;
/**
 * Scraped history before measuring, by default rate()'s whole 5-minute window: until a series
 * covers it, rate() extrapolates over the part it has, so its value climbs with every second and
 * every query reads fewer samples than on a Prometheus that has run for a while.
 */
export const DEFAULT_HISTORY_S = 300;
/** Prometheus's CPU with no query, over two scrape intervals so that whole scrapes fall in it. */
const IDLE_WINDOW_S = 2 * SCRAPE_INTERVAL_S;

const NOT_A_PEER: Skipped = {
  skipped: "not a peer of this scenario: its peer is per-object (one PromQL query per workload and metric)",
};

export interface MetricsFlags {
  /** Seconds of scraped history before measuring; 0: as soon as every cluster has a rate. */
  historyS?: number | undefined;
}

export function metricsScenario(flags: MetricsFlags = {}): Scenario {
  return {
    name: "metrics",
    summary:
      "a page of 50 workloads with CPU and memory from Prometheus over 10 clusters, beside one PromQL query per workload and metric",
    // 500 pods per cluster: about 9,500 series each, so Prometheus stays at a few hundred MB.
    defaults: { clusters: [10], pods: 500, durationS: 10 },
    run: (options) => runMetrics(options, flags.historyS ?? DEFAULT_HISTORY_S),
  };
}

async function runMetrics(options: ScenarioOptions, historyS: number): Promise<ScenarioResult> {
  const clusters = options.clusters[0]!;
  const running: { stop(): Promise<void> }[] = [];
  try {
    options.log(`starting the simulator: ${clusters} clusters x ${options.pods} pods`);
    const sim = await Simulator.start({ clusters, pods: options.pods, dir: options.dir });
    running.push(sim);
    options.log(`starting Prometheus, scraping every cluster every ${SCRAPE_INTERVAL_S} s`);
    const prometheus = await BenchPrometheus.start({
      simulatorAdmin: sim.fleet.admin,
      scrapeInterval: `${SCRAPE_INTERVAL_S}s`,
      dir: options.dir,
    });
    running.push(prometheus);
    // The first scrapes start within one interval of Prometheus being ready.
    const historyFrom = performance.now() + SCRAPE_INTERVAL_S * 1000;
    await prometheus.waitForRates(
      sim.fleet.clusters.map((c) => c.name),
      CLUSTER_LABEL,
    );
    options.log("starting the gateway with metrics.prometheus");
    const gateway = await Gateway.start({
      fleet: sim.fleet,
      kubeconfigPath: sim.kubeconfigPath,
      dir: options.dir,
      auth: options.auth,
      prometheus: { url: prometheus.url, clusterLabel: CLUSTER_LABEL },
    });
    running.push(gateway);
    const waitMs = historyFrom + historyS * 1000 - performance.now();
    if (historyS > 0 && waitMs > 0) {
      options.log(`waiting ${Math.ceil(waitMs / 1000)} s for ${historyS} s of scraped history`);
      await sleep(waitMs);
    }

    options.log(`measuring Prometheus with no query for ${IDLE_WINDOW_S} s`);
    const idle = new UsageWindow(prometheus.pid);
    await sleep(IDLE_WINDOW_S * 1000);
    const fixture: MetricsFixture = {
      gateway,
      prometheus,
      clusterLabel: CLUSTER_LABEL,
      idleCores: idle.finish().cpu_cores,
      options,
    };

    const page = await measureGateway(fixture, "page of 50", METRICS_PAGE, { filter: METRICS_PAGE_FILTER });
    const top = await measureGateway(fixture, "top 10 by CPU", TOP_BY_CPU, {});
    const peer = await measurePeer(fixture);

    const rows = page.answer.workloads.nodes;
    const topRows = top.answer.workloads.nodes;
    const notes: string[] = [];
    if (clustersOf(rows) < clusters)
      notes.push(`the page spans ${clustersOf(rows)} of the ${clusters} clusters`);
    if (!orderedByCpu(topRows)) notes.push("the top-10 page is not ordered by CPU, or lacks a CPU figure");
    notes.push(...peer.notes);
    const described = await prometheus.describe();
    const ratio = (key: string) => round((peer.figures[key] as number) / (page.figures[key] as number), 1);
    const fleetgraph: Figures = {
      ...page.figures,
      workloads_in_page: rows.length,
      clusters_in_page: clustersOf(rows),
      per_object_query_ratio: ratio("promql_queries_per_request"),
      per_object_p50_ratio: ratio("p50_ms"),
      top_by_cpu: { ...top.figures, workloads: topRows.length, ordered: orderedByCpu(topRows) },
    };
    return {
      scenario: "metrics",
      fleet: { clusters, pods: options.pods, pods_total: sim.pods },
      fleetgraph,
      peers: {
        passthrough: NOT_A_PEER,
        "raw-fanout": NOT_A_PEER,
        "graphql-constant": NOT_A_PEER,
        "per-object": peer.figures,
      },
      method: {
        latency: "closed loop, one page at a time per connection, after a warm-up run that is not counted",
        document: METRICS_PAGE,
        variables: { filter: METRICS_PAGE_FILTER },
        top_by_cpu_document: TOP_BY_CPU,
        peer:
          "per-object: lists the page from the gateway without usage, then sends Prometheus one instant " +
          "query per workload and metric (CPU rate, memory working set; pods by name prefix), " +
          `${PEER_CONCURRENCY} at a time per page`,
        peer_concurrency: PEER_CONCURRENCY,
        queries_counted:
          "prometheus_http_requests_total of /api/v1/query and /api/v1/query_range, from Prometheus's " +
          "/metrics before and after each measured window, over the pages answered in it (a page cut " +
          "off at the window's end counts its queries, not itself)",
        prometheus_cpu:
          "Prometheus's CPU over the window (/proc) less its idle CPU over the same time, per page",
        prometheus: {
          version: described.version,
          series: described.series,
          scrape_interval_s: SCRAPE_INTERVAL_S,
          history_s: historyS,
          idle_cpu_cores: fixture.idleCores,
        },
        gateway_prometheus: {
          timeout_ms: DEFAULT_PROMETHEUS.timeoutMs,
          max_concurrent_requests: DEFAULT_PROMETHEUS.maxConcurrentRequests,
        },
        answer_tolerance: ANSWER_TOLERANCE,
        connections: options.connections ?? 1,
        duration_s: options.durationS,
        warmup_s: options.warmupS,
      },
      ...(notes.length ? { notes } : {}),
    };
  } finally {
    while (running.length) await running.pop()!.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
