/**
 * `churn`: watch events ingested per second as the simulator's churn is raised step by step
 * (POST /churn on its admin endpoint), until the gateway falls behind or the simulator cannot
 * produce more. Every 250 ms the harness reads each cluster's store revision from the simulator
 * and each cluster's newest applied resourceVersion and event count from the gateway.
 *
 * Falling behind, precisely: in the second half of a step, the median lag exceeds 1 s, where
 *   lag (revisions) = sum over clusters of max(0, simulator revision - gateway resourceVersion)
 *   lag (seconds)   = lag (revisions) / the simulator's revisions per second during the step
 * or any watch had to relist (its resourceVersion fell out of the simulator's history).
 * The lag is blamed on the gateway only when its CPU was near one core; otherwise the simulator
 * (whose event loop also writes every watch stream) is the one that could not keep up.
 */
import { Gateway } from "../processes/gateway.js";
import { Simulator } from "../processes/simulator.js";
import { memory, round, UsageWindow } from "../proc-stats.js";
import { percentile } from "../stats.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";

export const DEFAULT_CHURN_RATES = [100, 250, 500, 1000, 2000, 4000, 8000];
const SAMPLE_MS = 250;
const BEHIND_LAG_S = 1;
/** The gateway ingests on one JavaScript thread: near one core busy, it is the limit. */
const GATEWAY_BUSY_CORES = 0.85;

/** One reading of the simulator's revisions and the gateway's ingestion. */
export interface ChurnSample {
  t: number;
  simRevisions: number;
  gatewayEvents: number;
  relists: number;
  lagRevisions: number;
}

interface Step {
  churn_per_s: number;
  simulator_revisions_per_s: number;
  events_per_s: number;
  lag_median_s: number;
  lag_max_s: number;
  relists: number;
  behind: boolean;
  gateway_cpu_cores: number;
  simulator_cpu_cores: number;
  gateway_rss_bytes: number;
}

export function churnScenario(rates: number[] = DEFAULT_CHURN_RATES): Scenario {
  return {
    name: "churn",
    summary: "watch events ingested per second as churn rises, until the gateway falls behind",
    defaults: { clusters: [20], pods: 2000, durationS: 10 },
    run: (options) => runChurn(options, rates),
  };
}

export async function churnSample(sim: Simulator, gateway: Gateway): Promise<ChurnSample> {
  const revisions = await sim.revisions();
  const cache = await gateway.cache();
  const applied = new Map(cache.clusters.map((c) => [c.cluster, Number(c.resourceVersion) || 0]));
  let lag = 0;
  for (const r of revisions) lag += Math.max(0, r.revision - (applied.get(r.name) ?? 0));
  return {
    t: performance.now(),
    simRevisions: revisions.reduce((n, r) => n + r.revision, 0),
    gatewayEvents: cache.eventsApplied,
    relists: cache.relists,
    lagRevisions: lag,
  };
}

async function runStep(sim: Simulator, gateway: Gateway, rate: number, seconds: number): Promise<Step> {
  await sim.setChurn(rate);
  const gatewayUsage = new UsageWindow(gateway.pid);
  const simUsage = new UsageWindow(sim.pid);
  const samples: ChurnSample[] = [await churnSample(sim, gateway)];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    samples.push(await churnSample(sim, gateway));
  }
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const elapsed = (last.t - first.t) / 1000;
  const revisionsPerS = (last.simRevisions - first.simRevisions) / elapsed;
  const lags = samples
    .slice(Math.floor(samples.length / 2))
    .map((s) => s.lagRevisions / Math.max(1, revisionsPerS))
    .sort((a, b) => a - b);
  const lagMedian = percentile(lags, 50);
  const relists = last.relists - first.relists;
  const gw = gatewayUsage.finish();
  return {
    churn_per_s: rate,
    simulator_revisions_per_s: round(revisionsPerS, 0),
    events_per_s: round((last.gatewayEvents - first.gatewayEvents) / elapsed, 0),
    lag_median_s: round(lagMedian, 3),
    lag_max_s: round(lags.at(-1) ?? 0, 3),
    relists,
    behind: lagMedian > BEHIND_LAG_S || relists > 0,
    gateway_cpu_cores: gw.cpu_cores,
    simulator_cpu_cores: simUsage.finish().cpu_cores,
    gateway_rss_bytes: gw.max_rss_bytes,
  };
}

async function runChurn(options: ScenarioOptions, rates: number[]): Promise<ScenarioResult> {
  const clusters = options.clusters[0]!;
  options.log(`starting the simulator: ${clusters} clusters x ${options.pods} pods`);
  const sim = await Simulator.start({ clusters, pods: options.pods, dir: options.dir });
  const steps: Step[] = [];
  let limitedBy = "every step kept up";
  let heapBytes = 0;
  let rssBytes = 0;
  try {
    options.log("starting the gateway");
    const gateway = await Gateway.start({
      fleet: sim.fleet,
      kubeconfigPath: sim.kubeconfigPath,
      dir: options.dir,
      auth: options.auth,
    });
    try {
      for (const rate of rates) {
        options.log(`churn ${rate}/s for ${options.durationS} s`);
        const step = await runStep(sim, gateway, rate, options.durationS);
        steps.push(step);
        options.log(
          `  ${step.events_per_s} events/s ingested, simulator ${step.simulator_revisions_per_s} revisions/s, lag ${step.lag_median_s} s${step.behind ? " - BEHIND" : ""}`,
        );
        if (step.behind) {
          // A lag with the gateway's one JavaScript thread far from busy is the simulator's: its
          // event loop is saturated and its watch streams trail its store.
          limitedBy = step.gateway_cpu_cores >= GATEWAY_BUSY_CORES ? "gateway" : "simulator";
          break;
        }
        const previous = steps.at(-2);
        // More churn asked but no more produced: the simulator (on the same 2 cores) is the limit.
        if (previous && step.simulator_revisions_per_s < previous.simulator_revisions_per_s * 1.15) {
          limitedBy = "simulator";
          break;
        }
      }
      await sim.setChurn(0);
      heapBytes = (await gateway.memory(false)).heapUsed;
      rssBytes = memory(gateway.pid).rss_bytes;
    } finally {
      await gateway.stop();
    }
  } finally {
    await sim.stop();
  }
  const kept = steps.filter((s) => !s.behind);
  const best = kept.reduce<Step | undefined>(
    (a, s) => (!a || s.events_per_s > a.events_per_s ? s : a),
    undefined,
  );
  const behindAt = steps.find((s) => s.behind);
  const skipped = { skipped: "keeps no cache: there is no watch stream to ingest" };
  return {
    scenario: "churn",
    fleet: { clusters, pods: options.pods, pods_total: sim.pods },
    fleetgraph: {
      events_per_s: best?.events_per_s ?? 0,
      at_churn_per_s: best?.churn_per_s ?? null,
      fell_behind_at_churn_per_s: behindAt?.churn_per_s ?? null,
      fell_behind_at_events_per_s: behindAt?.events_per_s ?? null,
      limited_by: limitedBy,
      // What one fully busy core of the gateway would ingest at the best step's cost per event.
      events_per_cpu_s:
        best && best.gateway_cpu_cores > 0 ? round(best.events_per_s / best.gateway_cpu_cores, 0) : null,
      heap_bytes: heapBytes,
      rss_bytes: rssBytes,
      steps,
    },
    peers: { passthrough: skipped, "raw-fanout": skipped, "graphql-constant": skipped },
    method: {
      rates_per_s: rates,
      step_s: options.durationS,
      sample_ms: SAMPLE_MS,
      behind: `median lag over a step's second half > ${BEHIND_LAG_S} s, or any relist; lag = sum over clusters of (simulator revision - gateway resourceVersion) / simulator revisions per second`,
      limited_by: `the gateway when its CPU was >= ${GATEWAY_BUSY_CORES} cores in the step that fell behind, else the simulator`,
      events:
        "watch events the gateway's reflectors applied (bookmarks included), summed over kinds and clusters",
    },
  };
}
