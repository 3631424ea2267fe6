/**
 * A stand-in for OPA's server that follows its documented Data API (docs/rest-api, "Get a
 * Document (with Input)"), since OPA itself cannot be installed here:
 *
 * - `POST /v1/data/{path}` with `{"input": ...}` → 200 `{"result": ...}`; a decision that is
 *   undefined for the input is 200 `{}` (no `result` key), never 404;
 * - a body that is not JSON → 400 `{"code": "invalid_parameter", "message": ...}`; a body without
 *   an `input` key is evaluated without input and answered with OPA's `api_usage_warning`;
 * - an evaluation error → 500 `{"code": "internal_error", "message": ...}`;
 * - `?metrics` and `?provenance` add those keys; with a token configured, a missing or wrong
 *   bearer token → 401 `{"code": "unauthorized", ...}`; any other route → 404, as OPA's router.
 *
 * Decisions are functions of the input given by each test; every input document received is
 * recorded so tests can assert exactly what the gateway sent.
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Returns the decision's value, or `undefined` when it is undefined; a throw is an eval error. */
export type Decision = (input: unknown) => unknown;

export interface ReceivedQuery {
  path: string;
  /** The request body's `input`; absent when the body had none. */
  input?: unknown;
  authorization?: string;
  query: Record<string, string>;
}

export interface OpaTestServerOptions {
  decisions: Record<string, Decision>;
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
}

const DATA_PREFIX = "/v1/data/";

export class OpaTestServer {
  readonly received: ReceivedQuery[] = [];
  /** Delay before every answer, to exercise deadlines. */
  delayMs = 0;
  /** When set, every query fails with a 500 carrying this message. */
  failure: string | undefined;

  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  private constructor(private readonly options: OpaTestServerOptions) {}

  static async start(options: OpaTestServerOptions): Promise<OpaTestServer> {
    const opa = new OpaTestServer(options);
    await new Promise<void>((resolve) => opa.server.listen(0, "127.0.0.1", resolve));
    return opa;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The inputs received at one decision path, in order. */
  inputsTo(path: string): unknown[] {
    return this.received.filter((q) => q.path === path).map((q) => q.input);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const body = await readBody(req);
    if (req.method !== "POST" || !url.pathname.startsWith(DATA_PREFIX)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("404 page not found\n");
      return;
    }
    if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
      send(res, 401, { code: "unauthorized", message: "request rejected by administrative policy" });
      return;
    }
    const path = decodeURIComponent(url.pathname.slice(DATA_PREFIX.length)).replace(/\/+$/, "");
    const parsed = parseRequest(body);
    if ("error" in parsed) {
      send(res, 400, { code: "invalid_parameter", message: parsed.error });
      return;
    }
    const received: ReceivedQuery = { path, query: Object.fromEntries(url.searchParams) };
    if ("input" in parsed) received.input = parsed.input;
    if (req.headers.authorization !== undefined) received.authorization = req.headers.authorization;
    this.received.push(received);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (res.destroyed) return;
    send(res, ...this.answer(path, parsed, url.searchParams));
  }

  private answer(path: string, parsed: { input?: unknown }, params: URLSearchParams): [number, object] {
    if (this.failure !== undefined) return [500, { code: "internal_error", message: this.failure }];
    let result: unknown;
    try {
      result = this.options.decisions[path]?.(parsed.input);
    } catch (error) {
      return [
        500,
        { code: "internal_error", message: error instanceof Error ? error.message : String(error) },
      ];
    }
    const out: Record<string, unknown> = {};
    if (result !== undefined) out.result = result;
    if (!("input" in parsed)) {
      out.warning = { code: "api_usage_warning", message: "'input' key missing from the request" };
    }
    if (params.has("metrics"))
      out.metrics = { timer_rego_query_eval_ns: 1000, timer_server_handler_ns: 2000 };
    if (params.has("provenance")) {
      out.provenance = {
        version: "1.0.0-test",
        build_commit: "test",
        build_timestamp: "",
        build_hostname: "",
      };
    }
    return [200, out];
  }
}

function parseRequest(body: string): { input?: unknown } | { error: string } {
  if (body.trim() === "") return {};
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    return { error: `body contains malformed input document: ${(error as Error).message}` };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return { error: "body contains malformed input document: expected an object" };
  }
  return "input" in doc ? { input: doc.input } : {};
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += String(chunk);
  return body;
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
