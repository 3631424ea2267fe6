/**
 * The common run of the query scenarios (pods-query, node-lookup, dashboard, throughput): one
 * simulated fleet; the gateway, then each peer, measured against it in turn with the same
 * document, the same load settings and the same load generator process. The simulator's CPU is
 * recorded for each target too: a pass-through design moves its work onto the API servers.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateLoad } from "../load/generate-load.js";
import type { LoadSpec } from "../load/load-spec.js";
import { postGraphQL } from "../http-client.js";
import type { FanoutSpec } from "../peers/raw-fanout-spec.js";
import { Gateway } from "../processes/gateway.js";
import {
  runRawFanout,
  startGraphqlConstant,
  startPassthrough,
  type PeerServer,
} from "../processes/peer-servers.js";
import { Simulator } from "../processes/simulator.js";
import { round, UsageWindow } from "../proc-stats.js";
import type { Figures, PeerName, Skipped } from "../results.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";

export interface FleetInfo {
  clusters: string[];
  kubeconfig: string;
}

/** A GraphQL server under test: the gateway or a peer. */
export interface GraphQLTarget {
  name: "fleetgraph" | "passthrough" | "graphql-constant";
  url: string;
  /** Sent with every request: the gateway's bearer token when authentication is on. */
  headers?: Record<string, string>;
}

export interface QueryScenarioSpec extends Omit<Scenario, "run"> {
  document: string;
  defaultConnections: number;
  /** The operation's variables for one target (node-lookup first asks that target for a pod id). */
  variables(target: GraphQLTarget, fleet: FleetInfo): Promise<Record<string, unknown>>;
  /** What raw-fanout repeats; `answer` is the gateway's data for the same operation. */
  fanout(
    fleet: FleetInfo,
    answer: unknown,
  ): Omit<FanoutSpec, "kubeconfig" | "durationS" | "warmupS" | "concurrency">;
  method: Record<string, unknown>;
  /**
   * Measure the gateway and graphql-constant in this many alternating rounds, each of the full
   * duration, and report the round with the median ratio between them. For a target that is a
   * ratio of the two: on a shared machine, two windows a minute apart can differ by a third in
   * speed for either server, and alternating windows cancel that drift out of the ratio.
   */
  pairedRounds?: number;
}

interface Measured {
  figures: Figures;
  data: unknown;
}

/** Enough samples for a p99 when a target is fast; at least a few when one answer takes seconds. */
const FAST_SAMPLES = 20;
const MIN_SLOW_SAMPLES = 5;

export function queryScenario(spec: QueryScenarioSpec): Scenario {
  return {
    name: spec.name,
    summary: spec.summary,
    defaults: spec.defaults,
    run: (o) => runQueryScenario(spec, o),
  };
}

async function runQueryScenario(spec: QueryScenarioSpec, options: ScenarioOptions): Promise<ScenarioResult> {
  const clusters = options.clusters[0]!;
  const connections = options.connections ?? spec.defaultConnections;
  options.log(`starting the simulator: ${clusters} clusters x ${options.pods} pods`);
  const sim = await Simulator.start({ clusters, pods: options.pods, dir: options.dir });
  const fleet: FleetInfo = {
    clusters: sim.fleet.clusters.map((c) => c.name),
    kubeconfig: sim.kubeconfigPath,
  };
  const running: { stop(): Promise<void> }[] = [sim];
  const notes: string[] = [];

  const measure = async (
    target: GraphQLTarget,
    pid: number,
    memory: () => Promise<{ heapUsed: number }>,
    label?: string,
  ): Promise<Measured> => {
    const variables = await spec.variables(target, fleet);
    const request = { query: spec.document, variables };
    // Two answers before any load: both checked for errors, the faster one sizes the run.
    let probeMs = Infinity;
    let data: unknown;
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      data = await postGraphQL(target.url, request, target.headers);
      probeMs = Math.min(probeMs, performance.now() - t);
    }
    const slow = probeMs * FAST_SAMPLES > options.durationS * 1000 * connections;
    const load: LoadSpec = {
      url: target.url,
      body: JSON.stringify(request),
      ...(target.headers ? { headers: target.headers } : {}),
      connections,
      durationS: options.durationS,
      warmupS: slow ? 0 : options.warmupS,
      timeoutS: 120,
      ...(slow
        ? {
            amount: Math.max(
              MIN_SLOW_SAMPLES * connections,
              Math.ceil((options.durationS * 1000 * connections) / probeMs),
            ),
          }
        : {}),
    };
    options.log(
      `measuring ${target.name}${label ? ` (${label})` : ""}${slow ? ` (${load.amount} requests, ${Math.round(probeMs)} ms each)` : ""}`,
    );
    const simUsage = new UsageWindow(sim.pid);
    const { load: result, server } = await generateLoad(target.name, pid, load);
    const simulator = simUsage.finish();
    const heap = await memory();
    const { p50_ms, p95_ms, p99_ms, mean_ms, max_ms, samples, rps, ...rest } = result;
    options.log(`  ${Math.round(rps)} requests/s, ${samples} answers, ${server.cpu_cores} cores`);
    return {
      data,
      figures: {
        p50_ms,
        p95_ms,
        p99_ms,
        mean_ms,
        max_ms,
        rps,
        heap_bytes: heap.heapUsed,
        rss_bytes: server.rss_bytes,
        max_rss_bytes: server.max_rss_bytes,
        cpu_cores: server.cpu_cores,
        simulator_cpu_cores: simulator.cpu_cores,
        samples,
        connections: rest.connections,
        duration_s: rest.duration_s,
        bytes_per_response: rest.bytes_per_response,
        loadgen_cpu_cores: rest.loadgen_cpu_cores,
      },
    };
  };

  try {
    options.log("starting the gateway");
    const gateway = await Gateway.start({
      fleet: sim.fleet,
      kubeconfigPath: sim.kubeconfigPath,
      dir: options.dir,
      auth: options.auth,
    });
    running.push(gateway);
    const measureGateway = (label?: string) =>
      measure(
        { name: "fleetgraph", url: gateway.url, headers: gateway.headers },
        gateway.pid,
        () => gateway.memory(false),
        label,
      );
    const startConstant = async (data: unknown): Promise<PeerServer> => {
      const dataFile = join(options.dir, `${spec.name}.constant.json`);
      await writeFile(dataFile, JSON.stringify(data));
      const constant = await startGraphqlConstant(dataFile);
      running.push(constant);
      return constant;
    };
    const measureConstant = async (constant: PeerServer, label?: string): Promise<Figures> =>
      (
        await measure(
          { name: "graphql-constant", url: constant.url },
          constant.pid,
          () => constant.memory(false),
          label,
        )
      ).figures;

    const peers = {} as Record<PeerName, Figures | Skipped>;
    let gw: Measured;
    if (spec.pairedRounds) {
      // With authentication on, the same build without it is measured in the same rounds (a
      // second gateway over the same fleet): runs minutes apart drift more than auth costs.
      let unauthenticated: Gateway | undefined;
      if (options.auth) {
        options.log("starting a second gateway, without authentication, for the paired rounds");
        unauthenticated = await Gateway.start({
          fleet: sim.fleet,
          kubeconfigPath: sim.kubeconfigPath,
          dir: join(options.dir, "no-auth"),
          auth: false,
        });
      }
      const rounds: {
        gateway: Measured;
        constant: Figures;
        share: number;
        authShare?: number;
        /** CPU-seconds per 1,000 requests, with and without authentication. */
        cpuPerKilo?: { on: number; off: number };
      }[] = [];
      let constant: PeerServer | undefined;
      try {
        // Round 0 is a warm-up of every target, discarded: a process's first window runs while
        // V8 is still optimising its hot paths (the first measured round read 75 % in two runs
        // whose other rounds read 87-94 %), and in round 1 that window was always the same build's.
        for (let i = 0; i <= spec.pairedRounds; i++) {
          const label = i === 0 ? "warm-up, discarded" : `round ${i} of ${spec.pairedRounds}`;
          const measureOff = () =>
            unauthenticated
              ? measure(
                  { name: "fleetgraph", url: unauthenticated.url },
                  unauthenticated.pid,
                  () => unauthenticated.memory(false),
                  `${label}, without authentication`,
                )
              : Promise.resolve(undefined);
          // Counterbalanced: every other round measures the gateway without authentication
          // first, so neither build always follows graphql-constant's window.
          const offFirst = i % 2 === 0 ? await measureOff() : undefined;
          const measured = await measureGateway(label);
          constant ??= await startConstant(measured.data);
          const figures = await measureConstant(constant, label);
          const off = offFirst ?? (i % 2 === 0 ? undefined : await measureOff());
          if (i === 0) continue;
          rounds.push({
            gateway: measured,
            constant: figures,
            share: (measured.figures.rps as number) / (figures.rps as number),
            ...(off
              ? {
                  authShare: (measured.figures.rps as number) / (off.figures.rps as number),
                  cpuPerKilo: { on: cpuPerKilo(measured.figures), off: cpuPerKilo(off.figures) },
                }
              : {}),
          });
        }
      } finally {
        await unauthenticated?.stop();
      }
      await stopLast(running);
      const median = [...rounds].sort((a, b) => a.share - b.share)[Math.floor(rounds.length / 2)]!;
      gw = median.gateway;
      peers["graphql-constant"] = median.constant;
      gw.figures.constant_rps_share_rounds = rounds.map((r) => round(r.share, 3));
      const authShares = rounds.flatMap((r) => (r.authShare === undefined ? [] : [r.authShare]));
      if (authShares.length > 0) {
        gw.figures.auth_rps_share_rounds = authShares.map((v) => round(v, 3));
        // Whether the gap is the gateway's own work: its CPU per request, on and off.
        gw.figures.auth_cpu_ms_per_kilo_rounds = rounds.flatMap((r) =>
          r.cpuPerKilo ? [{ on: round(r.cpuPerKilo.on, 1), off: round(r.cpuPerKilo.off, 1) }] : [],
        );
        gw.figures.auth_rps_share = round(
          [...authShares].sort((a, b) => a - b)[Math.floor(authShares.length / 2)]!,
          3,
        );
      }
    } else {
      gw = await measureGateway();
    }
    const cache = await gateway.cache();
    gw.figures.cached_objects = cache.objects;
    await stopLast(running);

    const passthrough = await startPassthrough(sim.kubeconfigPath);
    running.push(passthrough);
    const pt = await measure({ name: "passthrough", url: passthrough.url }, passthrough.pid, () =>
      passthrough.memory(false),
    );
    const agrees = sameAnswer(gw.data, pt.data);
    pt.figures.answer_matches_gateway = agrees;
    if (!agrees)
      notes.push("passthrough's answer differs from the gateway's (ids aside): see method.answers");
    peers.passthrough = pt.figures;
    await stopLast(running);

    options.log("measuring raw-fanout");
    const simUsage = new UsageWindow(sim.pid);
    const fanout = await runRawFanout({
      ...spec.fanout(fleet, gw.data),
      kubeconfig: sim.kubeconfigPath,
      durationS: options.durationS,
      warmupS: options.warmupS,
      concurrency: connections,
    });
    peers["raw-fanout"] = { ...fanout, simulator_cpu_cores: simUsage.finish().cpu_cores };

    if (!spec.pairedRounds) {
      peers["graphql-constant"] = await measureConstant(await startConstant(gw.data));
      await stopLast(running);
    }

    const p50 = (f: Figures | Skipped): number => (f as { p50_ms: number }).p50_ms;
    const rps = (f: Figures | Skipped): number => (f as { rps: number }).rps;
    gw.figures.passthrough_p50_ratio = round(p50(peers.passthrough) / (gw.figures.p50_ms as number), 1);
    gw.figures.constant_rps_share = round((gw.figures.rps as number) / rps(peers["graphql-constant"]), 3);
    return {
      scenario: spec.name,
      fleet: { clusters, pods: options.pods, pods_total: sim.pods },
      fleetgraph: gw.figures,
      peers,
      method: {
        ...spec.method,
        document: spec.document,
        connections,
        duration_s: options.durationS,
        warmup_s: options.warmupS,
      },
      ...(notes.length ? { notes } : {}),
    };
  } finally {
    while (running.length) await stopLast(running);
  }
}

async function stopLast(running: { stop(): Promise<void> }[]): Promise<void> {
  await running.pop()?.stop();
}

/** The same answer up to ids (each server has its own id scheme). */
export function sameAnswer(a: unknown, b: unknown): boolean {
  const strip = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === "id" ? undefined : v)) as unknown;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** The server's CPU time per 1,000 answers, in milliseconds. */
function cpuPerKilo(figures: Figures): number {
  return ((figures.cpu_cores as number) * 1e6) / (figures.rps as number);
}
