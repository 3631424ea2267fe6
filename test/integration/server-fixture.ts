/** A gateway over a small simulated fleet, and a fetch-based GraphQL client for the server tests. */
import { pino } from "pino";
import { configFromKubeconfig, type GatewayConfig } from "../../src/config/index.js";
import { startGateway, type Gateway, type GatewayOptions } from "../../src/server/gateway.js";
import { startFleet, type FleetOptions, type SimFleet } from "../../sim/fleet.js";

export interface GraphQLResponse<D = Record<string, unknown>> {
  status: number;
  data?: D | null;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
  /** The response's extensions, e.g. `warnings` (a filter naming an unknown cluster). */
  extensions?: { warnings?: { code: string; message: string; [detail: string]: unknown }[] } & Record<
    string,
    unknown
  >;
}

export async function startSimFleet(seed: string, options: Partial<FleetOptions> = {}): Promise<SimFleet> {
  // The simulator's log store is fed every second: only the tests that read it start it.
  return startFleet({ clusters: 3, nodes: 2, pods: 30, seed, logStore: false, ...options });
}

/** Every context of the fleet's kubeconfig, with the clusters' own labels (kubeconfigs carry none). */
export function fleetConfig(fleet: SimFleet): GatewayConfig {
  const config = configFromKubeconfig(fleet.kubeconfigPath);
  return {
    ...config,
    clusters: config.clusters.map((c) => ({ ...c, labels: { ...fleet.cluster(c.name).labels } })),
  };
}

export const quiet = pino({ level: "silent" });

export function startTestGateway(
  config: GatewayConfig,
  options: Partial<GatewayOptions> = {},
): Promise<Gateway> {
  return startGateway({
    config,
    logger: quiet,
    listen: { port: 0, host: "127.0.0.1" },
    // Fast probes so an outage is noticed within a test's patience.
    fleet: { health: { intervalMs: 500, unreachableIntervalMs: 200 } },
    watchConfig: false,
    // Tests of authentication turn it on; the rest read the fleet anonymously.
    authentication: false,
    ...options,
  });
}

export async function graphql<D = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<D>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<D>, "status">;
  return { status: response.status, ...body };
}

export function baseUrl(gateway: Gateway): string {
  return gateway.url.replace(/\/graphql$/, "");
}
