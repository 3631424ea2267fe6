/**
 * Production mode without the fleet: how the config and NODE_ENV decide it, introspection found
 * wherever a document asks for it, unexpected errors masked by a real Apollo Server (typed ones
 * kept) and by the graphql-ws path (a real socket: events, a stream failing as it runs, a context
 * that cannot be made, a connection that fails unexpectedly), and the log redaction over the
 * shapes credentials come in.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { GraphQLError, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from "graphql";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Subject } from "../../auth/subject.js";
import type { Scope } from "../../src/cache/scope.js";
import { parseConfig } from "../../src/config/index.js";
import express from "express";
import type { SyncReport } from "../../src/cache/fleet-cache.js";
import { clusterOutcomeError } from "../../src/http/cluster-outcomes.js";
import {
  maskedErrors,
  maskingFormatError,
  MASKED_MESSAGE,
  withoutAddresses,
} from "../../src/http/error-masking.js";
import { healthRoutes } from "../../src/http/health.js";
import { DEFAULT_READINESS } from "../../src/http/readiness.js";
import { liveFleetView } from "../../src/server/fleet-view.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { QueryEngine } from "../../src/cache/query/index.js";
import { KINDS } from "../../src/kinds/index.js";
import { ClusterOutcomes, createReadServices } from "../../src/query-service/index.js";
import { introspectionOffPlugin, introspectionRefusal } from "../../src/http/introspection.js";
import { resolveProductionMode, type ProductionMode } from "../../src/http/production-mode.js";
import { serveSubscriptions, type SubscriptionServer } from "../../src/http/subscription-server.js";
import { DEFAULT_QUERY_LIMITS, LimitCache } from "../../src/limits/index.js";
import type { RequestContextFactory } from "../../src/request/context-factory.js";
import { redactedLogger } from "../../src/telemetry/log-redaction.js";
import { captureLogs, type CapturedLogs } from "../support/log-capture.js";
import { subscribe } from "../support/subscription-client.js";
import { configError } from "./config-fixtures.js";

describe("resolveProductionMode", () => {
  it("follows NODE_ENV without a setting, and the setting over NODE_ENV", () => {
    const on = { introspection: false, maskErrors: true };
    const off = { introspection: true, maskErrors: false };
    expect(resolveProductionMode(undefined, "production")).toEqual(on);
    expect(resolveProductionMode(undefined, "development")).toEqual(off);
    expect(resolveProductionMode(undefined, undefined)).toEqual(off);
    expect(resolveProductionMode(false, "production")).toEqual(off);
    expect(resolveProductionMode(true, "test")).toEqual(on);
    expect(resolveProductionMode({ introspection: true }, "test")).toEqual({
      introspection: true,
      maskErrors: true,
    });
    expect(resolveProductionMode({ maskErrors: false }, undefined)).toEqual({
      introspection: false,
      maskErrors: false,
    });
  });

  it("reads `production` as a boolean or its switches, and nothing else", () => {
    expect(parseConfig("production: true\n", "/c.yaml").production).toBe(true);
    expect(parseConfig("production:\n  introspection: true\n", "/c.yaml").production).toEqual({
      introspection: true,
    });
    expect(parseConfig("port: 4000\n", "/c.yaml").production).toBeUndefined();
    expect(configError(() => parseConfig("production:\n  introspecton: true\n", "/c.yaml")).message).toMatch(
      /production/,
    );
  });
});

describe("introspectionRefusal", () => {
  it("finds __schema and __type anywhere, fragments included, and lets __typename through", () => {
    for (const text of [
      "{ __schema { types { name } } }",
      '{ viewer { user } __type(name: "Pod") { name } }',
      "query { ...F } fragment F on Query { __schema { queryType { name } } }",
    ]) {
      const refusal = introspectionRefusal(parse(text));
      expect(refusal?.extensions.code).toBe("INTROSPECTION_DISABLED");
      expect(refusal?.message).toMatch(/production\.introspection: true/);
    }
    expect(introspectionRefusal(parse("{ __typename viewer { __typename user } }"))).toBeUndefined();
  });

  it("refuses federation's _service { sdl } (the whole schema) and names the committed subgraph SDL", () => {
    const refusal = introspectionRefusal(parse("{ _service { sdl } }"));
    expect(refusal?.extensions.code).toBe("INTROSPECTION_DISABLED");
    expect(refusal?.message).toMatch(/_service cannot be queried.*schema\/subgraph\.graphql/);
  });
});

const typeDefs = "type Query { boom: String, refused: String, fine: String }";

function server(mask: boolean, logger = captureLogs().logger): ApolloServer {
  return new ApolloServer({
    typeDefs,
    resolvers: {
      Query: {
        boom: () => {
          throw new Error("ECONNREFUSED 10.0.0.7:6443 at /srv/app/src/secret-path.ts");
        },
        refused: () => {
          throw new GraphQLError("namespace kube-system is not yours to read", {
            extensions: { code: "FORBIDDEN" },
          });
        },
        fine: () => "ok",
      },
    },
    introspection: true,
    plugins: [introspectionOffPlugin()],
    ...(mask ? { formatError: maskingFormatError(logger, () => "req-42") } : {}),
  });
}

async function run(apollo: ApolloServer, query: string) {
  await apollo.start();
  try {
    const response = await apollo.executeOperation({ query });
    if (response.body.kind !== "single") throw new Error("expected a single result");
    return { http: response.http.status, ...response.body.singleResult };
  } finally {
    await apollo.stop();
  }
}

describe("error masking through Apollo", () => {
  it("hides an unexpected error's message behind the request id, and logs it under that id", async () => {
    const logs = captureLogs();
    const result = await run(server(true, logs.logger), "{ boom fine }");
    expect(result.data).toEqual({ boom: null, fine: "ok" });
    expect(result.errors).toEqual([
      {
        message: `${MASKED_MESSAGE} (request id req-42)`,
        locations: [{ line: 1, column: 3 }],
        path: ["boom"],
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-42" },
      },
    ]);
    const logged = logs.matching("unexpected error (masked)", { requestId: "req-42" });
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged[0])).toContain("ECONNREFUSED 10.0.0.7:6443");
  });

  it("keeps typed errors, and shows everything when masking is off", async () => {
    const typed = await run(server(true), "{ refused }");
    expect(typed.errors?.[0]).toMatchObject({
      message: "namespace kube-system is not yours to read",
      extensions: { code: "FORBIDDEN" },
    });
    const open = await run(server(false), "{ boom }");
    expect(open.errors?.[0]?.message).toContain("ECONNREFUSED");
  });

  it("refuses introspection with its code and a 400", async () => {
    const result = await run(server(true), "{ __schema { queryType { name } } }");
    expect(result.http).toBe(400);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["INTROSPECTION_DISABLED"]);
  });
});

describe("error masking on graphql-ws events", () => {
  it("masks the unexpected errors of a result with a fresh id each, logged with the original", () => {
    const logs = captureLogs();
    const errors = maskedErrors(
      [
        new GraphQLError("TypeError: cannot read 'spec' of undefined", { path: ["podChanges"] }),
        new GraphQLError("cluster east is unreachable", { extensions: { code: "CLUSTER_UNAVAILABLE" } }),
      ],
      logs.logger,
    );
    expect(errors[0]).toMatchObject({ path: ["podChanges"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
    expect(errors[0]!.message).toMatch(/^Internal server error \(request id [0-9a-f-]{36}\)$/);
    expect(errors[1]).toMatchObject({ message: "cluster east is unreachable" });
    const typed = maskedErrors(
      [
        new GraphQLError(
          "the Prometheus at http://10.1.2.3:9090 failed: ECONNREFUSED: connect ECONNREFUSED 10.1.2.3:9090",
          {
            extensions: { code: "PROMETHEUS_UNAVAILABLE" },
          },
        ),
      ],
      logs.logger,
    );
    // Typed, so kept, but without the addresses of the gateway's network.
    expect(typed[0]).toMatchObject({
      message: "the Prometheus at <address> failed: connection refused",
      extensions: { code: "PROMETHEUS_UNAVAILABLE" },
    });
    const id = errors[0]!.extensions!.requestId;
    expect(logs.matching("unexpected error (masked)", { requestId: id })).toHaveLength(1);
  });
});

const SECRET_TEXT = "ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:6443";

/** A stream that sends one event, then fails as it runs (a source stream losing its upstream). */
const wsSchema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: "Query",
    fields: { ok: { type: GraphQLString, resolve: () => "ok" } },
  }),
  subscription: new GraphQLObjectType({
    name: "Subscription",
    fields: {
      ticks: {
        type: GraphQLString,
        // eslint-disable-next-line @typescript-eslint/require-await
        subscribe: async function* () {
          yield { ticks: "one" };
          throw new Error(SECRET_TEXT);
        },
      },
    },
  }),
});

/**
 * The request contexts of the socket tests: token "broken" fails to authenticate unexpectedly
 * (not an AuthenticationError), user "no-context" gets no context (OPA down, say).
 */
const wsContexts = {
  forBearer: (token: string | undefined) => {
    if (token === "broken") return Promise.reject(new Error(`store at ${SECRET_TEXT}`));
    const subject: Subject = { user: token ?? "anonymous", groups: [], source: "session" };
    return Promise.resolve({ subject });
  },
  forSubject: (subject: Subject) =>
    subject.user === "no-context" ? Promise.reject(new Error(`OPA at ${SECRET_TEXT}`)) : Promise.resolve({}),
} as unknown as RequestContextFactory<object>;

describe("production mode on graphql-ws sockets", () => {
  let http: Server | undefined;
  let sockets: SubscriptionServer | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await sockets?.close();
    await new Promise((resolve) => http?.close(resolve));
  });

  /** A socket server with `production`; NODE_ENV is the test runner's ("test"), not production. */
  async function serve(production: ProductionMode, logs: CapturedLogs): Promise<string> {
    http = createServer();
    sockets = serveSubscriptions({
      httpServer: http,
      schema: wsSchema,
      contexts: Promise.resolve(wsContexts),
      scopeOf: () => () => ({}) as Scope,
      limits: () => DEFAULT_QUERY_LIMITS,
      model: { defaultPageSize: 50, clustersFor: () => 1, clusterCount: () => 1 },
      limitCache: new LimitCache(),
      production,
      allowedOrigins: () => [],
      logger: logs.logger,
    });
    await new Promise<void>((resolve) => http!.listen(0, "127.0.0.1", resolve));
    return `ws://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
  }

  const masked = { introspection: false, maskErrors: true };

  it("masks an error thrown while a subscription streams, and logs the original", async () => {
    expect(process.env.NODE_ENV).not.toBe("production");
    const logs = captureLogs();
    const s = subscribe({ url: await serve(masked, logs), token: "alice", query: "subscription { ticks }" });
    try {
      await s.whenCompleted();
      expect(s.events).toEqual([{ data: { ticks: "one" } }]);
      const failure = JSON.stringify(s.failure());
      expect(failure).toMatch(/Internal server error \(request id [0-9a-f-]{36}\)/);
      expect(failure).not.toContain("10.0.0.5");
      expect(JSON.stringify(logs.matching("unexpected error (masked)"))).toContain(SECRET_TEXT);
    } finally {
      await s.close();
    }
  });

  it("masks a context that cannot be made, failing the operation and keeping the socket", async () => {
    const logs = captureLogs();
    const s = subscribe({
      url: await serve(masked, logs),
      token: "no-context",
      query: "subscription { ticks }",
    });
    try {
      await s.whenCompleted();
      const failure = JSON.stringify(s.failure());
      expect(failure).toContain("Internal server error");
      expect(failure).not.toContain("10.0.0.5");
      expect(s.closed()).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it("closes a connection failing unexpectedly with 4500 and no message, logged through pino", async () => {
    const logs = captureLogs();
    const console = vi.spyOn(globalThis.console, "error");
    const s = subscribe({ url: await serve(masked, logs), token: "broken", query: "subscription { ticks }" });
    try {
      expect(await s.whenClosed()).toEqual({ code: 4500, reason: "Internal server error" });
      expect(console).not.toHaveBeenCalled();
      expect(JSON.stringify(logs.matching("unexpected error"))).toContain(SECRET_TEXT);
    } finally {
      await s.close();
    }
  });

  it("shows the messages when masking is off", async () => {
    const logs = captureLogs();
    const off = { introspection: true, maskErrors: false };
    const s = subscribe({ url: await serve(off, logs), token: "alice", query: "subscription { ticks }" });
    try {
      await s.whenCompleted();
      expect(JSON.stringify(s.failure())).toContain(SECRET_TEXT);
    } finally {
      await s.close();
    }
  });
});

describe("cluster failures as tenants and probes see them in production mode", () => {
  it("says socket errors in words and drops addresses, keeping the rest of the message", () => {
    expect(withoutAddresses("ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:6443")).toBe("connection refused");
    expect(withoutAddresses("cluster east: ENOTFOUND: getaddrinfo ENOTFOUND api.east.internal")).toBe(
      "cluster east: host name not found",
    );
    expect(withoutAddresses("request to https://10.0.0.5:6443/api/v1/pods timed out after 5 s")).toBe(
      "request to <address> timed out after 5 s",
    );
    expect(withoutAddresses("upstream [fd00::5]:6443 reset; 10.1.2.3 too")).toBe(
      "upstream <address> reset; <address> too",
    );
    expect(withoutAddresses("namespace kube-system is forbidden")).toBe("namespace kube-system is forbidden");
  });

  it("strips the addresses of a cluster outcome only when asked (production mode)", () => {
    const outcome = {
      cluster: "east",
      code: "CLUSTER_UNAVAILABLE" as const,
      message: "ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:6443",
      retryable: true,
    };
    expect(clusterOutcomeError(outcome, true)).toMatchObject({
      message: "connection refused (retry later)",
      extensions: { code: "CLUSTER_UNAVAILABLE", cluster: "east", retryable: true },
    });
    expect(clusterOutcomeError(outcome).message).toContain("10.0.0.5:6443");
  });

  it("strips them from Cluster.sync.failure and Cluster.health.lastError", () => {
    const message = "ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:6443";
    const registry = {
      names: () => ["east"],
      config: () => undefined,
      health: () => ({
        status: "UNREACHABLE" as const,
        lastProbeAt: null,
        latencyMs: null,
        kubernetesVersion: null,
        lastError: new Error(message),
      }),
    };
    const caches = {
      freshness: () => undefined,
      syncProgress: () => ({
        state: "failed" as const,
        kindsSynced: 0,
        kinds: 9,
        listedObjects: 0,
        listedPages: 0,
        failure: { reason: "unreachable" as const, message },
      }),
    };
    type Registry = Parameters<typeof liveFleetView>[0];
    type Caches = Parameters<typeof liveFleetView>[1];
    const hidden = liveFleetView(registry as unknown as Registry, caches as unknown as Caches, true);
    expect(hidden.sync?.("east").failure).toBe("unreachable: connection refused");
    expect(hidden.health?.("east").lastError).toBe("connection refused");
    const shown = liveFleetView(registry as unknown as Registry, caches as unknown as Caches);
    expect(shown.sync?.("east").failure).toContain("10.0.0.5:6443");
    // A request's per-cluster outcomes (read as `outcomes { error { message } }` by any tenant).
    const reader = new QueryEngine(new FleetIndex(KINDS), { clusterLabels: () => ({}), isKnown: () => true });
    for (const [view, expected] of [
      [hidden, "STRONG read: connection refused"],
      [shown, "STRONG read: ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:6443"],
    ] as const) {
      const outcomes = new ClusterOutcomes(createReadServices({ reader, fleet: view }).shownFailure);
      outcomes.reportClusterError("east", "CLUSTER_UNAVAILABLE", `STRONG read: ${SECRET_TEXT}`, true);
      expect(outcomes.pageOutcomes([view.freshness("east")], "API_SERVER")[0]!.error?.message).toBe(expected);
    }
  });

  it("answers /readyz with each failure's cluster and reason only", async () => {
    const report = {
      clustersTotal: 2,
      synced: ["west"],
      gaveUp: ["east"],
      pending: [],
      failures: [{ cluster: "east", reason: "unreachable", message: "ECONNREFUSED 10.0.0.5:6443" }],
      syncing: [],
      objects: 10,
    } as unknown as SyncReport;
    const readyz = async (hideFailureMessages: boolean): Promise<{ failures: unknown[] }> => {
      const app = express().use(
        healthRoutes({
          report: () => Promise.resolve(report),
          policy: () => DEFAULT_READINESS,
          stopping: () => false,
          trustingClusters: () => [],
          hideFailureMessages,
        }),
      );
      const http = createServer(app);
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      try {
        const response = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/readyz`);
        return (await response.json()) as { failures: unknown[] };
      } finally {
        http.close();
      }
    };
    expect((await readyz(true)).failures).toEqual([{ cluster: "east", reason: "unreachable" }]);
    expect(JSON.stringify(await readyz(false))).toContain("10.0.0.5");
  });
});

describe("log redaction", () => {
  it("redacts credentials wherever a line or a logged error carries them, and keeps the rest", () => {
    const logs = captureLogs("trace");
    const logger = redactedLogger(logs.logger);
    logger.info(
      {
        req: { headers: { authorization: "Bearer tok-1", cookie: "fleetgraph_session=tok-2", host: "gw" } },
        err: {
          response: { headers: { "set-cookie": "tok-3" } },
          options: { headers: { Authorization: "tok-4" } },
        },
        login: { user: "alice", password: "alice-demo" },
        tokens: { accessToken: "tok-5", refresh_token: "tok-6", id_token: "tok-7" },
        oidc: { clientSecret: "tok-8", client_secret: "tok-9" },
        store: { apiKey: "tok-10" },
        secret: { stringData: { password: "tok-11" } },
        token: "tok-12",
      },
      "a line full of credentials",
    );
    const text = JSON.stringify(logs.lines());
    for (let i = 1; i <= 12; i += 1) expect(text).not.toMatch(new RegExp(`tok-${i}\\b`));
    expect(text).not.toContain("alice-demo");
    expect(text).toContain('"host":"gw"');
    expect(text).toContain('"user":"alice"');
    expect(text).toContain("[Redacted]");
  });
});
