/**
 * An authenticated gateway over a simulated fleet with its log store (sim/logstore, fed with the
 * clusters' events and audit events), the gateway's `logs.elasticsearch` pointing at it. The feeders
 * tick only when a test calls `sim.feedLogs()` (and once at start), so a test knows exactly what the
 * store holds. `walk` pages through a whole connection as one user.
 */
import { Client } from "@elastic/elasticsearch";
import type { FleetOptions } from "../../sim/fleet.js";
import { logStoreSettings } from "../support/log-store.js";
import { startAuthGateway, type AuthGateway } from "./auth-gateway-fixture.js";
import type { GraphQLResponse } from "./server-fixture.js";

export interface LogStoreGateway extends AuthGateway {
  /** The official client on the fleet's (shared) log store: the ground truth. */
  readonly store: Client;
}

export async function startLogStoreGateway(
  seed: string,
  fleet: Partial<FleetOptions> = {},
  users: readonly string[] = ["admin", "bob", "carol"],
): Promise<LogStoreGateway> {
  const started = await startAuthGateway({
    seed,
    fleet: {
      clusters: 2,
      nodes: 2,
      pods: 20,
      churn: 0,
      http: true,
      metrics: false,
      logStore: "shared",
      // Fed by the tests (feedLogs), never behind their backs.
      logStoreOptions: { tickMs: 3_600_000 },
      ...fleet,
    },
    users,
    configFor: (sim) =>
      Promise.resolve({ logs: { elasticsearch: logStoreSettings(sim.logStoreUrl(sim.clusters[0]!.name)!) } }),
  });
  const store = new Client({ node: started.sim.logStoreUrl(started.sim.clusters[0]!.name)! });
  return {
    ...started,
    store,
    async stop() {
      await store.close();
      await started.stop();
    },
  };
}

export interface Edge<N> {
  cursor: string;
  node: N;
}

interface ConnectionPage<N> {
  edges: Edge<N>[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Every entry of a connection, page by page (`first` each), as `user`. The document takes
 * `$first` and `$after` and selects the connection at `field` with `edges { cursor node {...} }`
 * and `pageInfo { hasNextPage endCursor }`. Fails on any error.
 */
export async function walk<N>(
  gw: AuthGateway,
  user: string,
  document: string,
  field: string,
  variables: Record<string, unknown>,
  first = 40,
): Promise<{ nodes: N[]; pages: number }> {
  const nodes: N[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const answer: GraphQLResponse<Record<string, ConnectionPage<N>>> = await gw.query(user, document, {
      ...variables,
      first,
      after,
    });
    if (answer.errors?.length) throw new Error(`${user}: ${JSON.stringify(answer.errors)}`);
    const page = answer.data![field]!;
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return { nodes, pages };
    if (pages > 500) throw new Error("more than 500 pages");
    after = page.pageInfo.endCursor;
  }
}
