/**
 * entity-objects: every object of one service (a label selector) across the fleet, of the types
 * Backstage's Kubernetes tab fetches by default, asked of Fleetgraph (its GraphQL query) and of
 * Backstage's own Kubernetes backend (the `backstage` peer) on one simulated fleet. Their answers
 * must name the same objects before anything is measured; then each is measured in turn with the
 * same closed loop, its CPU and memory and the simulator's, and the resource requests the API
 * servers received per answer (their own counts).
 */
import { Child } from "../processes/child.js";
import { installBackstage, startBackstage } from "../processes/backstage.js";
import { Gateway } from "../processes/gateway.js";
import { Simulator } from "../processes/simulator.js";
import { round, UsageWindow } from "../proc-stats.js";
import type { Figures } from "../results.js";
import type { AnswerLoopResult, AnswerLoopSpec } from "../load/answer-loop-spec.js";
import {
  backstageAnswer,
  backstageKeys,
  countByKind,
  differences,
  ENTITY_OBJECTS,
  ENTITY_SELECTOR,
  fleetgraphAnswer,
  fleetgraphKeys,
  OBJECT_TYPES,
  type ObjectKeys,
} from "./entity-answers.js";
import { sameAnswer } from "./query-scenario.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";

/** A few answers even when one takes seconds (Backstage at 50 clusters), for a median at least. */
const MIN_SAMPLES = 5;
/** A change may be in flight between the two reads (a CronJob's Job): one more try after it lands. */
const RECHECK_AFTER_MS = 2000;

const NOT_MEASURED = "not measured here: entity-objects compares Fleetgraph with Backstage's own fan-out";

export const entityObjects: Scenario = {
  name: "entity-objects",
  summary:
    "one service's objects (a label selector, Backstage's 13 default types) across the fleet: Fleetgraph beside Backstage's Kubernetes backend",
  defaults: { clusters: [10], pods: 2000, durationS: 10 },
  run,
};

async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const clusters = options.clusters[0]!;
  const connections = options.connections ?? 1;
  const install = await installBackstage(options.log);
  options.log(`starting the simulator: ${clusters} clusters x ${options.pods} pods`);
  const sim = await Simulator.start({ clusters, pods: options.pods, dir: options.dir });
  const running: { stop(): Promise<void> }[] = [sim];
  try {
    options.log("starting the gateway");
    const gateway = await Gateway.start({
      fleet: sim.fleet,
      kubeconfigPath: sim.kubeconfigPath,
      dir: options.dir,
      auth: options.auth,
    });
    running.push(gateway);
    options.log(`starting the backstage peer (@backstage/plugin-kubernetes-backend ${install.version})`);
    const backstage = await startBackstage(sim.fleet, options.dir);
    running.push(backstage);

    const read = async (): Promise<{ fleetgraph: ObjectKeys; backstage: ObjectKeys; pages: number }> => {
      const answer = await fleetgraphAnswer(gateway.url, gateway.headers, ENTITY_SELECTOR);
      return {
        backstage: backstageKeys(await backstageAnswer(backstage.url, ENTITY_SELECTOR)),
        fleetgraph: fleetgraphKeys(answer),
        pages: answer.requests,
      };
    };
    let answers = await read();
    if (!sameAnswer(answers.fleetgraph, answers.backstage)) {
      await new Promise((r) => setTimeout(r, RECHECK_AFTER_MS));
      answers = await read();
    }
    if (!sameAnswer(answers.fleetgraph, answers.backstage)) {
      const { onlyA, onlyB } = differences(answers.fleetgraph, answers.backstage);
      throw new Error(
        `Fleetgraph and Backstage answered different objects for ${ENTITY_SELECTOR}: ` +
          `${JSON.stringify(countByKind(answers.fleetgraph))} against ${JSON.stringify(countByKind(answers.backstage))}; ` +
          `only Fleetgraph's: ${onlyA.join(", ") || "none"}; only Backstage's: ${onlyB.join(", ") || "none"}`,
      );
    }
    if (answers.fleetgraph.length === 0)
      throw new Error(`no object matches ${ENTITY_SELECTOR}: nothing to compare`);
    options.log(`both answer the same ${answers.fleetgraph.length} objects`);

    const base: Omit<AnswerLoopSpec, "target" | "url" | "headers"> = {
      selector: ENTITY_SELECTOR,
      durationS: options.durationS,
      warmupS: options.warmupS,
      concurrency: connections,
      minSamples: MIN_SAMPLES,
    };
    options.log("measuring fleetgraph");
    const fleetgraph = await measure(
      sim,
      { ...base, target: "fleetgraph", url: gateway.url, headers: gateway.headers },
      gateway.pid,
      () => gateway.memory(false),
    );
    fleetgraph.cached_objects = (await gateway.cache()).objects;
    // The gateway's watches and probes stay out of Backstage's window (the idle peer held none).
    await stop(running, gateway);
    options.log("measuring backstage");
    const backstageFigures = await measure(
      sim,
      { ...base, target: "backstage", url: backstage.url },
      backstage.pid,
      () => backstage.memory(false),
    );
    backstageFigures.answer_matches_gateway = true;

    return {
      scenario: "entity-objects",
      fleet: { clusters, pods: options.pods, pods_total: sim.pods },
      fleetgraph: { ...fleetgraph, objects: answers.fleetgraph.length },
      peers: {
        backstage: backstageFigures,
        passthrough: { skipped: NOT_MEASURED },
        "raw-fanout": { skipped: NOT_MEASURED },
        "graphql-constant": { skipped: NOT_MEASURED },
      },
      method: {
        latency: `closed loop, ${connections} answer(s) at a time; an answer is complete (every page parsed)`,
        selector: ENTITY_SELECTOR,
        object_types: OBJECT_TYPES,
        objects: answers.fleetgraph.length,
        objects_by_kind: countByKind(answers.fleetgraph),
        answers: "the same objects (cluster, kind, namespace, name, uid, resourceVersion), ids aside",
        fleetgraph_requests_per_answer: answers.pages,
        backstage: {
          package: "@backstage/plugin-kubernetes-backend",
          version: install.version,
          install_s: install.install_s,
          composition:
            "the plugin's KubernetesInitializer: config cluster locator, multiTenant service locator, KubernetesClientBasedFetcher, KubernetesFanOutHandler",
          clusters:
            "from config: authProvider serviceAccount with the gateway's token, the cluster CA as caData, skipMetricsLookup",
        },
        document: ENTITY_OBJECTS,
        connections,
        duration_s: options.durationS,
        warmup_s: options.warmupS,
      },
    };
  } finally {
    while (running.length) await running.pop()!.stop();
  }
}

/** Removes `which` from `running` and stops it. */
async function stop(running: { stop(): Promise<void> }[], which: { stop(): Promise<void> }): Promise<void> {
  running.splice(running.indexOf(which), 1);
  await which.stop();
}

/** Resource requests every API server received so far, by verb, summed over the fleet. */
async function fleetRequests(sim: Simulator): Promise<Record<string, number>> {
  const sum: Record<string, number> = {};
  for (const cluster of await sim.revisions())
    for (const [verb, n] of Object.entries(cluster.requests)) sum[verb] = (sum[verb] ?? 0) + n;
  return sum;
}

async function measure(
  sim: Simulator,
  spec: AnswerLoopSpec,
  pid: number,
  heap: () => Promise<{ heapUsed: number }>,
): Promise<Figures> {
  const before = await fleetRequests(sim);
  const simUsage = new UsageWindow(sim.pid);
  const serverUsage = new UsageWindow(pid);
  const child = new Child({
    name: `answer loop (${spec.target})`,
    script: "dist/bench/load/answer-loop.js",
    args: [JSON.stringify(spec)],
  });
  const output = await child.output((spec.warmupS + spec.durationS) * 1000 + 600_000);
  const server = serverUsage.finish();
  const simulator = simUsage.finish();
  const after = await fleetRequests(sim);
  const result = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as AnswerLoopResult;
  const perAnswer = (verb: string): number =>
    round(((after[verb] ?? 0) - (before[verb] ?? 0)) / result.answers_total, 2);
  const verbs = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const byVerb: Record<string, number> = {};
  for (const verb of verbs) if (perAnswer(verb) !== 0) byVerb[verb] = perAnswer(verb);
  return {
    p50_ms: result.p50_ms,
    p95_ms: result.p95_ms,
    p99_ms: result.p99_ms,
    mean_ms: result.mean_ms,
    max_ms: result.max_ms,
    rps: result.rps,
    samples: result.samples,
    cpu_cores: server.cpu_cores,
    simulator_cpu_cores: simulator.cpu_cores,
    // Over the same window as the request counts (warm-up included): what one answer costs each.
    cpu_ms_per_answer: round((server.cpu_seconds * 1000) / result.answers_total, 1),
    simulator_cpu_ms_per_answer: round((simulator.cpu_seconds * 1000) / result.answers_total, 1),
    heap_bytes: (await heap()).heapUsed,
    rss_bytes: server.rss_bytes,
    max_rss_bytes: server.max_rss_bytes,
    api_requests_per_answer: round(
      Object.values(byVerb).reduce((n, v) => n + v, 0),
      2,
    ),
    api_requests_by_verb_per_answer: byVerb,
    http_requests_per_answer: result.http_requests_per_answer,
    answers_total: result.answers_total,
    connections: result.connections,
    duration_s: result.duration_s,
    loadgen_cpu_cores: result.loadgen_cpu_cores,
  };
}
