/**
 * `churn-query`: the dashboard's pods-query answered while the fleet churns. The simulator makes
 * `churn` changes per second (each a few watch events: a pod's status updates, its creation and
 * deletion) while a load generator asks pods-query at an open rate; the query's latency, the
 * answered against the asked rate and the gateway's ingestion over the same window are recorded.
 *
 * Every event applied, precisely: once churn stops, every cluster's newest resourceVersion in the
 * gateway reaches the simulator's store revision (within CATCH_UP_MS), and the gateway counts as
 * many pods as the simulator holds. Relists are counted over the window: with history kept long
 * enough, none is expected (each one means the watch fell out of the server's history).
 */
import { generateLoad } from "../load/generate-load.js";
import { Gateway } from "../processes/gateway.js";
import { Simulator } from "../processes/simulator.js";
import { round, UsageWindow } from "../proc-stats.js";
import { POD_SELECTOR, PODS_QUERY } from "../queries.js";
import { percentile } from "../stats.js";
import { churnSample, type ChurnSample } from "./churn.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";

export const DEFAULT_CHURN_QUERY_CHURN = 200;
export const DEFAULT_CHURN_QUERY_RATE = 150;
/** Enough for a rate of a few hundred a second at tens of ms each, without queueing in the client. */
const CONNECTIONS = 16;
const SAMPLE_MS = 250;
const CATCH_UP_MS = 60_000;

const POD_COUNT = `query PodCount { pods(first: 1) { totalCount } }`;

export interface ChurnQueryFlags {
  /** Changes per second while measuring. */
  churn?: number | undefined;
  /** pods-query requests per second asked of the gateway. */
  queryRate?: number | undefined;
}

export function churnQueryScenario(flags: ChurnQueryFlags = {}): Scenario {
  const churn = flags.churn ?? DEFAULT_CHURN_QUERY_CHURN;
  const queryRate = flags.queryRate ?? DEFAULT_CHURN_QUERY_RATE;
  return {
    name: "churn-query",
    summary: "pods-query latency while the fleet churns, every watch event applied",
    defaults: { clusters: [10], pods: 1000, durationS: 60 },
    run: (options) => runChurnQuery(options, churn, queryRate),
  };
}

/** Samples of the ingestion every SAMPLE_MS until `done` settles. */
async function sampleUntil(sim: Simulator, gateway: Gateway, done: Promise<unknown>): Promise<ChurnSample[]> {
  const samples: ChurnSample[] = [await churnSample(sim, gateway)];
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => undefined);
  while (!finished) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    samples.push(await churnSample(sim, gateway));
  }
  return samples;
}

/**
 * One answer's data, degraded or not: a cluster whose API server is slow to answer is marked
 * down and named in `errors`, while its cached objects are still served (and counted).
 */
async function askGateway<T>(gateway: Gateway, request: object): Promise<T> {
  const res = await fetch(gateway.url, {
    method: "POST",
    headers: { ...gateway.headers, "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  const body = (await res.json()) as { data?: T | null };
  if (!res.ok || !body.data) throw new Error(`the gateway answered ${res.status}: ${JSON.stringify(body)}`);
  return body.data;
}

const countPods = async (gateway: Gateway): Promise<number> =>
  (await askGateway<{ pods: { totalCount: number } }>(gateway, { query: POD_COUNT })).pods.totalCount;

interface CatchUp {
  ms: number;
  lagRevisions: number;
  gatewayPods: number;
  simulatorPods: number;
}

/**
 * Waits until every cluster's resourceVersion in the gateway reaches the simulator's revision and
 * the gateway counts the simulator's pods: the newest resourceVersion is over all kinds, so the
 * pods' own stream could still trail it.
 */
async function caughtUp(sim: Simulator, gateway: Gateway): Promise<CatchUp> {
  const started = performance.now();
  for (;;) {
    const { lagRevisions } = await churnSample(sim, gateway);
    const simulatorPods = (await sim.revisions()).reduce((n, r) => n + r.pods, 0);
    const gatewayPods = await countPods(gateway);
    const ms = Math.round(performance.now() - started);
    const done = lagRevisions === 0 && gatewayPods === simulatorPods;
    if (done || ms > CATCH_UP_MS) return { ms, lagRevisions, gatewayPods, simulatorPods };
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function runChurnQuery(
  options: ScenarioOptions,
  churn: number,
  queryRate: number,
): Promise<ScenarioResult> {
  const clusters = options.clusters[0]!;
  const connections = options.connections ?? CONNECTIONS;
  options.log(`starting the simulator: ${clusters} clusters x ${options.pods} pods`);
  const sim = await Simulator.start({ clusters, pods: options.pods, dir: options.dir });
  try {
    options.log("starting the gateway");
    const gateway = await Gateway.start({
      fleet: sim.fleet,
      kubeconfigPath: sim.kubeconfigPath,
      dir: options.dir,
      auth: options.auth,
    });
    try {
      const request = { query: PODS_QUERY, variables: { selector: POD_SELECTOR } };
      const atRestMs: number[] = [];
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        await askGateway(gateway, request);
        atRestMs.push(performance.now() - t);
      }
      atRestMs.sort((a, b) => a - b);

      options.log(`churn ${churn}/s, pods-query at ${queryRate}/s for ${options.durationS} s`);
      await sim.setChurn(churn);
      const simUsage = new UsageWindow(sim.pid);
      // The load generator's warm-up runs under churn too: sampling starts with it.
      const load = generateLoad(
        "fleetgraph",
        gateway.pid,
        {
          url: gateway.url,
          body: JSON.stringify(request),
          headers: gateway.headers,
          connections,
          durationS: options.durationS,
          warmupS: options.warmupS,
          timeoutS: 30,
          overallRate: queryRate,
        },
        // A cluster the starved simulator did not answer in time degrades answers: counted below.
        { tolerateGraphQLErrors: true },
      );
      const samples = await sampleUntil(sim, gateway, load);
      const { load: result, server } = await load;
      const simulator = simUsage.finish();
      await sim.setChurn(0);
      options.log(`  ${result.rps} of ${queryRate} queries/s answered, p99 ${result.p99_ms} ms`);

      const catchUp = await caughtUp(sim, gateway);

      const first = samples[0]!;
      const last = samples.at(-1)!;
      const elapsed = (last.t - first.t) / 1000;
      const revisionsPerS = (last.simRevisions - first.simRevisions) / elapsed;
      const lags = samples.map((s) => s.lagRevisions / Math.max(1, revisionsPerS)).sort((a, b) => a - b);
      const allApplied = catchUp.lagRevisions === 0 && catchUp.gatewayPods === catchUp.simulatorPods;
      options.log(
        `  ${round((last.gatewayEvents - first.gatewayEvents) / elapsed, 0)} events/s applied, ` +
          `${last.relists - first.relists} relists, every event applied: ${allApplied}`,
      );
      const skipped = { skipped: "measures the gateway's own ingestion beside its queries" };
      return {
        scenario: "churn-query",
        fleet: { clusters, pods: options.pods, pods_total: sim.pods },
        fleetgraph: {
          p50_ms: result.p50_ms,
          p95_ms: result.p95_ms,
          p99_ms: result.p99_ms,
          mean_ms: result.mean_ms,
          max_ms: result.max_ms,
          samples: result.samples,
          answers_with_errors: result.graphql_errors,
          ...(result.graphql_error_samples?.length ? { error_samples: result.graphql_error_samples } : {}),
          rps: result.rps,
          asked_rps: queryRate,
          answered_share: round(result.rps / queryRate, 3),
          at_rest_p50_ms: round(percentile(atRestMs, 50), 3),
          at_rest_max_ms: round(atRestMs.at(-1)!, 3),
          churn_per_s: churn,
          simulator_revisions_per_s: round(revisionsPerS, 0),
          events_per_s: round((last.gatewayEvents - first.gatewayEvents) / elapsed, 0),
          lag_median_s: round(percentile(lags, 50), 3),
          lag_max_s: round(lags.at(-1) ?? 0, 3),
          relists: last.relists - first.relists,
          every_event_applied: allApplied,
          catch_up_ms: catchUp.ms,
          lag_revisions_after_catch_up: catchUp.lagRevisions,
          gateway_pods: catchUp.gatewayPods,
          simulator_pods: catchUp.simulatorPods,
          cpu_cores: server.cpu_cores,
          simulator_cpu_cores: simulator.cpu_cores,
          loadgen_cpu_cores: result.loadgen_cpu_cores,
          max_rss_bytes: server.max_rss_bytes,
          heap_bytes: (await gateway.memory(false)).heapUsed,
        },
        peers: { passthrough: skipped, "raw-fanout": skipped, "graphql-constant": skipped },
        method: {
          document: PODS_QUERY,
          selector: POD_SELECTOR,
          churn_per_s: churn,
          asked_rps: queryRate,
          connections,
          duration_s: options.durationS,
          warmup_s: options.warmupS,
          load: "open rate (autocannon overallRate) over the connections; latency is each answer's own time",
          events: "watch events the gateway's reflectors applied (bookmarks included), over the load window",
          every_event_applied: `after churn stops, every cluster's resourceVersion in the gateway reaches the simulator's revision within ${CATCH_UP_MS / 1000} s, and the gateway counts the simulator's pods`,
          relists: "lists after each reflector's first over the window (a watch that fell out of history)",
          answers_with_errors:
            "answers that carried GraphQL errors (a cluster degraded, e.g. its API server slow to answer), counted, not fatal",
          at_rest: "20 pods-queries one at a time before churn starts",
        },
      };
    } finally {
      await gateway.stop();
    }
  } finally {
    await sim.stop();
  }
}
