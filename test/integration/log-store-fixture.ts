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

/** An API-server audit document as the store holds it (the fields the tests read). */
export interface AuditDoc {
  cluster: string;
  auditID: string;
  stage: string;
  verb: string;
  requestURI: string;
  requestReceivedTimestamp: string;
  user: { username?: string };
  impersonatedUser?: { username: string };
  objectRef?: { resource?: string; namespace?: string; name?: string };
  responseStatus: { code: number };
  userAgent?: string;
}

/** Every audit document received within `range`, oldest first, read with the official client. */
export async function storedAudit(store: Client, range: { start: string; end: string }): Promise<AuditDoc[]> {
  const docs: AuditDoc[] = [];
  let after: (string | number)[] | undefined;
  for (;;) {
    const answer = await store.search<AuditDoc>({
      index: "ks-logstash-auditing-*",
      size: 5000,
      query: { range: { requestReceivedTimestamp: { gte: range.start, lte: range.end } } },
      sort: [
        { requestReceivedTimestamp: { order: "asc" } },
        { _index: { order: "asc" } },
        { _doc: { order: "asc" } },
      ],
      ...(after ? { search_after: after } : {}),
    });
    const hits = answer.hits.hits;
    docs.push(...hits.map((h) => h._source!));
    if (hits.length < 5000) return docs;
    after = hits.at(-1)!.sort as (string | number)[];
  }
}

/** An Event's time as the store and the gateway order it: lastTimestamp, else the older fields. */
export function eventTimeOf(o: Record<string, unknown>): number {
  const stamp = [
    o.lastTimestamp,
    o.eventTime,
    o.firstTimestamp,
    (o.metadata as { creationTimestamp?: string })?.creationTimestamp,
  ].find((t): t is string => typeof t === "string" && t !== "");
  return stamp ? Date.parse(stamp) : 0;
}
