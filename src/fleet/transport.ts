/**
 * HTTP to one API server over node:http(s), with the TLS material and bearer token the cluster's
 * KubeConfig resolves (re-read per request, so rotated token files are honoured) and one keep-alive
 * agent per connection. Bodies stay raw JSON: the caches project plain objects, and client-node's
 * typed APIs would first convert every object into model classes (Date instances included).
 *
 * Watches are streamed here too rather than through client-node's `Watch`: that class aborts any
 * stream silent for 30 s (quiet kinds would reconnect twice per bookmark interval), drops lines it
 * cannot parse without a word, and takes no signal for a connect deadline.
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { currentRequestId } from "../telemetry/request-scope.js";
import {
  errorFromResponse,
  isKubeStatus,
  parseRetryAfter,
  toClusterError,
  type KubeStatus,
} from "./errors.js";

export interface StreamCallbacks {
  /** One newline-delimited JSON document (not yet parsed). */
  onLine(line: string): void;
  /** The stream ended: cleanly (undefined) or with a transport error. Called once. */
  onEnd(error: unknown): void;
}

export interface OpenStream {
  close(): void;
}

/** What a request with a body sends: its method, body text and media type. */
export interface WriteRequest {
  method: "PATCH" | "PUT" | "POST" | "DELETE";
  body: string;
  contentType: string;
}

/** A streaming answer's body, handed over raw: its reader paces it (pause/resume). */
export interface OpenBody {
  readonly body: IncomingMessage;
  /** Ends the request and its connection; the body then emits "close". Idempotent. */
  readonly close: () => void;
}

export class ClusterTransport {
  private agent: HttpAgent | undefined;
  private readonly secure: boolean;
  private readonly base: URL;

  constructor(
    private readonly cluster: string,
    private readonly kubeConfig: KubeConfig,
    server: string,
    private readonly maxSockets: number,
  ) {
    this.base = new URL(server);
    this.secure = this.base.protocol === "https:";
  }

  /**
   * GET `path` and resolve with the body; non-2xx answers reject with a typed ClusterError.
   * `headers` are added per call (impersonation); an array value is sent as repeated headers.
   */
  async get(
    path: string,
    signal: AbortSignal,
    accept = "application/json",
    headers: Record<string, string | string[]> = {},
  ): Promise<string> {
    return this.send(path, signal, accept, headers);
  }

  /**
   * A request with a body (PATCH, PUT, POST, DELETE), answered like `get`: the body text of a 2xx, a
   * typed ClusterError otherwise.
   */
  async write(
    write: WriteRequest,
    path: string,
    signal: AbortSignal,
    headers: Record<string, string | string[]> = {},
  ): Promise<string> {
    return this.send(path, signal, "application/json", headers, write);
  }

  private async send(
    path: string,
    signal: AbortSignal,
    accept: string,
    headers: Record<string, string | string[]>,
    write?: WriteRequest,
  ): Promise<string> {
    const options = await this.requestOptions(path, signal, accept, headers);
    if (write) {
      options.method = write.method;
      options.headers = {
        ...options.headers,
        "Content-Type": write.contentType,
        "Content-Length": String(Buffer.byteLength(write.body)),
      };
    }
    return new Promise<string>((resolve, reject) => {
      // Node's https Agent keeps the request that opened a keep-alive socket reachable for the
      // socket's life. Nothing that outlives the answer may hold the body: chunks live in a
      // local array, and every listener we added is removed once the answer is settled.
      let chunks: string[] = [];
      let response: IncomingMessage | undefined;
      const settle = (outcome: () => void): void => {
        chunks = [];
        req.removeListener("error", fail);
        req.on("error", ignoreLateError);
        if (response) {
          for (const event of ["data", "end", "close", "error"]) response.removeAllListeners(event);
          response.on("error", ignoreLateError);
        }
        outcome();
      };
      const fail = (e: Error): void => settle(() => reject(e));
      const req = (this.secure ? httpsRequest : httpRequest)(options, (res) => {
        response = res;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => chunks.push(chunk));
        res.on("error", fail);
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const body = chunks.join("");
          settle(() => {
            if (status >= 200 && status < 300) resolve(body);
            else reject(this.errorOf(res, status, body));
          });
        });
        res.on("close", () => {
          if (!res.complete) fail(connectionReset("response closed before its end"));
        });
      });
      req.on("error", fail);
      req.end(write?.body);
    });
  }

  /**
   * Opens a streaming GET. Resolves once the server answered 200 (the stream is then live);
   * rejects on any other answer or transport failure. `idleTimeoutMs` ends a stream that carried
   * no byte for that long (a half-open TCP connection never says it is dead).
   */
  async stream(
    path: string,
    signal: AbortSignal,
    idleTimeoutMs: number,
    callbacks: StreamCallbacks,
  ): Promise<OpenStream> {
    const options = await this.requestOptions(path, signal, "application/json");
    const { req, res } = await this.answered(options);
    return this.pump(req.destroy.bind(req), res, idleTimeoutMs, callbacks);
  }

  /**
   * Opens a streaming GET whose body the caller reads itself (a followed pod log: text, paced by
   * its reader, quiet for as long as the container is). Resolves once the server answered 200;
   * rejects with a typed ClusterError on any other answer. No idle timeout: a quiet log is not a
   * dead one (the agent's TCP keep-alive finds dead peers).
   */
  async openBody(
    path: string,
    signal: AbortSignal,
    accept: string,
    headers: Record<string, string | string[]> = {},
  ): Promise<OpenBody> {
    const options = await this.requestOptions(path, signal, accept, headers);
    const { req, res } = await this.answered(options);
    return { body: res, close: () => req.destroy() };
  }

  /**
   * Sends a GET and resolves once the server answered 200, with the request and its unread
   * body; any other answer rejects with the typed ClusterError its Status describes. Errors
   * after the answer are the body's to report ("error"/"close" on `res`).
   */
  private answered(options: RequestOptions): Promise<{ req: ClientRequest; res: IncomingMessage }> {
    return new Promise((resolve, reject) => {
      const req = (this.secure ? httpsRequest : httpRequest)(options, (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          readAll(res).then(
            (body) => reject(this.errorOf(res, status, body)),
            (error: unknown) => reject(toClusterError(this.cluster, error)),
          );
          return;
        }
        req.removeListener("error", reject);
        req.on("error", ignoreLateError);
        resolve({ req, res });
      });
      req.on("error", reject);
      req.end();
    });
  }

  private errorOf(res: IncomingMessage, status: number, body: string) {
    return errorFromResponse(
      this.cluster,
      status,
      parseStatus(body),
      parseRetryAfter(res.headers["retry-after"]),
    );
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private pump(
    destroy: (error?: Error) => void,
    res: IncomingMessage,
    idleTimeoutMs: number,
    callbacks: StreamCallbacks,
  ): OpenStream {
    let ended = false;
    let closedByUs = false;
    const end = (error: unknown): void => {
      if (ended) return;
      ended = true;
      clearTimeout(idle);
      callbacks.onEnd(closedByUs ? undefined : error);
    };
    const idle = setTimeout(
      () => destroy(new Error(`watch stream idle for ${idleTimeoutMs} ms`)),
      idleTimeoutMs,
    );
    idle.unref();
    res.setEncoding("utf8");
    let pending = "";
    res.on("data", (chunk: string) => {
      idle.refresh();
      let start = 0;
      let newline = chunk.indexOf("\n");
      if (newline === -1) {
        pending += chunk;
        return;
      }
      // The first line of a chunk may continue the previous chunk's tail.
      let line = pending + chunk.slice(0, newline);
      pending = "";
      for (;;) {
        if (line.length > 0) callbacks.onLine(line);
        if (ended) return;
        start = newline + 1;
        newline = chunk.indexOf("\n", start);
        if (newline === -1) break;
        line = chunk.slice(start, newline);
      }
      pending = chunk.slice(start);
    });
    res.on("end", () => end(undefined));
    res.on("error", end);
    res.on("close", () =>
      end(res.complete ? undefined : connectionReset("watch stream closed before its end")),
    );
    return {
      close: () => {
        closedByUs = true;
        destroy();
        end(undefined);
      },
    };
  }

  private async requestOptions(
    path: string,
    signal: AbortSignal,
    accept: string,
    headers: Record<string, string | string[]> = {},
  ): Promise<RequestOptions> {
    const auth: RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(auth);
    const url = new URL(this.base.pathname.replace(/\/$/, "") + path, this.base);
    // Made for a gateway request: the API server records that id as its audit event's auditID.
    const requestId = currentRequestId();
    if (requestId !== undefined) headers = { ...headers, "Audit-ID": requestId };
    return {
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      method: "GET",
      // The cluster's credential always wins over per-call headers.
      headers: { ...headers, ...auth.headers, Accept: accept },
      agent: this.agentFrom(auth),
      signal,
    };
  }

  /** One keep-alive agent per connection, built from the TLS material of the first request. */
  private agentFrom(auth: RequestOptions): HttpAgent {
    if (this.agent) return this.agent;
    const common = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: this.maxSockets };
    this.agent = this.secure
      ? new HttpsAgent({
          ...common,
          ...(auth.ca ? { ca: auth.ca } : {}),
          ...(auth.cert ? { cert: auth.cert } : {}),
          ...(auth.key ? { key: auth.key } : {}),
          ...(auth.servername ? { servername: auth.servername } : {}),
          ...(auth.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        })
      : new HttpAgent(common);
    return this.agent;
  }
}

function parseStatus(body: string): KubeStatus | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isKubeStatus(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    res.setEncoding("utf8");
    let body = "";
    res.on("data", (chunk: string) => (body += chunk));
    res.on("end", () => resolve(body));
    res.on("error", reject);
  });
}

/** A connection that died mid-answer: classified like a reset socket (the server went away). */
function connectionReset(message: string): Error {
  return Object.assign(new Error(message), { code: "ECONNRESET" });
}

/** Errors after an answer was settled (a socket reset while idle) have no one left to tell. */
function ignoreLateError(): void {}
