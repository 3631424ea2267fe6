/**
 * One Elasticsearch (8) or OpenSearch as the gateway asks it, through the official client. Every
 * request passes, in order:
 *   deadline (timeoutMs, waiting for a slot included) -> concurrency limit -> circuit breaker -> send.
 * The client's own retries are off: a failed search degrades one cluster's answer at once, and the
 * audit shipper retries on its own schedule with idempotent ids.
 */
import { Client, Transport, type estypes } from "@elastic/elasticsearch";
import type { BackendCallObserver } from "../../telemetry/backend-call.js";
import type { TransportOptions } from "@elastic/transport";
import type { LogStoreSettings } from "../../config/index.js";
import type { BreakerState, CircuitBreakerOptions } from "../../fleet/circuit-breaker.js";
import { RotatingTokenFile } from "../../fleet/token-file.js";
import { RequestGuard } from "../request-guard.js";
import { LogStoreError, classify, deadlineMissed } from "./errors.js";

export type { BreakerState } from "../../fleet/circuit-breaker.js";
export type LogStoreEndpoint = Pick<
  LogStoreSettings,
  "url" | "flavor" | "tls" | "auth" | "apiKey" | "timeoutMs" | "maxConcurrentRequests"
>;

export interface LogStoreClientOptions {
  breaker?: CircuitBreakerOptions;
  /** The clock of the breaker's cool-down and the token file's refresh (epoch ms). */
  now?: () => number;
  /** Told of every request (the gateway's telemetry). */
  observer?: BackendCallObserver;
}

/** One document to write with `create`: an existing id is kept, which makes a retry harmless. */
export interface DocumentToCreate {
  index: string;
  id: string;
  document: object;
}

export type CreateOutcome =
  | { id: string; result: "created" | "exists" }
  | { id: string; result: "failed"; reason: string; retryable: boolean };

/**
 * OpenSearch speaks Elasticsearch 7's REST API: it sends no X-Elastic-Product header and knows
 * no `compatible-with` media types, so its transport skips the product check and sends plain JSON.
 */
class OpenSearchTransport extends Transport {
  constructor(options: TransportOptions) {
    const { vendoredHeaders: _vendored, ...rest } = options;
    super({ ...rest, productCheck: undefined });
  }
}

function credentialsRemoved(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

export class LogStoreClient {
  /** The base URL without credentials, as errors name it. */
  readonly backend: string;
  private readonly client: Client;
  private readonly guard: RequestGuard;
  private readonly tokenFile: RotatingTokenFile | undefined;
  private readonly now: () => number;
  private closed = false;

  constructor(
    private readonly endpoint: LogStoreEndpoint,
    options: LogStoreClientOptions = {},
  ) {
    this.backend = credentialsRemoved(endpoint.url);
    this.now = options.now ?? Date.now;
    this.guard = new RequestGuard({
      timeoutMs: endpoint.timeoutMs,
      slots: endpoint.maxConcurrentRequests,
      now: this.now,
      ...(options.breaker ? { breaker: options.breaker } : {}),
      deadlineMissed: (wait) => deadlineMissed(this.backend, endpoint.timeoutMs, wait),
      circuitOpen: () => this.circuitOpen(this.guard.breaker.retryAt ?? this.now()),
      // A refused search: the store answered, and sensibly.
      answered: (error) => error instanceof LogStoreError && error.code === "LOG_STORE_BAD_QUERY",
      ...(options.observer ? { observer: options.observer } : {}),
    });
    this.tokenFile =
      endpoint.auth.tokenFile === undefined
        ? undefined
        : new RotatingTokenFile(endpoint.auth.tokenFile, this.now);
    const { tls } = endpoint;
    this.client = new Client({
      node: endpoint.url,
      maxRetries: 0,
      requestTimeout: endpoint.timeoutMs,
      compression: false,
      ...(endpoint.flavor === "opensearch" ? { Transport: OpenSearchTransport } : {}),
      ...(endpoint.apiKey !== undefined ? { auth: { apiKey: endpoint.apiKey } } : {}),
      ...(endpoint.auth.token !== undefined ? { auth: { bearer: endpoint.auth.token } } : {}),
      tls: {
        ...(tls.caData !== undefined ? { ca: tls.caData } : {}),
        ...(tls.certData !== undefined ? { cert: tls.certData } : {}),
        ...(tls.keyData !== undefined ? { key: tls.keyData } : {}),
        rejectUnauthorized: !tls.insecureSkipVerify,
      },
    });
  }

  /** Requests sent to the store so far (those refused before sending are not counted). */
  get requests(): number {
    return this.guard.requests;
  }

  get breakerState(): BreakerState {
    return this.guard.breaker.state;
  }

  search<T = unknown>(
    request: estypes.SearchRequest,
    signal?: AbortSignal,
  ): Promise<estypes.SearchResponse<T>> {
    return this.call(signal, "search", (options) => this.client.search<T>(request, options));
  }

  async count(request: estypes.CountRequest, signal?: AbortSignal): Promise<number> {
    const answer = await this.call(signal, "count", (options) => this.client.count(request, options));
    return answer.count;
  }

  /**
   * Writes documents with the bulk API's `create`: a document whose id exists already is left as
   * it is (409 per item, reported as "exists"), so a batch sent twice is stored once.
   */
  async createMany(documents: DocumentToCreate[], signal?: AbortSignal): Promise<CreateOutcome[]> {
    if (documents.length === 0) return [];
    const operations = documents.flatMap((d) => [{ create: { _index: d.index, _id: d.id } }, d.document]);
    const answer = await this.call(signal, "bulk", (options) => this.client.bulk({ operations }, options));
    return answer.items.map((item, i): CreateOutcome => {
      const id = documents[i]!.id;
      const result = item.create;
      if (!result) return { id, result: "failed", reason: "no answer for this document", retryable: true };
      if (result.status === 201 || result.status === 200) return { id, result: "created" };
      if (result.status === 409) return { id, result: "exists" };
      const reason = result.error
        ? `${result.error.type}: ${result.error.reason ?? ""}`
        : `HTTP ${result.status}`;
      return { id, result: "failed", reason, retryable: result.status === 429 || result.status >= 500 };
    });
  }

  /** Closes the client's sockets; later requests fail with LOG_STORE_UNAVAILABLE. */
  close(): Promise<void> {
    this.closed = true;
    return this.client.close();
  }

  /** deadline -> limit -> breaker -> send (request-guard.ts). */
  private call<T>(
    callerSignal: AbortSignal | undefined,
    route: "search" | "count" | "bulk",
    send: (options: {
      signal: AbortSignal;
      requestTimeout: number;
      headers?: Record<string, string>;
    }) => Promise<T>,
  ): Promise<T> {
    if (this.closed)
      return Promise.reject(
        new LogStoreError(
          "LOG_STORE_UNAVAILABLE",
          this.backend,
          `the client of ${this.backend} was closed (configuration reloaded)`,
          {
            retryable: true,
          },
        ),
      );
    const tokenFile = this.tokenFile;
    return this.guard.run(callerSignal, {
      call: { backend: "log-store", method: "POST", route },
      prepare: () => (tokenFile ? tokenFile.read() : Promise.resolve(undefined)),
      send: async (token, { signal, remainingMs }) => {
        try {
          return await send({
            signal,
            requestTimeout: remainingMs,
            ...(token !== undefined ? { headers: { authorization: `Bearer ${token}` } } : {}),
          });
        } catch (error) {
          throw classify(this.backend, error, this.endpoint.timeoutMs);
        }
      },
    });
  }

  private circuitOpen(retryAt: number): LogStoreError {
    const seconds = Math.max(1, Math.ceil((retryAt - this.now()) / 1000));
    return new LogStoreError(
      "LOG_STORE_UNAVAILABLE",
      this.backend,
      `the log store at ${this.backend} failed repeatedly; the gateway tries it again in ${seconds} s`,
      { retryable: true },
    );
  }
}
