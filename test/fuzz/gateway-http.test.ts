/**
 * A real gateway over a simulated fleet, with a real Prometheus and log store behind it, fuzzed
 * over HTTP as a platform admin and as a user who sees two namespaces: any text as a document,
 * real documents with their tokens damaged, documents drawn from the schema with hostile
 * arguments, the real list, log and usage operations with any variables, and cursors that were
 * tampered with, come from another list, or have expired. Every answer is a JSON body with a
 * status below 500, and every error carries a code a caller can act on — never
 * INTERNAL_SERVER_ERROR, nor a backend's refusal of a query the gateway built.
 */
import fc from "fast-check";
import { readFile } from "node:fs/promises";
import { buildSchema, parse, validate, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeOpaqueCursor, encodeOpaqueCursor } from "../../src/cache/query/opaque-cursor.js";
import type { LogStoreServer } from "../../sim/logstore/server.js";
import { logStoreSettings, startLogStore } from "../support/log-store.js";
import type { RunningPrometheus } from "../support/prometheus.js";
import { startAuthGateway, type AuthGateway } from "../integration/auth-gateway-fixture.js";
import { DocBook, fleetPods, type SimPod } from "../integration/logs-fixture.js";
import { prometheusSettings, startFleetPrometheus } from "../integration/metrics-fixture.js";
import { anyText, mutateAll, mutations, tokenText } from "./arbitraries.js";
import { fuzzSettings, runParameters } from "./fuzz-settings.js";
import {
  mutateTokens,
  schemaOperation,
  tokensOf,
  type StringPool,
  type TokenMutation,
} from "./graphql-documents.js";

const settings = fuzzSettings(80, 150);
const params = runParameters(settings);

/**
 * Codes of a refusal the caller can act on. A backend's BAD_QUERY, a cluster or store reported
 * unavailable (all are up) or INTERNAL_SERVER_ERROR would mean the gateway broke on the input.
 */
const ALLOWED_CODES = new Set([
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "FORBIDDEN",
  "CLUSTER_FORBIDDEN",
  // The limits (src/limits): refusals of what the request asks for, each with its own code.
  "QUERY_TOO_DEEP",
  "QUERY_TOO_COMPLEX",
  "QUERY_TOO_LARGE",
  "REQUEST_TOO_LARGE",
  "VARIABLES_TOO_LARGE",
  "TOO_MANY_ALIASES",
  "TOO_MANY_ROOT_FIELDS",
  "TOO_MANY_UPSTREAM_CALLS",
  "OPERATION_NOT_TRUSTED",
  "INTROSPECTION_DISABLED",
  "LIMIT_EXCEEDED",
  "RATE_LIMITED",
]);

const USERS = ["admin", "bob"] as const;
const user = fc.constantFrom(...USERS);

let fixture: AuthGateway;
let store: LogStoreServer | undefined;
let prometheus: RunningPrometheus | undefined;
let schema: GraphQLSchema;
let pool: StringPool;
let pods: SimPod[];
/** The namespace with the most pods: its lists have more than one page. */
let busiest: { cluster: string; namespace: string };
/** Documents as the docs show them, and the suite's own operations. */
let corpus: string[];
/** Cursors each list handed out, by list. */
const cursors = new Map<string, string[]>();

const PODS = `query Pods($first: Int, $last: Int, $after: String, $before: String, $filter: PodFilter, $orderBy: PodOrder, $consistency: Consistency! = CACHED) {
  pods(first: $first, last: $last, after: $after, before: $before, filter: $filter, orderBy: $orderBy, consistency: $consistency) {
    totalCount
    edges { cursor node { id name namespaceName clusterName phase restarts labels { key value } usage { cpuUsage memoryWorkingSet } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const WORKLOADS = `query Workloads($first: Int, $last: Int, $after: String, $before: String, $filter: WorkloadFilter, $orderBy: WorkloadOrder, $consistency: Consistency! = CACHED) {
  workloads(first: $first, last: $last, after: $after, before: $before, filter: $filter, orderBy: $orderBy, consistency: $consistency) {
    totalCount
    edges { cursor node { id name kind namespaceName status usage { cpuUsage networkReceive } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const LOGS = `query Logs($first: Int, $after: String, $direction: LogDirection, $filter: LogFilter) {
  logs(first: $first, after: $after, direction: $direction, filter: $filter) {
    totalCount
    edges { cursor node { time message clusterName namespace podName container } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const USAGE = `query Usage($cluster: String!, $namespace: String!, $name: String!, $names: [PodMetric!]!, $range: MetricRange!) {
  pod(cluster: $cluster, namespace: $namespace, name: $name) {
    usage { cpuUsage cpuUtilisation memoryWorkingSet networkTransmit }
    metrics(names: $names, range: $range) { metric start step values }
  }
  namespace(cluster: $cluster, name: $namespace) { usage { cpuUsage memoryWorkingSet } }
}`;
const RESOURCES = `query Resources($cluster: String!, $apiVersion: String!, $kind: String!, $namespace: String, $labelSelector: String, $first: Int, $after: String) {
  resources(cluster: $cluster, apiVersion: $apiVersion, kind: $kind, namespace: $namespace, labelSelector: $labelSelector, first: $first, after: $after) {
    edges { cursor node }
    pageInfo { hasNextPage endCursor }
  }
}`;
const PROM_QUERY = `query Prom($cluster: String!, $query: String!, $range: MetricRange) {
  promQuery(cluster: $cluster, query: $query, range: $range) { resultType result }
}`;
const OPERATIONS = { PODS, WORKLOADS, LOGS, USAGE, RESOURCES, PROM_QUERY };

interface Answer {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

/** POSTs a raw body as `who` and checks what every answer must be: JSON, below 500, typed errors. */
async function send(who: string, body: string): Promise<Answer> {
  const response = await fetch(`${fixture.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${fixture.tokens.get(who)!}` },
    body,
  });
  const text = await response.text();
  const what = `${who} sent ${body.slice(0, 2000)}\nand got ${response.status} ${text.slice(0, 2000)}`;
  expect(response.status, what).toBeLessThan(500);
  let parsed: Answer["body"] | undefined;
  expect(() => (parsed = JSON.parse(text) as Answer["body"]), what).not.toThrow();
  expect(typeof parsed, what).toBe("object");
  for (const error of parsed!.errors ?? []) expect(ALLOWED_CODES, what).toContain(error.extensions?.code);
  return { status: response.status, body: parsed! };
}

/**
 * Counts the answers that reached execution (those with a `data` key, null or not): a fuzzer
 * whose every input the parser or the validator refuses would test nothing past them.
 */
class Tally {
  private answers = 0;
  private executed = 0;

  count(answer: Answer): void {
    this.answers++;
    if ("data" in answer.body) this.executed++;
  }

  expectSome(what: string): void {
    const share = this.executed / Math.max(1, this.answers);
    expect(share, `${what}: ${this.executed} of ${this.answers} answers were executed`).toBeGreaterThan(0.15);
  }
}

function ask(who: string, document: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  return send(who, JSON.stringify({ query: document, variables }));
}

/** The cursors of up to `pages` pages of a list, as admin. */
async function collect(
  list: string,
  document: string,
  variables: Record<string, unknown>,
  at: (data: Record<string, unknown>) => unknown,
  pages = 1,
): Promise<void> {
  const found: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < pages; page++) {
    const answer = await ask("admin", document, { ...variables, ...(after ? { after } : {}) });
    expect(answer.body.errors, list).toBeUndefined();
    const connection = at(answer.body.data!) as {
      edges: { cursor: string }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    found.push(...connection.edges.map((e) => e.cursor));
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break;
    after = connection.pageInfo.endCursor;
  }
  expect(found.length, list).toBeGreaterThan(0);
  cursors.set(list, found);
}

/** Pages of one item over the busiest namespace: their cursors resume from a continue token. */
const strongPodsOfBusiest = () => ({
  first: 1,
  consistency: "STRONG",
  filter: { clusters: [busiest.cluster], namespaces: [busiest.namespace] },
});
const resourcesOfBusiest = () => ({ ...busiest, apiVersion: "v1", kind: "Pod", first: 1 });

const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), "utf8");

beforeAll(async () => {
  store = await startLogStore();
  const logStoreUrl = store.url;
  fixture = await startAuthGateway({
    seed: "fuzz",
    fleet: { clusters: 2, nodes: 2, pods: 24, churn: 0 },
    users: USERS,
    configFor: async (sim) => {
      prometheus = await startFleetPrometheus(sim);
      return {
        logs: { elasticsearch: logStoreSettings(logStoreUrl) },
        metrics: { prometheus: prometheusSettings(prometheus.url) },
      };
    },
  });
  pods = fleetPods(fixture.sim);
  const counts = new Map<string, number>();
  for (const p of pods)
    counts.set(`${p.cluster}/${p.namespace}`, (counts.get(`${p.cluster}/${p.namespace}`) ?? 0) + 1);
  const [top] = [...counts].sort((a, b) => b[1] - a[1]);
  const [cluster, namespace] = top![0].split("/") as [string, string];
  busiest = { cluster, namespace };
  const now = Date.now();
  const book = new DocBook();
  pods.forEach((pod, i) => {
    for (const k of [0, 1, 2])
      book.line(pod, now - 60_000 * (k + 1) - i, `request ${i}-${k} served in ${k * 7} ms`);
  });
  await book.write(() => logStoreUrl);
  schema = buildSchema(await read("schema/schema.graphql"));
  for (const [name, document] of Object.entries(OPERATIONS))
    expect(validate(schema, parse(document)), name).toEqual([]);
  const fences = [...(await read("docs/schema.md")).matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  corpus = [...fences, ...Object.values(OPERATIONS)];

  await collect("pods", PODS, { first: 5 }, (d) => d.pods);
  await collect(
    "pods by creation",
    PODS,
    { first: 5, orderBy: { field: "CREATED", direction: "DESC" } },
    (d) => d.pods,
  );
  // A STRONG cursor resumes from a continue token only past the stream's first chunk.
  await collect("pods STRONG", PODS, strongPodsOfBusiest(), (d) => d.pods, 4);
  await collect("workloads", WORKLOADS, { first: 5 }, (d) => d.workloads);
  await collect("logs", LOGS, { first: 5 }, (d) => d.logs);
  await collect("resources", RESOURCES, resourcesOfBusiest(), (d) => d.resources);
  const ids = (await ask("admin", "{ pods(first: 5) { nodes { id } } workloads(first: 3) { nodes { id } } }"))
    .body.data! as {
    pods: { nodes: { id: string }[] };
    workloads: { nodes: { id: string }[] };
  };
  pool = {
    real: [
      ...new Set([
        ...fixture.sim.clusters.map((c) => c.name),
        ...pods.flatMap((p) => [p.namespace, p.name, p.node, ...p.containers]),
        ...pods.flatMap((p) => Object.entries(p.labels).map(([k, v]) => `${k}=${v}`)),
        ...[...cursors.values()].flat(),
        ...ids.pods.nodes.map((n) => n.id),
        ...ids.workloads.nodes.map((n) => n.id),
        "v1",
        "apps/v1",
        "Pod",
        "Deployment",
        "Secret",
        "up",
        "sum(rate(container_cpu_usage_seconds_total[5m])) by (namespace)",
      ]),
    ],
  };
}, 180_000);

afterAll(async () => {
  await fixture?.stop();
  await prometheus?.stop();
  await store?.close();
});

const GRAPHQL_TOKENS = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ":",
  "$",
  "!",
  "=",
  "@",
  "...",
  " ",
  "\n",
  ",",
  "query",
  "mutation",
  "subscription",
  "fragment",
  "on",
  "pods",
  "workloads",
  "logs",
  "nodes",
  "edges",
  "node",
  "name",
  "id",
  "first",
  "after",
  "filter",
  "labelSelector",
  "__typename",
  "__schema",
  "__type",
  "usage",
  '"x"',
  '"""a"""',
  "1",
  "-1",
  "1.5",
  "true",
  "null",
  "CACHED",
  "STRONG",
  "$v",
  "Int",
  "String!",
  "include",
  "skip",
  "if",
];

describe("the gateway over HTTP, fuzzed", () => {
  it(
    "any text as a document",
    async () => {
      await fc.assert(
        fc.asyncProperty(user, fc.oneof(anyText(300), tokenText(GRAPHQL_TOKENS, 40)), async (who, text) => {
          await ask(who, text);
        }),
        params,
      );
    },
    settings.timeoutMs,
  );

  it(
    "any request body",
    async () => {
      const body = fc.oneof(
        anyText(200),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc
          .record(
            {
              query: fc.jsonValue({ maxDepth: 2 }),
              variables: fc.jsonValue({ maxDepth: 2 }),
              operationName: fc.jsonValue({ maxDepth: 1 }),
              extensions: fc.jsonValue({ maxDepth: 2 }),
            },
            { requiredKeys: [] },
          )
          .map((v) => JSON.stringify(v)),
        fc
          .tuple(
            fc.constantFrom(...Object.values(OPERATIONS)),
            fc.jsonValue({ maxDepth: 3 }),
            fc.option(anyText(20)),
          )
          .map(([query, variables, operationName]) => JSON.stringify({ query, variables, operationName })),
      );
      await fc.assert(
        fc.asyncProperty(user, body, async (who, text) => {
          await send(who, text);
        }),
        params,
      );
    },
    settings.timeoutMs,
  );

  it(
    "real documents with their tokens damaged",
    async () => {
      const tokenMutation: fc.Arbitrary<TokenMutation> = fc.oneof(
        fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
        fc.record({
          op: fc.constant("repeat" as const),
          at: fc.nat(),
          times: fc.integer({ min: 1, max: 30 }),
        }),
        fc.record({ op: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
        fc.record({
          op: fc.constant("replace" as const),
          at: fc.nat(),
          by: fc.oneof(
            fc.constantFrom(...GRAPHQL_TOKENS),
            anyText(20).map((s) => JSON.stringify(s)),
          ),
        }),
      );
      await fc.assert(
        fc.asyncProperty(
          user,
          fc.nat(),
          fc.array(tokenMutation, { minLength: 1, maxLength: 5 }),
          async (who, i, ms) => {
            await ask(who, mutateTokens(tokensOf(corpus[i % corpus.length]!), ms));
          },
        ),
        params,
      );
    },
    settings.timeoutMs,
  );

  it(
    "documents drawn from the schema, with hostile arguments",
    async () => {
      const executed = new Tally();
      await fc.assert(
        fc.asyncProperty(user, fc.integer(), async (who, seed) => {
          const { document, variables } = schemaOperation(schema, seed, pool);
          executed.count(await ask(who, document, variables));
        }),
        params,
      );
      executed.expectSome("documents drawn from the schema");
    },
    settings.timeoutMs,
  );

  it(
    "documents drawn from the schema around lists, logs and metrics",
    async () => {
      const roots = [
        "pods",
        "workloads",
        "logs",
        "logHistogram",
        "eventHistory",
        "eventHistogram",
        "auditEvents",
        "pod",
        "namespace",
        "clusterNode",
        "workload",
        "node",
        "nodes",
        "resources",
        "promQuery",
        "clusters",
        "cluster",
      ];
      const executed = new Tally();
      await fc.assert(
        fc.asyncProperty(user, fc.integer(), async (who, seed) => {
          const { document, variables } = schemaOperation(schema, seed, pool, roots);
          executed.count(await ask(who, document, variables));
        }),
        params,
      );
      executed.expectSome("documents drawn around lists, logs and metrics");
    },
    settings.timeoutMs,
  );
});

/** A cursor as a caller might send one: real, damaged, re-encoded with other contents, or none. */
function cursorArbitrary(): fc.Arbitrary<string> {
  const real = fc.constantFrom(...[...cursors.values()].flat());
  return fc.oneof(
    real,
    fc.tuple(real, mutations).map(([c, ms]) => mutateAll(c, ms)),
    fc.tuple(real, fc.jsonValue({ maxDepth: 2 }), fc.nat()).map(([c, value, at]) => reencoded(c, value, at)),
    anyText(80),
  );
}

/** The cursor's body with one of its parts replaced by `value`, re-encoded: it passes the envelope. */
function reencoded(cursor: string, value: unknown, at: number): string {
  const body = decodeOpaqueCursor("after", cursor, 1 << 20);
  if (Array.isArray(body) && body.length > 0) body[at % body.length] = value;
  else if (body !== null && typeof body === "object") {
    const keys = Object.keys(body);
    if (keys.length > 0) (body as Record<string, unknown>)[keys[at % keys.length]!] = value;
  }
  return encodeOpaqueCursor(body);
}

/** The real list, log, usage, resources and promQuery operations with any variables. */
function realOperations(): fc.Arbitrary<{ document: string; variables: Record<string, unknown> }> {
  const selector = fc.oneof(
    fc.constantFrom("app=web", "tier in (a,b)", "!app", "constructor", "toString", "app notin (x)", ""),
    tokenText(["app", "=", "!=", "!", " in ", "(", ")", ",", "x", "example.com/", "-", "."]),
    anyText(60),
  );
  const names = fc.array(fc.oneof(fc.constantFrom("default", "kube-system", "a", ""), anyText(30)), {
    maxLength: 3,
  });
  const int = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -5, max: 1100 }) },
    { weight: 1, arbitrary: fc.constantFrom(2_147_483_647, -2_147_483_648) },
    { weight: 1, arbitrary: fc.oneof(fc.double(), fc.string({ maxLength: 3 })) },
  );
  const any = fc.jsonValue({ maxDepth: 2 });
  /** Each variable: a value of about the right kind, one of any kind, or absent. */
  const v = <T>(arb: fc.Arbitrary<T>) =>
    fc.option(fc.oneof({ weight: 12, arbitrary: arb }, { weight: 1, arbitrary: any }), { nil: undefined });
  const order = fc.record(
    {
      field: fc.constantFrom("NAME", "NAMESPACE", "CLUSTER", "CREATED", "RESTARTS", "PHASE", "X"),
      direction: fc.constantFrom("ASC", "DESC"),
    },
    { requiredKeys: [] },
  );
  const time = fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    anyText(30),
  );
  const strip = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));

  const lists = (document: string) =>
    fc
      .record({
        first: v(int),
        last: v(int),
        after: v(fc.constant(null).chain(() => cursorArbitrary())),
        before: v(fc.constant(null).chain(() => cursorArbitrary())),
        consistency: v(fc.constantFrom("CACHED", "STRONG")),
        orderBy: v(order),
        filter: v(
          fc.record(
            {
              labelSelector: selector,
              clusterSelector: selector,
              namespaces: names,
              clusters: names,
              nameContains: anyText(20),
              workspaces: names,
            },
            { requiredKeys: [] },
          ),
        ),
      })
      .map((vars) => ({ document, variables: strip(vars) }));

  const logs = fc
    .record({
      first: v(int),
      after: v(fc.constant(null).chain(() => cursorArbitrary())),
      direction: v(fc.constantFrom("NEWEST_FIRST", "OLDEST_FIRST")),
      filter: v(
        fc.record(
          {
            keywords: fc.array(anyText(40), { maxLength: 3 }),
            pods: names,
            containers: names,
            namespaces: names,
            clusters: names,
            clusterSelector: selector,
            range: fc.record({ start: time, end: time }, { requiredKeys: [] }),
            workloads: fc.array(fc.oneof(fc.constantFrom(...pool.real), anyText(30)), { maxLength: 2 }),
          },
          { requiredKeys: [] },
        ),
      ),
    })
    .map((vars) => ({ document: LOGS, variables: strip(vars) }));

  const usage = fc
    .record({
      pod: fc.constantFrom(...pods),
      names: fc.array(fc.constantFrom("CPU_USAGE", "MEMORY_WORKING_SET", "NETWORK_RECEIVE", "X"), {
        maxLength: 3,
      }),
      range: fc.record(
        { start: time, end: fc.option(time, { nil: undefined }), step: fc.option(int, { nil: undefined }) },
        { requiredKeys: ["start"] },
      ),
      name: fc.option(fc.oneof(anyText(40), fc.constantFrom('a"}', "a|b", ".+")), { nil: undefined }),
    })
    .map(({ pod, names: metricNames, range, name }) => ({
      document: USAGE,
      variables: {
        cluster: pod.cluster,
        namespace: pod.namespace,
        name: name ?? pod.name,
        names: metricNames,
        range: strip(range),
      },
    }));

  const resources = fc
    .record({
      cluster: fc.oneof(fc.constantFrom(...fixture.sim.clusters.map((c) => c.name)), anyText(20)),
      apiVersion: fc.oneof(fc.constantFrom("v1", "apps/v1", "../v1", "v1/../../x"), anyText(20)),
      kind: fc.oneof(fc.constantFrom("Pod", "Deployment", "Secret", "pods"), anyText(20)),
      namespace: v(fc.oneof(fc.constantFrom(...pods.map((p) => p.namespace)), anyText(20))),
      labelSelector: v(selector),
      first: v(int),
      after: v(fc.constant(null).chain(() => cursorArbitrary())),
    })
    .map((vars) => ({ document: RESOURCES, variables: strip(vars) }));

  const promQuery = fc
    .record({
      cluster: fc.constantFrom(...fixture.sim.clusters.map((c) => c.name)),
      query: fc.oneof(
        anyText(80),
        tokenText([
          "up",
          "{",
          "}",
          "=",
          "=~",
          '"',
          "rate(",
          ")",
          "[5m]",
          "sum",
          " by ",
          "(",
          "namespace",
          ",",
          "1",
          "+",
          "/",
        ]),
      ),
      range: v(
        fc
          .record(
            {
              start: time,
              end: fc.option(time, { nil: undefined }),
              step: fc.option(int, { nil: undefined }),
            },
            { requiredKeys: ["start"] },
          )
          .map(strip),
      ),
    })
    .map((vars) => ({ document: PROM_QUERY, variables: strip(vars) }));
  return fc.oneof(lists(PODS), lists(WORKLOADS), logs, usage, resources, promQuery);
}

describe("the real operations with any variables", () => {
  it(
    "pods, workloads, logs, usage, resources and promQuery",
    async () => {
      const operation = realOperations();
      const executed = new Tally();
      await fc.assert(
        fc.asyncProperty(user, operation, async (who, { document, variables }) => {
          executed.count(await ask(who, document, variables));
        }),
        params,
      );
      executed.expectSome("the real operations");
    },
    settings.timeoutMs,
  );
});

describe("cursors from another list, or expired", () => {
  /** Where each list's cursors are sent: the document and its variables but the cursor. */
  const targets = (): Record<string, { document: string; variables: Record<string, unknown> }> => ({
    pods: { document: PODS, variables: { first: 2 } },
    "pods by creation": {
      document: PODS,
      variables: { first: 2, orderBy: { field: "CREATED", direction: "DESC" } },
    },
    "pods STRONG": { document: PODS, variables: strongPodsOfBusiest() },
    workloads: { document: WORKLOADS, variables: { first: 2 } },
    logs: { document: LOGS, variables: { first: 2 } },
    resources: { document: RESOURCES, variables: resourcesOfBusiest() },
    // No events or audit entries are written: these lists only receive cursors.
    "event history": {
      document: `query ($after: String) { eventHistory(first: 2, after: $after) { totalCount } }`,
      variables: {},
    },
    "audit events": {
      document: `query ($after: String) { auditEvents(first: 2, after: $after) { totalCount } }`,
      variables: {},
    },
  });

  /** The answer is a refusal of `after` as BAD_USER_INPUT, and nothing else. */
  const refusedAfter = (answer: Answer, what: string) => {
    const errors = answer.body.errors ?? [];
    expect(errors.length, what).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.extensions, `${what}: ${error.message}`).toMatchObject({
        code: "BAD_USER_INPUT",
        argument: "after",
      });
    }
  };

  it("a cursor of another list, order or consistency is refused as BAD_USER_INPUT naming after", async () => {
    const lists = targets();
    let pairs = 0;
    for (const [from, handedOut] of cursors)
      for (const [to, target] of Object.entries(lists)) {
        if (from === to) continue;
        for (const who of USERS) {
          const answer = await ask(who, target.document, { ...target.variables, after: handedOut[0]! });
          // bob may not read the busiest namespace at all: FORBIDDEN comes first.
          if (who === "admin") refusedAfter(answer, `${who}: a cursor of ${from} sent to ${to}`);
          pairs++;
        }
      }
    expect(pairs).toBe(cursors.size * (Object.keys(lists).length - 1) * USERS.length);
  });

  it("a cursor whose continue token has expired: a STRONG list resumes at its position, a resources list is refused as BAD_USER_INPUT", async () => {
    const lists = targets();
    // Only cursors that resume from a continue token can expire.
    const resumable = (cursor: string): boolean => {
      const body = decodeOpaqueCursor("after", cursor, 1 << 20) as {
        t?: string;
        s?: [string, string, string, string | null][];
      };
      return Boolean(body.t) || Boolean(body.s?.some((stream) => stream[3]));
    };
    const expiring = (["pods STRONG", "resources"] as const).map((list) => {
      const found = cursors.get(list)!.filter(resumable);
      expect(found.length, `${list} handed out a cursor with a continue token`).toBeGreaterThan(0);
      return { list, cursor: found[0]! };
    });
    const pageAfter = (list: "pods STRONG" | "resources", cursor: string) =>
      ask("admin", lists[list]!.document, { ...lists[list]!.variables, after: cursor });
    const before = new Map<string, Answer>();
    for (const { list, cursor } of expiring) {
      const answer = await pageAfter(list, cursor);
      expect(answer.body.errors, list).toBeUndefined();
      before.set(list, answer);
    }
    for (const cluster of fixture.sim.clusters) cluster.expireHistory();
    // The fleet is still (no churn): listed again from its start, the STRONG page is the same.
    const strong = expiring.find((e) => e.list === "pods STRONG")!;
    const again = await pageAfter(strong.list, strong.cursor);
    expect(again.body.errors).toBeUndefined();
    // (Usage numbers move with each scrape: the page is told by its pods.)
    const ids = (answer: Answer) =>
      (answer.body.data!.pods as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id);
    expect(ids(again)).toEqual(ids(before.get(strong.list)!));
    expect(ids(again).length).toBeGreaterThan(0);
    const resources = expiring.find((e) => e.list === "resources")!;
    const refused = await pageAfter(resources.list, resources.cursor);
    refusedAfter(refused, "an expired cursor of resources");
    expect(refused.body.errors![0]!.message).toMatch(/expired/);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...expiring), mutations, async ({ list, cursor }, ms) => {
        const target = lists[list]!;
        await ask("admin", target.document, { ...target.variables, after: mutateAll(cursor, ms) });
      }),
      runParameters(fuzzSettings(20, 150)),
    );
  });
});
