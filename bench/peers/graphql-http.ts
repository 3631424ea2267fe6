/**
 * The smallest honest GraphQL-over-HTTP server for the peers: node:http + graphql-js, POST
 * /graphql with a JSON body, parsed and validated documents kept by their text (as Apollo's
 * document store does, so the peers do not pay for parsing that the gateway skips), and
 * GET /debug/memory like the gateway's, so the harness reads every server's heap the same way.
 * Prints "listening <url>" on stdout once it accepts connections.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { execute, parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from "graphql";
import { debugMemory } from "../../src/http/debug-routes.js";

export interface GraphQLServerOptions {
  schema: GraphQLSchema;
  rootValue: unknown;
  /** A fresh context per request (per-request memos live there). */
  context?: () => unknown;
  port: number;
}

interface Body {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

const MAX_DOCUMENTS = 100;

export function serveGraphQL(options: GraphQLServerOptions): Promise<string> {
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const documentFor = (source: string): DocumentNode | readonly GraphQLError[] => {
    let document = documents.get(source);
    if (!document) {
      const parsed = parse(source);
      const errors = validate(options.schema, parsed);
      document = errors.length ? errors : parsed;
      if (documents.size < MAX_DOCUMENTS) documents.set(source, document);
    }
    return document;
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/debug/memory") {
      return send(res, 200, debugMemory((req.url ?? "").includes("gc=1")));
    }
    if (req.method !== "POST" || path !== "/graphql")
      return send(res, 404, { errors: [{ message: "not found" }] });
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    let body: Body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Body;
    } catch {
      return send(res, 400, { errors: [{ message: "the body is not JSON" }] });
    }
    if (typeof body.query !== "string") return send(res, 400, { errors: [{ message: "no query" }] });
    let document;
    try {
      document = documentFor(body.query);
    } catch (error) {
      return send(res, 400, { errors: [{ message: (error as Error).message }] });
    }
    if (!("kind" in document)) return send(res, 400, { errors: document.map((e) => e.toJSON()) });
    const result = await execute({
      schema: options.schema,
      document,
      rootValue: options.rootValue,
      contextValue: options.context?.(),
      variableValues: (body.variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof body.operationName === "string" ? body.operationName : undefined,
    });
    send(res, 200, result);
  };

  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: [{ message: String(error) }] });
    });
  });
  // The load generator keeps connections open; Node's default keep-alive of 5 s is fine for it.
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/graphql`;
      process.stdout.write(`listening ${url}\n`);
      const stop = (): void => {
        server.close(() => process.exit(0));
        server.closeAllConnections();
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      resolve(url);
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
