/**
 * The logs scenario (issue 12): a keyword search over every cluster's logs for a user who may
 * read 5,000 namespaces — the case KubeSphere's one-clause-per-namespace search cannot serve —
 * through the gateway, beside the very search the gateway sends, sent straight to the store with
 * the official client: the difference is the gateway's overhead (authentication, Scope, GraphQL,
 * merging). Both run closed-loop, one request at a time, against the simulator's
 * Elasticsearch-compatible store filled with the permitted namespaces' lines and others'.
 */
import { Client } from "@elastic/elasticsearch";
import { LogStoreClient } from "../../src/backends/logstore/client.js";
import { DEFAULT_LOG_STORE } from "../../src/config/index.js";
import { phrase } from "../../src/logs/dsl.js";
import { LOG_FIELDS } from "../../src/logs/fields.js";
import {
  SEARCH_OPTIONS,
  indicesFor,
  sortFor,
  storeQuery,
  type SearchSpec,
} from "../../src/logs/store-search.js";
import { groupByStore, type LogTarget } from "../../src/logs/targets.js";
import { postGraphQL } from "../http-client.js";
import type { BenchCaller } from "../processes/bench-auth.js";
import { Gateway } from "../processes/gateway.js";
import { Simulator } from "../processes/simulator.js";
import { round } from "../proc-stats.js";
import type { Figures, Skipped } from "../results.js";
import { closedLoop, summarize } from "../stats.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";

export const PERMITTED_NAMESPACES = 5000;
/** Namespaces per cluster the user may not read: their lines must never be found. */
const OTHER_NAMESPACES_PER_CLUSTER = 10;
const LINES_PER_NAMESPACE = 20;
/** One line in this many mentions the keyword. */
const KEYWORD_EVERY = 10;
const KEYWORD = "upstream timeout";
const PAGE = 50;
const READER = "logs-reader";

export const LOG_SEARCH = `query LogSearch($filter: LogFilter!) {
  logs(filter: $filter, first: ${PAGE}) {
    totalCount
    nodes { time clusterName namespace podName container message }
    outcomes { clusterName error { code message } }
  }
}`;

interface LogSearchAnswer {
  logs: {
    totalCount: number | null;
    nodes: { clusterName: string; namespace: string; message: string }[];
    outcomes: { clusterName: string; error: { code: string; message: string } | null }[];
  };
}

const NOT_A_PEER: Skipped = {
  skipped: "not a peer of this scenario: its peer is the same search sent straight to the store",
};

export const logsScenario: Scenario = {
  name: "logs",
  summary:
    "a keyword search over 50 clusters' logs for a user with 5,000 permitted namespaces, beside the same search sent straight to the store",
  defaults: { clusters: [50], pods: 40, durationS: 10 },
  run: runLogs,
};

/** The namespaces the reader may read, per cluster: 5,000 in all, named apart in every cluster. */
function permittedNamespaces(clusters: readonly string[]): Map<string, string[]> {
  const per = Math.ceil(PERMITTED_NAMESPACES / clusters.length);
  const out = new Map<string, string[]>();
  let left = PERMITTED_NAMESPACES;
  clusters.forEach((cluster, c) => {
    const n = Math.min(per, left);
    left -= n;
    out.set(
      cluster,
      Array.from({ length: n }, (_, i) => `team-${c}-${i}`),
    );
  });
  return out;
}

async function seed(
  url: string,
  permitted: ReadonlyMap<string, string[]>,
  range: { start: number; end: number },
): Promise<{ documents: number; permittedMatches: number }> {
  const client = new Client({ node: url });
  let documents = 0;
  let permittedMatches = 0;
  try {
    const span = range.end - range.start;
    let operations: unknown[] = [];
    const flush = async () => {
      if (operations.length === 0) return;
      const answer = await client.bulk({ operations, refresh: false });
      if (answer.errors) throw new Error("the log store refused documents of the benchmark's seed");
      operations = [];
    };
    for (const [cluster, namespaces] of permitted) {
      const others = Array.from({ length: OTHER_NAMESPACES_PER_CLUSTER }, (_, i) => `private-${i}`);
      for (const namespace of [...namespaces, ...others]) {
        for (let line = 0; line < LINES_PER_NAMESPACE; line++) {
          const time = range.start + Math.floor((((documents * 7919) % 1000) / 1000) * span);
          const mentions = line % KEYWORD_EVERY === 0;
          if (mentions && !namespace.startsWith("private-")) permittedMatches++;
          documents++;
          const index = `${DEFAULT_LOG_STORE.indices.logs}-${new Date(time).toISOString().slice(0, 10).replace(/-/g, ".")}`;
          operations.push(
            { index: { _index: index } },
            {
              log: mentions
                ? `level=error msg="${KEYWORD} after 30s" upstream=payments-${line} request_id=${documents}\n`
                : `level=info msg="request served" path=/api/v1/items/${line} status=200 request_id=${documents}\n`,
              time: new Date(time).toISOString(),
              stream: mentions ? "stderr" : "stdout",
              cluster,
              kubernetes: {
                namespace_name: namespace,
                pod_name: `api-${line % 3}`,
                container_name: "api",
                host: `${cluster}-node-0`,
                labels: { app: "api" },
              },
            },
          );
          if (operations.length >= 10_000) await flush();
        }
      }
    }
    await flush();
  } finally {
    await client.close();
  }
  return { documents, permittedMatches };
}

/** The reader: a viewer of each permitted namespace, and system:masters on the clusters (so the Scope is exactly the bindings). */
function reader(permitted: ReadonlyMap<string, string[]>): BenchCaller {
  return {
    user: READER,
    groups: ["system:masters"],
    roleBindings: [...permitted].flatMap(([cluster, namespaces]) =>
      namespaces.map((namespace) => ({ role: "viewer", users: [READER], cluster, namespace })),
    ),
  };
}

/** The store request the gateway sends for this search, built by the gateway's own code. */
function directSearch(
  url: string,
  permitted: ReadonlyMap<string, string[]>,
  range: { start: number; end: number },
): Record<string, unknown> {
  const client = new LogStoreClient({
    url,
    flavor: "elasticsearch",
    tls: { insecureSkipVerify: false },
    auth: {},
    timeoutMs: 5000,
    maxConcurrentRequests: 1,
  });
  const source = { client, indices: DEFAULT_LOG_STORE.indices, clusterField: DEFAULT_LOG_STORE.clusterField };
  const targets: LogTarget[] = [...permitted].map(([cluster, namespaces]) => ({
    cluster,
    source: { ...source, cluster },
    namespaces: new Set(namespaces),
  }));
  const [group] = groupByStore(targets);
  const spec: SearchSpec = {
    prefix: (indices) => indices.logs,
    timeField: LOG_FIELDS.time,
    namespaceField: LOG_FIELDS.namespace,
    clauses: () => [phrase(LOG_FIELDS.message, KEYWORD)],
  };
  void client.close();
  return {
    index: indicesFor(group!, spec, range),
    ...SEARCH_OPTIONS,
    query: storeQuery(group!, spec, range),
    sort: sortFor(group!, spec, "desc"),
    size: PAGE + 1,
    track_total_hits: true,
  };
}

/** Sends `request` one at a time for `seconds`; the latencies of those answered. */
async function runLogs(options: ScenarioOptions): Promise<ScenarioResult> {
  const clusters = options.clusters[0]!;
  const running: { stop(): Promise<void> }[] = [];
  try {
    options.log(
      `starting the simulator: ${clusters} clusters x ${options.pods} pods, with its log store (not fed)`,
    );
    const documents =
      PERMITTED_NAMESPACES * LINES_PER_NAMESPACE +
      clusters * OTHER_NAMESPACES_PER_CLUSTER * LINES_PER_NAMESPACE;
    const sim = await Simulator.start({
      clusters,
      pods: options.pods,
      dir: options.dir,
      logStore: { documents: documents + 10_000 },
    });
    running.push(sim);
    const storeUrl = sim.fleet.clusters[0]?.logStoreUrl;
    if (!storeUrl) throw new Error("the simulator's fleet file names no log store (logStoreUrl)");
    const names = sim.fleet.clusters.map((c) => c.name);
    const permitted = permittedNamespaces(names);
    const now = Date.now();
    const range = { start: now - 30 * 60_000, end: now };
    options.log(`writing ${names.length} clusters' lines for ${PERMITTED_NAMESPACES} permitted namespaces`);
    const seeded = await seed(storeUrl, permitted, range);

    options.log(
      `starting the gateway with logs.elasticsearch, as ${READER} (${PERMITTED_NAMESPACES} namespace bindings)`,
    );
    const gateway = await Gateway.start({
      fleet: sim.fleet,
      kubeconfigPath: sim.kubeconfigPath,
      dir: options.dir,
      auth: true,
      logStore: { url: storeUrl },
      caller: reader(permitted),
    });
    running.push(gateway);
    const variables = {
      filter: {
        keywords: [KEYWORD],
        range: {
          start: new Date(range.start).toISOString(),
          end: new Date(range.end + 60_000).toISOString(),
        },
      },
    };
    const search = () =>
      postGraphQL<LogSearchAnswer>(gateway.url, { query: LOG_SEARCH, variables }, gateway.headers);
    const first = await search();
    const failed = first.logs.outcomes.filter((o) => o.error);
    if (failed.length > 0)
      throw new Error(`the search failed in ${failed.length} clusters: ${failed[0]!.error!.message}`);
    const leaked = first.logs.nodes.filter((n) => n.namespace.startsWith("private-"));
    const notes: string[] = [];
    if (first.logs.totalCount !== seeded.permittedMatches)
      notes.push(
        `the gateway counted ${first.logs.totalCount} matches; ${seeded.permittedMatches} were written in the permitted namespaces`,
      );
    if (leaked.length > 0)
      notes.push(`${leaked.length} entries of namespaces outside the Scope were answered`);

    const body = directSearch(storeUrl, permitted, {
      start: range.start,
      end: range.end + 60_000,
    });
    const direct = new Client({ node: storeUrl });
    running.push({ stop: () => direct.close() });
    const directTotal = async () => {
      const answer = await direct.search(body);
      const total = answer.hits.total;
      return typeof total === "number" ? total : (total?.value ?? 0);
    };
    if ((await directTotal()) !== first.logs.totalCount)
      notes.push("the direct search's total differs from the gateway's: they are not the same search");

    if (options.warmupS > 0) {
      options.log(`warming up for ${options.warmupS} s each`);
      await closedLoop(options.warmupS, async () => void (await search()));
      await closedLoop(options.warmupS, async () => void (await direct.search(body)));
    }
    options.log(`measuring the gateway for ${options.durationS} s`);
    const before = await gateway.backends();
    const gatewayLatencies = await closedLoop(options.durationS, async () => void (await search()));
    const after = await gateway.backends();
    options.log(`measuring the store directly for ${options.durationS} s`);
    const directLatencies = await closedLoop(options.durationS, async () => void (await direct.search(body)));
    const ours = summarize(gatewayLatencies);
    const theirs = summarize(directLatencies);
    const requestsPerSearch = round(
      (after.logStoreRequests - before.logStoreRequests) / gatewayLatencies.length,
      2,
    );
    options.log(
      `  gateway p50 ${ours.p50_ms} ms p99 ${ours.p99_ms} ms; store p50 ${theirs.p50_ms} ms p99 ${theirs.p99_ms} ms; ${requestsPerSearch} store requests per search`,
    );
    const fleetgraph: Figures = {
      ...ours,
      rps: round(gatewayLatencies.length / options.durationS, 1),
      store_requests_per_request: requestsPerSearch,
      overhead_p50_ms: round(ours.p50_ms - theirs.p50_ms, 3),
      overhead_p99_ms: round(ours.p99_ms - theirs.p99_ms, 3),
      total_count: first.logs.totalCount,
      entries_in_page: first.logs.nodes.length,
      permitted_namespaces: PERMITTED_NAMESPACES,
      documents: seeded.documents,
    };
    return {
      scenario: "logs",
      fleet: { clusters, pods: options.pods, pods_total: sim.pods },
      fleetgraph,
      peers: {
        passthrough: NOT_A_PEER,
        "raw-fanout": NOT_A_PEER,
        "graphql-constant": NOT_A_PEER,
        "direct-store": { ...theirs, rps: round(directLatencies.length / options.durationS, 1) },
      },
      method: {
        latency:
          "closed loop, one request at a time, after a warm-up that is not counted; gateway first, then the store",
        document: LOG_SEARCH,
        variables,
        direct:
          "the store request the gateway sends for this search (built by src/logs: daily indices of the range, " +
          "one terms clause per cluster's namespaces, match_phrase of the keyword, sort and size), sent with " +
          "@elastic/elasticsearch's client.search",
        scope: `${READER}: a viewer binding on each of ${PERMITTED_NAMESPACES} namespaces (${Math.ceil(PERMITTED_NAMESPACES / clusters)} per cluster, named apart), system:masters on the clusters`,
        data: `${LINES_PER_NAMESPACE} lines per namespace over 30 minutes, one in ${KEYWORD_EVERY} with the keyword, plus ${OTHER_NAMESPACES_PER_CLUSTER} unreadable namespaces per cluster (the simulator's feeders off: the store holds this data only)`,
        requests_counted:
          "the gateway's /debug/backends log-store request counter before and after the measured loop",
        duration_s: options.durationS,
        warmup_s: options.warmupS,
      },
      ...(notes.length ? { notes } : {}),
    };
  } finally {
    while (running.length) await running.pop()!.stop();
  }
}
