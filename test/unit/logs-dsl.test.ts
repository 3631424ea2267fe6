/**
 * Hostile text never changes a log search's structure. The request LogReads sends is captured by
 * giving it a log source whose client records each search: for every hostile keyword the body is
 * the one built for a benign keyword with only that value swapped, and the value appears verbatim
 * once, as the match_phrase query on the message (never as a key, a query string, a script). Names
 * that are not Kubernetes names are refused with BAD_USER_INPUT before anything is sent.
 */
import type { estypes } from "@elastic/elasticsearch";
import { describe, expect, it } from "vitest";
import type { LogSource } from "../../src/backends/logstore/backends.js";
import type { LogStoreClient } from "../../src/backends/logstore/client.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { QueryInputError } from "../../src/cache/query/errors.js";
import { QueryEngine } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import { DEFAULT_LOG_STORE } from "../../src/config/index.js";
import { KINDS } from "../../src/kinds/index.js";
import { logAccess, type LogAccess } from "../../src/logs/log-access.js";
import { OPEN_ACCESS } from "../../src/request/context.js";
import type { RequestAccess } from "../../src/request/access.js";
import type { ObjectReader } from "../../src/query-service/object-reader.js";
import { LogReads, type LogFilter } from "../../src/logs/log-reads.js";
import { ClusterOutcomes, createReadServices } from "../../src/query-service/index.js";
import { FakeFleet } from "./read-service-fixtures.js";

const CLUSTERS = ["east", "west"];
const NOW = Date.parse("2026-03-10T12:00:00.000Z");

const HOSTILE = [
  '"',
  "'",
  "*",
  "?",
  "\\",
  '\\\\"',
  '" OR "1"="1',
  "' OR '1'='1",
  "payment* OR log:*",
  "log:error AND _exists_:secret",
  '{"script":{"source":"System.exit(0)"}}',
  '"}}, {"match_all": {}}, {"x": {"y": "',
  "${jndi:ldap://evil/a}",
  "${process.env.SECRET}",
  "line one\nline two",
  "\r\n\t\u0000",
  "x".repeat(500),
  "Zahlung fehlgeschlagen — 支付失败 🚨",
  "\u202e\u200b",
  "__proto__",
  "constructor",
  "/.*/",
  "<script>alert(1)</script>",
];

/** Keywords are words to find: one without a letter or digit is refused (tested below). */
const hasWord = (v: string) => /[\p{L}\p{N}]/u.test(v);
const WORDY = HOSTILE.filter(hasWord);
const WORDLESS = HOSTILE.filter((v) => v.trim() !== "" && !hasWord(v));

interface Recorded {
  bodies: estypes.SearchRequest[];
}

function logReads(
  scope: Scope,
  shared: boolean,
  logAccess?: LogAccess,
): { reads: LogReads; recorded: Recorded } {
  const fleet = new FakeFleet(CLUSTERS.map((name) => ({ name, displayName: name, labels: {} })));
  const engine = new QueryEngine(new FleetIndex(KINDS), {
    isKnown: (c) => CLUSTERS.includes(c),
    clusterLabels: () => ({}),
  });
  const recorded: Recorded = { bodies: [] };
  const client = {
    backend: "http://recorder",
    search(request: estypes.SearchRequest) {
      // A deep copy: what was sent, not an object the caller may change later.
      recorded.bodies.push(JSON.parse(JSON.stringify(request)) as estypes.SearchRequest);
      return Promise.resolve({
        took: 0,
        timed_out: false,
        _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
        hits: { total: { value: 0, relation: "eq" }, hits: [] },
        aggregations: { histogram: { buckets: [] } },
      });
    },
  } as unknown as LogStoreClient;
  const sources = new Map<string, LogSource>(
    CLUSTERS.map((cluster) => [
      cluster,
      {
        cluster,
        client,
        indices: { ...DEFAULT_LOG_STORE.indices },
        ...(shared ? { clusterField: "cluster" } : {}),
      },
    ]),
  );
  const reads = new LogReads({
    services: createReadServices({ reader: engine, fleet }),
    scope,
    outcomes: new ClusterOutcomes(),
    sources: { forCluster: (c) => sources.get(c) },
    now: () => NOW,
    ...(logAccess ? { logAccess } : {}),
  });
  return { reads, recorded };
}

const PLACEHOLDER = "\u0001VALUE\u0001";

/** The body with every string equal to `value` replaced by a placeholder (keys checked apart). */
function shapeOf(body: unknown, value: string): unknown {
  if (typeof body === "string") return body === value ? PLACEHOLDER : body;
  if (Array.isArray(body)) return body.map((b) => shapeOf(b, value));
  if (typeof body === "object" && body !== null)
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, shapeOf(v, value)]));
  return body;
}

/** Every path at which `value` appears: as a whole string value, inside one, or in a key. */
function occurrences(body: unknown, value: string, path = "$"): string[] {
  if (typeof body === "string") {
    if (body === value) return [path];
    return body.includes(value) ? [`${path} (inside)`] : [];
  }
  if (Array.isArray(body)) return body.flatMap((b, i) => occurrences(b, value, `${path}[${i}]`));
  if (typeof body === "object" && body !== null)
    return Object.entries(body).flatMap(([k, v]) => [
      ...(k.includes(value) ? [`${path} key ${JSON.stringify(k)}`] : []),
      ...occurrences(v, value, `${path}.${k}`),
    ]);
  return [];
}

const PAGE = { first: 10, countTotal: true } as const;
const SCOPES: [string, () => Scope][] = [
  ["every namespace", () => Scope.everything()],
  [
    "some namespaces",
    () =>
      Scope.of([
        { cluster: "east", namespaces: ["shop", "payments"] },
        { cluster: "west", namespaces: ["shop"] },
      ]),
  ],
];

async function bodiesFor(
  scope: () => Scope,
  shared: boolean,
  filter: LogFilter,
  histogram = false,
): Promise<estypes.SearchRequest[]> {
  const { reads, recorded } = logReads(scope(), shared);
  if (histogram) await reads.histogram(filter, "1m");
  else await reads.search(filter, PAGE);
  return recorded.bodies;
}

describe.each(SCOPES)("keywords under a Scope of %s", (_name, scope) => {
  describe.each([
    ["a shared store", true],
    ["each cluster's own store", false],
  ] as const)("%s", (_store, shared) => {
    it.each([
      ["search", false],
      ["histogram", true],
    ] as const)("%s: every hostile keyword builds the benign keyword's request", async (_what, histogram) => {
      const benign = await bodiesFor(scope, shared, { keywords: ["payment failed"] }, histogram);
      expect(benign.length).toBe(shared ? 1 : 2);
      const benignShape = shapeOf(benign, "payment failed");
      for (const value of WORDY) {
        const sent = await bodiesFor(scope, shared, { keywords: [value] }, histogram);
        expect(shapeOf(sent, value), JSON.stringify(value)).toEqual(benignShape);
        for (const body of sent) {
          const filters = (body.query as { bool: { filter: unknown[] } }).bool.filter;
          const at = filters.findIndex((f) => JSON.stringify(f).includes(JSON.stringify(value)));
          expect(at, JSON.stringify(value)).toBeGreaterThanOrEqual(0);
          expect(occurrences(body, value), JSON.stringify(value)).toEqual([
            `$.query.bool.filter[${at}].match_phrase.log.query`,
          ]);
          expect(filters[at]).toEqual({ match_phrase: { log: { query: value } } });
          // No query-language clause anywhere.
          expect(JSON.stringify(body)).not.toMatch(
            /query_string|simple_query_string|"script"|regexp|wildcard/,
          );
        }
      }
    });

    it("two hostile keywords: two phrases, nothing else changes", async () => {
      const benign = shapeOf(await bodiesFor(scope, shared, { keywords: ["alpha", "beta"] }), "alpha");
      for (const value of WORDY.slice(0, 10)) {
        const sent = await bodiesFor(scope, shared, { keywords: [value, "beta"] });
        expect(shapeOf(sent, value)).toEqual(benign);
      }
    });
  });
});

describe("who may read logs, not only pods", () => {
  it("searches only the namespaces where the caller may get pods/log; a cluster with none is not searched", async () => {
    const asked: string[] = [];
    const access: RequestAccess = {
      ...OPEN_ACCESS,
      clusterAllows: (q) => {
        asked.push(`${q.cluster}/${q.namespace ?? "*"}/${q.resource}/${q.subresource ?? ""}`);
        return q.namespace === "search" && q.cluster === CLUSTERS[0];
      },
    };
    const fakeReader = { forEach: () => {} } as unknown as ObjectReader;
    const scope = Scope.of(CLUSTERS.map((cluster) => ({ cluster, namespaces: ["search", "payments"] })));
    const { reads, recorded } = logReads(scope, true, logAccess(access, fakeReader, Scope.everything()));
    await reads.search({}, PAGE);
    // Cluster-wide first, then each namespace of the Scope.
    expect(asked).toContain(`${CLUSTERS[0]}/*/pods/log`);
    expect(asked).toContain(`${CLUSTERS[0]}/payments/pods/log`);
    expect(recorded.bodies).toHaveLength(1);
    const text = JSON.stringify(recorded.bodies[0]!.query);
    expect(text).toContain('"search"');
    expect(text).not.toContain('"payments"');
    expect(text).not.toContain(`"${CLUSTERS[1]}"`);
  });
});

describe("names", () => {
  const NAME_FIELDS = ["namespaces", "pods", "containers"] as const;
  const BAD_NAMES = [
    // "constructor" is a valid name.
    ...HOSTILE.filter((v) => v !== "constructor"),
    "Upper",
    "under_score",
    "-leading",
    "trailing-",
    "",
    "a".repeat(254),
    "shop OR payments",
    "shop\nkube-system",
  ];

  it.each(NAME_FIELDS)(
    "%s: a value that is not a Kubernetes name is refused before anything is sent",
    async (field) => {
      for (const value of BAD_NAMES) {
        for (const histogram of [false, true]) {
          const { reads, recorded } = logReads(Scope.everything(), true);
          const filter: LogFilter = { [field]: ["shop", value] };
          const attempt = histogram ? reads.histogram(filter, "1m") : reads.search(filter, PAGE);
          const error = await attempt.then(
            () => undefined,
            (e: unknown) => e,
          );
          // A pod may be named with dots (a DNS subdomain); everything else listed here is refused.
          expect(error, `${field} ${JSON.stringify(value)}`).toBeInstanceOf(QueryInputError);
          expect((error as QueryInputError).extensions.code).toBe("BAD_USER_INPUT");
          expect((error as QueryInputError).extensions.argument).toBe(`filter.${field}`);
          expect(recorded.bodies).toEqual([]);
        }
      }
    },
  );

  it("valid names go in as whole term values", async () => {
    const sent = await bodiesFor(() => Scope.everything(), true, {
      namespaces: ["shop"],
      pods: ["api-7d9f8-abcde", "web.v2-0"],
      containers: ["istio-proxy"],
    });
    expect(sent).toHaveLength(1);
    const filters = (sent[0]!.query as { bool: { filter: unknown[] } }).bool.filter;
    expect(filters).toContainEqual({
      terms: { "kubernetes.pod_name.keyword": ["api-7d9f8-abcde", "web.v2-0"] },
    });
    expect(filters).toContainEqual({ term: { "kubernetes.container_name.keyword": "istio-proxy" } });
    expect(JSON.stringify(filters)).toContain('"kubernetes.namespace_name.keyword":"shop"');
  });

  it("hostile cluster names match no cluster: nothing of them is sent", async () => {
    for (const value of HOSTILE) {
      const { reads, recorded } = logReads(Scope.everything(), true);
      const page = await reads.search({ clusters: [value, "east"] }, PAGE);
      expect(page.entries).toEqual([]);
      expect(recorded.bodies).toHaveLength(1);
      // (A single character may occur inside other strings of the body: index names, dates.)
      const found = occurrences(recorded.bodies, value).filter(
        (p) => value.length > 1 || !p.endsWith("(inside)"),
      );
      expect(found, JSON.stringify(value)).toEqual([]);
      expect(JSON.stringify(recorded.bodies)).toContain('"cluster.keyword":"east"');
    }
  });

  it("hostile workload ids are refused", async () => {
    for (const value of HOSTILE) {
      const { reads, recorded } = logReads(Scope.everything(), true);
      const error = await reads.search({ workloads: [value] }, PAGE).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(value)).toBeInstanceOf(QueryInputError);
      expect(recorded.bodies).toEqual([]);
    }
  });

  it("a keyword without a letter or digit is refused before anything is sent", async () => {
    expect(WORDLESS.length).toBeGreaterThan(3);
    for (const value of WORDLESS) {
      const { reads, recorded } = logReads(Scope.everything(), true);
      const error = await reads.search({ keywords: [value] }, PAGE).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(value)).toBeInstanceOf(QueryInputError);
      expect((error as QueryInputError).field).toBe("filter.keywords");
      expect(recorded.bodies).toEqual([]);
    }
  });

  it("more than 16 keywords, or one over 512 characters, are refused before anything is sent", async () => {
    for (const keywords of [Array.from({ length: 17 }, (_, i) => `k${i}`), ["x".repeat(513)]]) {
      const { reads, recorded } = logReads(Scope.everything(), true);
      const error = await reads.search({ keywords }, PAGE).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(QueryInputError);
      expect(recorded.bodies).toEqual([]);
    }
  });
});
