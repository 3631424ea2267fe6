/**
 * A user who may read 5,000 namespaces searches their logs: the gateway sends the Scope as one
 * terms clause and gets every line of those namespaces, none of the others. The same search built
 * the way KubeSphere builds it (one bool clause per namespace) is refused by the same store, as a
 * real Elasticsearch refuses it: too many clauses.
 */
import { Client, errors } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogStoreBackends } from "../../src/backends/logstore/backends.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { QueryEngine } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import type { GatewayConfig } from "../../src/config/index.js";
import { KINDS } from "../../src/kinds/index.js";
import { LogReads, type LogEntry } from "../../src/logs/log-reads.js";
import { ClusterOutcomes, createReadServices } from "../../src/query-service/index.js";
import type { LogStoreServer } from "../../sim/logstore/server.js";
import { logStoreSettings, startLogStore, writeLogLines, type LogLineDoc } from "../support/log-store.js";
import { FakeFleet } from "../unit/read-service-fixtures.js";

const CLUSTER = "east";
const PERMITTED = Array.from({ length: 5000 }, (_, i) => `team-${String(i).padStart(4, "0")}`);
const OTHERS = Array.from({ length: 300 }, (_, i) => `other-${i}`);
const T = Date.now() - 10 * 60_000;

let store: LogStoreServer;
let backends: LogStoreBackends;

function logReads(scope: Scope): LogReads {
  const fleet = new FakeFleet([{ name: CLUSTER, displayName: CLUSTER, labels: {} }]);
  const engine = new QueryEngine(new FleetIndex(KINDS), {
    isKnown: (c) => c === CLUSTER,
    clusterLabels: () => ({}),
  });
  return new LogReads({
    services: createReadServices({ reader: engine, fleet }),
    scope,
    outcomes: new ClusterOutcomes(),
    sources: { forCluster: (c) => backends.forCluster(c) },
  });
}

beforeAll(async () => {
  store = await startLogStore();
  const lines: LogLineDoc[] = [...PERMITTED, ...OTHERS].map((namespace, i) => ({
    cluster: CLUSTER,
    namespace,
    pod: `api-${i}`,
    container: "api",
    time: T + i,
    log: `GET /health 200 served for ${namespace}`,
  }));
  await writeLogLines(store.url, lines);
  const config = {
    clusters: [{ name: CLUSTER }],
    logs: { elasticsearch: logStoreSettings(store.url) },
  } as unknown as GatewayConfig;
  backends = LogStoreBackends.fromConfig(config);
}, 60_000);

afterAll(async () => {
  await backends?.close();
  await store?.close();
});

describe("a Scope of 5,000 namespaces", () => {
  it("finds every line of the permitted namespaces and none of the others, paging with search_after", async () => {
    const reads = logReads(Scope.of([{ cluster: CLUSTER, namespaces: PERMITTED }]));
    const seen: LogEntry[] = [];
    let after: string | null = null;
    let total: number | null = null;
    for (;;) {
      const page = await reads.search(
        { keywords: ["served for"], range: { start: new Date(T - 1000), end: new Date(T + 60_000) } },
        { first: 1000, after, direction: "OLDEST_FIRST", countTotal: true },
      );
      total ??= page.totalCount;
      expect(page.outcomes.map((o) => o.error)).toEqual([null]);
      seen.push(...page.entries);
      if (!page.hasNextPage) break;
      after = page.entries.at(-1)!.cursor;
    }
    expect(total).toBe(PERMITTED.length);
    expect(seen.map((e) => e.namespace)).toEqual(PERMITTED);
    expect(seen.map((e) => e.time.getTime())).toEqual(PERMITTED.map((_, i) => T + i));
  });

  it("is refused by the store when sent as one bool clause per namespace", async () => {
    const client = new Client({ node: store.url });
    try {
      const attempt = client.search({
        index: "ks-logstash-log-*",
        query: {
          bool: {
            filter: [{ match_phrase: { log: "served for" } }],
            should: PERMITTED.map((ns) => ({ term: { "kubernetes.namespace_name.keyword": ns } })),
            minimum_should_match: 1,
          },
        },
      });
      const refused = await attempt.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(errors.ResponseError);
      const response = refused as errors.ResponseError;
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(/too_many_(nested_)?clauses/);
    } finally {
      await client.close();
    }
  });
});
