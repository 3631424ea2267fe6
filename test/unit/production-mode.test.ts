/**
 * Production mode without the fleet: how the config and NODE_ENV decide it, introspection found
 * wherever a document asks for it, unexpected errors masked by a real Apollo Server (typed ones
 * kept) and by the graphql-ws path, and the log redaction over the shapes credentials come in.
 */
import { ApolloServer } from "@apollo/server";
import { GraphQLError, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { maskedErrors, maskingFormatError, MASKED_MESSAGE } from "../../src/http/error-masking.js";
import { introspectionOffPlugin, introspectionRefusal } from "../../src/http/introspection.js";
import { resolveProductionMode } from "../../src/http/production-mode.js";
import { redactedLogger } from "../../src/telemetry/log-redaction.js";
import { captureLogs } from "../support/log-capture.js";
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
    const id = errors[0]!.extensions!.requestId;
    expect(logs.matching("unexpected error (masked)", { requestId: id })).toHaveLength(1);
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
