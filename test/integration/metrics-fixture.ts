/**
 * The metrics tests' world: a small simulated fleet serving metrics endpoints, a real Prometheus
 * (Debian's binary) scraping every cluster each second, and a gateway reading that Prometheus —
 * started once rate() has data for every cluster and the gateway's caches are ready. Also the
 * one way those tests learn the moment the gateway evaluated its instant queries at.
 */
import type { GatewayConfig, PrometheusSettings } from "../../src/config/index.js";
import type { Gateway, GatewayOptions } from "../../src/server/gateway.js";
import type { FleetOptions, SimFleet } from "../../sim/fleet.js";
import { eventually } from "../support/eventually.js";
import { startPrometheus, type RunningPrometheus } from "../support/prometheus.js";
import {
  baseUrl,
  fleetConfig,
  graphql,
  startSimFleet,
  startTestGateway,
  type GraphQLResponse,
} from "./server-fixture.js";

/** The target label the simulator's scrape config names each cluster with. */
export const CLUSTER_LABEL = "cluster";

/** A Prometheus entry of the gateway's config, as the loader resolves one. */
export function prometheusSettings(
  url: string,
  overrides: Partial<PrometheusSettings> = {},
): PrometheusSettings {
  return {
    url,
    clusterLabel: CLUSTER_LABEL,
    tls: { insecureSkipVerify: false },
    auth: {},
    timeoutMs: 3000,
    maxConcurrentRequests: 8,
    ...overrides,
  };
}

/**
 * A Prometheus scraping every cluster of `sim` each second, returned once rate() has an answer
 * for every cluster's containers and nodes (two scrapes of each) at a second already past — so
 * whatever second a later request is evaluated at, its CPU and network numbers have data.
 */
export async function startFleetPrometheus(sim: SimFleet): Promise<RunningPrometheus> {
  const config = await fetch(`${sim.adminUrl}/prometheus.yml?interval=1s&label=${CLUSTER_LABEL}`);
  if (!config.ok) throw new Error(`GET /prometheus.yml: ${config.status} ${await config.text()}`);
  const prometheus = await startPrometheus({ configYaml: await config.text() });
  const rated = (series: string) => `count by (${CLUSTER_LABEL}) (rate(${series}[5m]))`;
  try {
    await prometheus.until(
      "two scrapes of every cluster",
      async () => {
        const past = Math.floor(Date.now() / 1000) - 1;
        const both = `${rated("container_cpu_usage_seconds_total")} and ${rated("node_cpu_seconds_total")}`;
        return (await prometheus.query(both, past)).length === sim.clusters.length ? true : undefined;
      },
      30_000,
    );
  } catch (error) {
    await prometheus.stop();
    throw error;
  }
  return prometheus;
}

/**
 * Waits until `count` containers matched by `selector` have a CPU rate (two scrapes each) at a
 * second already past, so that any request from now on — evaluated at the current second or a
 * later one — finds their numbers.
 */
export async function untilRated(
  prometheus: RunningPrometheus,
  selector: string,
  count: number,
): Promise<void> {
  const promql = `count(rate(container_cpu_usage_seconds_total{${selector}}[5m]))`;
  await prometheus.until(
    `${count} containers rated: ${selector}`,
    async () => {
      const [rated] = await prometheus.query(promql, Math.floor(Date.now() / 1000) - 1);
      return Number(rated?.value[1]) === count ? true : undefined;
    },
    20_000,
  );
}

export interface MetricsFleetOptions {
  seed: string;
  /** Default: 2 clusters of 2 nodes and about 30 pods. */
  fleet?: Partial<FleetOptions>;
  /** The gateway's config from the fleet's; default: the Prometheus shared by every cluster. */
  config?: (fleet: GatewayConfig, prometheus: RunningPrometheus) => GatewayConfig | Promise<GatewayConfig>;
  gateway?: Partial<GatewayOptions>;
}

export interface MetricsFleet {
  readonly sim: SimFleet;
  readonly prometheus: RunningPrometheus;
  readonly gateway: Gateway;
  /** The clusters' names, in the fleet's order. */
  readonly clusters: readonly string[];
  /** Waits until Prometheus has held rate() answers for every cluster for `seconds` (range tests need a past). */
  history(seconds: number): Promise<void>;
  query<D = Record<string, unknown>>(
    document: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<D>>;
  stop(): Promise<void>;
}

export async function startMetricsFleet(options: MetricsFleetOptions): Promise<MetricsFleet> {
  const sim = await startSimFleet(options.seed, {
    clusters: 2,
    nodes: 2,
    pods: 30,
    http: true,
    ...options.fleet,
  });
  let prometheus: RunningPrometheus | undefined;
  let gateway: Gateway | undefined;
  try {
    prometheus = await startFleetPrometheus(sim);
    const ratedAtMs = Date.now();
    const base = fleetConfig(sim);
    const shared = prometheus.url;
    const config = options.config
      ? await options.config(base, prometheus)
      : { ...base, metrics: { prometheus: prometheusSettings(shared) } };
    gateway = await startTestGateway(config, options.gateway);
    const readyz = `${baseUrl(gateway)}/readyz`;
    await eventually(async () => (await fetch(readyz)).status === 200, 30_000, 100);
    const started = { sim, prometheus, gateway };
    return {
      ...started,
      clusters: sim.clusters.map((c) => c.name),
      history: (seconds) =>
        new Promise((resolve) => setTimeout(resolve, Math.max(0, ratedAtMs + seconds * 1000 - Date.now()))),
      query: (document, variables) => graphql(started.gateway.url, document, variables),
      async stop() {
        await started.gateway.stop();
        await started.prometheus.stop();
        await sim.stop();
      },
    };
  } catch (error) {
    await gateway?.stop().catch(() => {});
    await prometheus?.stop().catch(() => {});
    await sim.stop().catch(() => {});
    throw error;
  }
}

/**
 * Runs `request` so that the second the gateway evaluates its instant queries at is known, and
 * Prometheus's answers about that second are exactly those the gateway got. The gateway evaluates
 * every instant query of a request at the floor of its clock in seconds: a request that starts
 * and ends within one second was evaluated at that second. Prometheus's answers about a second
 * change only while scrapes stamped at or before it are still being stored (a loaded machine can
 * delay one), so the request starts 200 ms into a second, and when the newest scrape of every target at that second is the same before the request
 * as after it, the gateway's queries saw every sample a later query will. Otherwise, try again.
 */
export async function atKnownSecond<T>(
  prometheus: RunningPrometheus,
  request: () => Promise<T>,
): Promise<{ answer: T; time: number }> {
  const second = () => Math.floor(Date.now() / 1000);
  // up's timestamp is its target's newest scrape, stored with that scrape's samples.
  const newestScrapes = async (time: number) =>
    (await prometheus.query("timestamp(up)", time))
      .map((s) => JSON.stringify([s.metric, s.value[1]]))
      .sort()
      .join("\n");
  for (let attempt = 0; attempt < 20; attempt++) {
    // From 200 ms into a second: the scrapes stamped before it have had time to be stored.
    const into = Date.now() % 1000;
    if (into < 200 || into > 500) await new Promise((resolve) => setTimeout(resolve, (1200 - into) % 1000));
    const time = second();
    const before = await newestScrapes(time);
    const answer = await request();
    if (second() !== time) continue;
    if ((await newestScrapes(time)) === before) return { answer, time };
  }
  throw new Error("no request of 20 fitted within one second with Prometheus settled on it");
}
