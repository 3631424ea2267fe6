/**
 * `soak`: a long run of everything at once — readers of the dashboard's queries, graphql-ws
 * subscribers, a writer scaling Deployments, the simulator's churn, and a fault injected on one
 * cluster after another (down, slow, 5xx, watches cut, history expired) — asking whether the
 * gateway stays whole: heap after warm-up (full collections) growing at most 10 %, no error that an
 * injected fault does not explain, and no sockets or timers left behind once the load is gone.
 *
 * Handles are counted at rest twice: with the subscribers and the load not yet started, and after
 * they are closed and the churn stopped. A leak is a type of handle (TCPSocketWrap, Timeout, ...)
 * that grew by more than a few, since the watches and keep-alive sockets to the API servers come
 * and go with the faults.
 */
import { Gateway } from "../processes/gateway.js";
import { Simulator } from "../processes/simulator.js";
import { SubscriberLoad } from "../processes/subscriber-load.js";
import { memory, round } from "../proc-stats.js";
import { summarize } from "../stats.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";
import { FaultInjector } from "./soak-faults.js";
import { SoakTraffic } from "./soak-traffic.js";
import { POD_CHANGES } from "./subscription-workload.js";

const READERS = 2;
const SUBSCRIBERS = 100;
const CHURN_PER_S = 20;
const WRITE_EVERY_MS = 2000;
/** Faults last this long, with as long again of quiet before the next. */
const FAULT_HOLD_MS = 15_000;
const HEAP_SAMPLE_MS = 30_000;
/** Handles of one type that may differ between the two rests without being called a leak. */
const HANDLE_SLACK = 5;

export const soak: Scenario = {
  name: "soak",
  summary:
    "queries, subscriptions and mutations under churn and injected faults: heap growth, unexplained errors, leaked handles",
  defaults: { clusters: [10], pods: 1000, durationS: 1800 },
  run: runSoak,
};

async function atRest(gateway: Gateway): Promise<Record<string, number>> {
  await new Promise((r) => setTimeout(r, 3000));
  return gateway.handles();
}

function leaks(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const grown: Record<string, number> = {};
  for (const [type, n] of Object.entries(after)) {
    const delta = n - (before[type] ?? 0);
    if (delta > HANDLE_SLACK) grown[type] = delta;
  }
  return grown;
}

async function runSoak(options: ScenarioOptions): Promise<ScenarioResult> {
  const clusters = options.clusters[0]!;
  // A soak's warm-up is long enough for the caches, V8's heap and the query plans to settle.
  const warmupS = Math.max(options.warmupS, Math.min(120, options.durationS / 10));
  options.log(`starting the simulator: ${clusters} clusters x ${options.pods} pods`);
  const sim = await Simulator.start({ clusters, pods: options.pods, dir: options.dir });
  let gateway: Gateway | undefined;
  let subscribers: SubscriberLoad | undefined;
  try {
    gateway = await Gateway.start({
      fleet: sim.fleet,
      kubeconfigPath: sim.kubeconfigPath,
      dir: options.dir,
      auth: options.auth,
    });
    const names = sim.fleet.clusters.map((c) => c.name);
    const handlesBefore = await atRest(gateway);

    subscribers = await SubscriberLoad.start();
    const opened = await subscribers.subscribe({
      url: gateway.url,
      ...(gateway.token ? { token: gateway.token } : {}),
      query: POD_CHANGES,
      filters: Array.from({ length: SUBSCRIBERS }, (_, i) => ({ clusters: [names[i % names.length]] })),
      concurrency: 20,
      deadlineMs: 60_000,
    });
    await sim.setChurn(CHURN_PER_S);

    const faults = new FaultInjector(sim.fleet, names);
    const traffic = new SoakTraffic(gateway.url, gateway.headers, faults, names);
    const loops = [
      ...Array.from({ length: READERS }, () => traffic.read()),
      traffic.write(names, WRITE_EVERY_MS),
      (async () => {
        while (traffic.running) {
          await faults.cycle(FAULT_HOLD_MS, () => !traffic.running);
          const quietUntil = performance.now() + FAULT_HOLD_MS;
          while (traffic.running && performance.now() < quietUntil)
            await new Promise((r) => setTimeout(r, 250));
        }
      })(),
    ];

    const started = performance.now();
    const end = started + (warmupS + options.durationS) * 1000;
    options.log(`soaking for ${warmupS} s of warm-up and ${options.durationS} s measured`);
    await new Promise((r) => setTimeout(r, warmupS * 1000));
    const heap: number[] = [(await gateway.memory(true)).heapUsed];
    const requestsAtWarm = traffic.counts.requests;
    while (performance.now() < end) {
      await new Promise((r) => setTimeout(r, Math.min(HEAP_SAMPLE_MS, Math.max(0, end - performance.now()))));
      heap.push((await gateway.memory(true)).heapUsed);
    }
    const measuredS = (performance.now() - started) / 1000 - warmupS;
    traffic.stop();
    await Promise.all(loops);
    await faults.clear();
    await sim.setChurn(0);
    const received = await subscribers.stats();
    await subscribers.close();
    const handlesAfter = await atRest(gateway);
    const open = await gateway.subscriptions();
    const heapEnd = (await gateway.memory(true)).heapUsed;
    const counts = traffic.counts;
    // The last samples, not the last one, so one collection's timing does not decide.
    const settled = heap.slice(-3).reduce((a, b) => a + b, 0) / Math.min(3, heap.length);
    return {
      scenario: "soak",
      fleet: { clusters, pods: options.pods, pods_total: sim.pods },
      fleetgraph: {
        measured_s: round(measuredS, 1),
        requests_per_s: round((counts.requests - requestsAtWarm) / measuredS, 1),
        requests: counts.requests,
        mutations: counts.mutations,
        faults_injected: faults.injected.length,
        errors_expected: counts.expectedErrors,
        errors_unexpected: counts.unexpectedErrors,
        unexpected_samples: counts.unexpectedSamples,
        recovery_ms: Object.fromEntries(
          Object.entries(faults.recoveries()).map(([name, times]) => [name, summarize(times)]),
        ),
        pods_query: summarize(counts.podsQueryMs),
        subscribers_connected: opened.connected,
        subscription_events: received.events,
        subscription_errors: received.errors,
        heap_after_warmup_bytes: heap[0],
        heap_settled_bytes: Math.round(settled),
        heap_after_load_bytes: heapEnd,
        heap_growth_pct: round(((settled - heap[0]!) / heap[0]!) * 100, 1),
        ...memory(gateway.pid),
        subscription_sockets_after: open.connections,
        handles_before: handlesBefore,
        handles_after: handlesAfter,
        handles_leaked: leaks(handlesBefore, handlesAfter),
      },
      peers: {
        passthrough: { skipped: "the soak measures the gateway alone" },
        "raw-fanout": { skipped: "the soak measures the gateway alone" },
        "graphql-constant": { skipped: "the soak measures the gateway alone" },
      },
      method: {
        readers: `${READERS} closed loops: pods-query three times, then the dashboard`,
        writer: `workloadScale of one Deployment per cluster in turn, every ${WRITE_EVERY_MS} ms`,
        subscribers: `${SUBSCRIBERS} podChanges subscribers over graphql-ws, one cluster each`,
        churn_per_s: CHURN_PER_S,
        faults: `one at a time, ${FAULT_HOLD_MS / 1000} s each then as long quiet, on every cluster but the first in turn: down, slow (2.5 s), 5xx (half the requests), watches dropped, history expired`,
        expected_errors:
          "an error naming a cluster during a fault injected on it or within 10 s after it ended",
        warmup_s: warmupS,
        heap: `heapUsed after a full collection every ${HEAP_SAMPLE_MS / 1000} s; growth = mean of the last three against the first after warm-up`,
        handles: `process.getActiveResourcesInfo() by type at rest before the load and after it (3 s settle); a type grown by more than ${HANDLE_SLACK} is reported`,
      },
    };
  } finally {
    await subscribers?.stop();
    await gateway?.stop();
    await sim.stop();
  }
}
