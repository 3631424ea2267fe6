/**
 * `subscriptions`: live pod subscriptions over graphql-ws, from 1,000 and 10,000 subscribers (real
 * graphql-ws clients in one load process, authenticated as deployed), each watching one namespace
 * of one cluster, beside a pass-through peer that opens its own upstream watch per subscription.
 *
 * For each server, alone with the simulator:
 *   - idle: subscribers opened step by step with no churn; RSS and heap after full collections,
 *     minus the server's with none, per subscriber; the watches open on the API servers (the
 *     simulator's admin endpoint counts them);
 *   - under churn: the simulator's churn on, and each event's latency from the simulator's commit
 *     of the change to its arrival at the subscriber (subscription-latency.ts).
 * The gateway is weighed at every size before any churn (churn grows its caches, which would be
 * charged to the subscribers), then measured under churn from the largest size down. The peer goes
 * up once, size by size, each with a bounded time: at the largest size it may not get there.
 */
import { Gateway } from "../processes/gateway.js";
import { startPassthroughWatch } from "../processes/peer-servers.js";
import { Simulator } from "../processes/simulator.js";
import { SubscriberLoad } from "../processes/subscriber-load.js";
import { round } from "../proc-stats.js";
import type { Figures } from "../results.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";
import {
  churnWindow,
  gatewayServer,
  grow,
  idle,
  peerServer,
  settledMemory,
  shrink,
  upstreamWatches,
  type Idle,
  type StepContext,
  type SubscriptionServer,
} from "./subscription-steps.js";
import { SubscriptionWorkload } from "./subscription-workload.js";

export const DEFAULT_SUBSCRIBERS = [1000, 10_000];
/** Changes per second across the fleet: about 23 pod changes each (rollouts replace pods). */
export const DEFAULT_SUBSCRIPTION_CHURN = 10;
/** Below the 300 s an answer's headers may take (the load process answers once all are open). */
const GATEWAY_CONNECT_DEADLINE_MS = 240_000;
const PEER_CONNECT_DEADLINE_MS = 180_000;

export function subscriptionsScenario(
  options: { subscribers?: number[] | undefined; churn?: number | undefined } = {},
): Scenario {
  const subscribers = [...(options.subscribers ?? DEFAULT_SUBSCRIBERS)].sort((a, b) => a - b);
  const churn = options.churn ?? DEFAULT_SUBSCRIPTION_CHURN;
  return {
    name: "subscriptions",
    summary: "event-to-client latency, RSS per subscriber and upstream watches, beside a pass-through",
    defaults: { clusters: [50], pods: 2000, durationS: 20 },
    run: (o) => runSubscriptions(o, subscribers, churn),
  };
}

async function runSubscriptions(
  options: ScenarioOptions,
  subscribers: number[],
  churnPerS: number,
): Promise<ScenarioResult> {
  const clusters = options.clusters[0]!;
  options.log(`starting the simulator: ${clusters} clusters x ${options.pods} pods`);
  const sim = await Simulator.start({ clusters, pods: options.pods, dir: options.dir });
  try {
    const watchesAlone = await upstreamWatches(sim);
    const { fleetgraph, workload } = await gatewayPhase(options, sim, subscribers, churnPerS);
    const peer = await measurePeer(
      context(options, sim, workload, churnPerS),
      sim.kubeconfigPath,
      subscribers,
    );
    return {
      scenario: "subscriptions",
      fleet: { clusters, pods: options.pods, pods_total: sim.pods },
      fleetgraph: { ...fleetgraph, upstream_watches_simulator_alone: watchesAlone },
      peers: {
        passthrough: peer,
        "raw-fanout": { skipped: "has no subscriptions: the pass-through peer is the comparison" },
        "graphql-constant": { skipped: "has no subscriptions: the pass-through peer is the comparison" },
      },
      method: method(subscribers, churnPerS, options, workload.pairs),
    };
  } finally {
    await sim.stop();
  }
}

/** The gateway, from its start to its stop; the workload is read from it. */
async function gatewayPhase(
  options: ScenarioOptions,
  sim: Simulator,
  subscribers: number[],
  churnPerS: number,
): Promise<{ fleetgraph: Figures; workload: SubscriptionWorkload }> {
  options.log("starting the gateway");
  const gateway = await Gateway.start({
    fleet: sim.fleet,
    kubeconfigPath: sim.kubeconfigPath,
    dir: options.dir,
    auth: options.auth,
  });
  try {
    const workload = await SubscriptionWorkload.fromGateway(gateway.url, gateway.headers);
    options.log(`${workload.pairs} namespaces with pods to subscribe to`);
    const ctx = context(options, sim, workload, churnPerS);
    return { fleetgraph: await measureGateway(ctx, gatewayServer(gateway), subscribers), workload };
  } finally {
    await gateway.stop();
  }
}

function context(
  options: ScenarioOptions,
  sim: Simulator,
  workload: SubscriptionWorkload,
  churnPerS: number,
): Omit<StepContext, "load"> {
  return {
    sim,
    workload,
    churnPerS,
    warmupS: options.warmupS,
    durationS: options.durationS,
    log: options.log,
  };
}

async function withLoad<T>(run: (load: SubscriberLoad) => Promise<T>): Promise<T> {
  const load = await SubscriberLoad.start();
  try {
    return await run(load);
  } finally {
    await load.stop();
  }
}

async function measureGateway(
  base: Omit<StepContext, "load">,
  server: SubscriptionServer,
  subscribers: number[],
): Promise<Figures> {
  return withLoad(async (load) => {
    const ctx = { ...base, load };
    const empty = await settledMemory(server);
    const watchesEmpty = await upstreamWatches(ctx.sim);
    const sizes: Figures[] = [];
    let open = 0;
    for (const n of subscribers) {
      ctx.log(`fleetgraph: opening subscribers ${open}..${n}`);
      const growth = await grow(ctx, server, open, n, GATEWAY_CONNECT_DEADLINE_MS);
      open = growth.open;
      const rest = await idle(ctx, server, open, empty);
      ctx.log(
        `  ${open} open, ${growth.held} held, ${rest.rss_bytes_per_subscriber} B RSS per subscriber, ${rest.upstream_watches} upstream watches`,
      );
      sizes.push({ subscribers: n, ...growth, ...rest, ...marginal(sizes.at(-1), growth.open, rest) });
    }
    // Under churn from the largest size down, closing subscribers in between.
    for (const size of [...sizes].reverse()) {
      const n = size.subscribers as number;
      await shrink(server, load, n);
      ctx.log(`fleetgraph: churn ${ctx.churnPerS}/s with ${n} subscribers`);
      const window = await churnWindow(ctx, server, Math.min(n, open));
      ctx.log(`  p50 ${window.p50_ms} ms, p99 ${window.p99_ms} ms, ${window.events_per_s} events/s`);
      Object.assign(size, { churn: window });
    }
    return headline(sizes, {
      baseline_rss_bytes: empty.rss,
      baseline_heap_bytes: empty.heapUsed,
      upstream_watches_without_subscribers: watchesEmpty,
    });
  });
}

/** The pass-through peer, size by size; a size it cannot reach in time is recorded as such. */
async function measurePeer(
  base: Omit<StepContext, "load">,
  kubeconfig: string,
  subscribers: number[],
): Promise<Figures> {
  const peer = await startPassthroughWatch(kubeconfig);
  try {
    const server = peerServer(peer);
    return await withLoad(async (load) => {
      const ctx = { ...base, load };
      const empty = await settledMemory(server);
      const watchesEmpty = await upstreamWatches(ctx.sim);
      const sizes: Figures[] = [];
      let open = 0;
      for (const n of subscribers) {
        ctx.log(
          `passthrough: opening subscribers ${open}..${n} (at most ${PEER_CONNECT_DEADLINE_MS / 1000} s)`,
        );
        try {
          const growth = await grow(ctx, server, open, n, PEER_CONNECT_DEADLINE_MS);
          open = growth.open;
          const rest = await idle(ctx, server, open, empty);
          ctx.log(
            `  ${open} open, ${growth.held} watches up, ${rest.rss_bytes_per_subscriber} B RSS per subscriber, ${rest.upstream_watches} upstream watches`,
          );
          const size: Figures = { subscribers: n, ...growth, ...rest, ...marginal(sizes.at(-1), open, rest) };
          sizes.push(size);
          if (!peer.child.running) throw peer.child.failure("exited");
          ctx.log(`passthrough: churn ${ctx.churnPerS}/s with ${open} subscribers`);
          size.churn = await churnWindow(ctx, server, open);
          const churn = size.churn as Figures;
          ctx.log(`  p50 ${String(churn.p50_ms)} ms, p99 ${String(churn.p99_ms)} ms`);
          if (open < n) break; // it could not hold this many: a larger size would not do better
        } catch (error) {
          ctx.log(`  passthrough failed at ${n}: ${(error as Error).message.split("\n")[0]}`);
          sizes.push({ subscribers: n, failed_with: (error as Error).message.slice(0, 2000) });
          break;
        }
      }
      return headline(sizes, {
        baseline_rss_bytes: empty.rss,
        baseline_heap_bytes: empty.heapUsed,
        upstream_watches_without_subscribers: watchesEmpty,
      });
    });
  } finally {
    await peer.stop();
  }
}

/**
 * RSS per subscriber added since the previous size: the one-time costs (code compiled, pools
 * filled) the first size pays are not in it.
 */
function marginal(previous: Figures | undefined, open: number, rest: Idle): Figures {
  if (!previous || typeof previous.open !== "number" || typeof previous.rss_bytes !== "number") return {};
  const added = open - previous.open;
  return added > 0
    ? { rss_bytes_per_added_subscriber: round((rest.rss_bytes - previous.rss_bytes) / added, 0) }
    : {};
}

/** The figures the targets read, from the largest size measured, ahead of every size's own. */
function headline(sizes: Figures[], extra: Figures): Figures {
  const largest = [...sizes].reverse().find((s) => s.churn !== undefined);
  const churn = (largest?.churn ?? {}) as Figures;
  const watches = sizes.map((s) => s.upstream_watches).filter((w) => typeof w === "number");
  return {
    subscribers: largest?.open ?? 0,
    p50_ms: churn.p50_ms ?? null,
    p99_ms: churn.p99_ms ?? null,
    rss_bytes_per_idle_subscriber: largest?.rss_bytes_per_subscriber ?? null,
    upstream_watches: watches,
    ...extra,
    sizes,
  };
}

function method(subscribers: number[], churn: number, options: ScenarioOptions, pairs: number) {
  return {
    subscribers,
    churn_per_s: churn,
    warmup_s: options.warmupS,
    duration_s: options.durationS,
    authentication: options.auth ? "on (a bearer token in connection_init)" : "off",
    subscription: `podChanges(filter: {clusters: [c], namespaces: [n]}): one namespace of one cluster per subscriber, ${pairs} (cluster, namespace) pairs with pods, subscriber i on cluster i mod clusters`,
    latency:
      "arrival at the subscriber (load process) minus the simulator's commit of the change (its commit log), same machine's wall clock; ADDED and UPDATED events of changes committed in the measured window",
    rss_per_subscriber:
      "RSS after two full collections with N idle subscribers minus the same with none, divided by N (no churn yet)",
    upstream_watches: "watches open on all simulated API servers (the admin endpoint's per-cluster count)",
    passthrough:
      "one client-node Watch per cluster and namespace in the subscription's filter (here one), started at the current resourceVersion; no authentication",
  };
}
