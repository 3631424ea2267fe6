/**
 * Typed errors for everything that goes wrong asking a log store (Elasticsearch or OpenSearch).
 * The log resolvers turn them into a degraded answer (the cluster's entries missing, `code` and
 * `retryable` in its outcome), never into a failed request; messages are written for the person
 * reading that outcome.
 */
import { errors } from "@elastic/elasticsearch";
import { deadlineMissedMessage, type SlotWait } from "../request-guard.js";

export type LogStoreErrorCode = "LOG_STORE_UNAVAILABLE" | "LOG_STORE_TIMEOUT" | "LOG_STORE_BAD_QUERY";

export interface LogStoreErrorDetails {
  retryable: boolean;
  /** The HTTP status the store answered with; undefined when no answer arrived. */
  status?: number;
  /** Elasticsearch's error type (`too_many_nested_clauses`, `index_not_found_exception`, ...). */
  type?: string;
  cause?: unknown;
}

export class LogStoreError extends Error {
  readonly retryable: boolean;
  readonly status?: number;
  readonly type?: string;

  constructor(
    readonly code: LogStoreErrorCode,
    /** The store's base URL, credentials removed: safe to show and log. */
    readonly backend: string,
    message: string,
    details: LogStoreErrorDetails,
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "LogStoreError";
    this.retryable = details.retryable;
    if (details.status !== undefined) this.status = details.status;
    if (details.type !== undefined) this.type = details.type;
  }
}

export function deadlineMissed(backend: string, timeoutMs: number, wait: SlotWait): LogStoreError {
  return new LogStoreError(
    "LOG_STORE_TIMEOUT",
    backend,
    deadlineMissedMessage(`the log store at ${backend}`, timeoutMs, wait),
    { retryable: true },
  );
}

/** The root cause Elasticsearch reports in its error body: `{error: {root_cause: [{type, reason}]}}`. */
function rootCause(body: unknown): { type?: string; reason?: string } {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === "string") return { reason: error };
  if (typeof error !== "object" || error === null) return {};
  const e = error as { type?: unknown; reason?: unknown; root_cause?: unknown };
  const first = Array.isArray(e.root_cause) ? (e.root_cause[0] as typeof e | undefined) : undefined;
  const pick = (value: unknown) => (typeof value === "string" ? value : undefined);
  const type = pick(first?.type) ?? pick(e.type);
  const reason = pick(first?.reason) ?? pick(e.reason);
  return { ...(type !== undefined ? { type } : {}), ...(reason !== undefined ? { reason } : {}) };
}

/** Maps what the official client threw to the typed error callers handle. */
export function classify(backend: string, error: unknown, timeoutMs: number): LogStoreError {
  if (error instanceof LogStoreError) return error;
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const { type, reason } = rootCause(error.body);
    const said = reason === undefined ? "" : `: ${type ? `${type}: ` : ""}${reason}`;
    const details = { status, ...(type !== undefined ? { type } : {}), cause: error };
    if (status === 401 || status === 403)
      return new LogStoreError(
        "LOG_STORE_UNAVAILABLE",
        backend,
        `the log store at ${backend} refused the gateway's credentials (HTTP ${status}${said}); check the auth configured for it`,
        { ...details, retryable: false },
      );
    if (status === 406 && /compatible-with/.test(reason ?? ""))
      return new LogStoreError(
        "LOG_STORE_UNAVAILABLE",
        backend,
        `the server at ${backend} refused Elasticsearch 8's media types (HTTP 406${said}): it is OpenSearch or an older Elasticsearch; for OpenSearch set flavor: opensearch`,
        { ...details, retryable: false },
      );
    if (status === 400)
      return new LogStoreError(
        "LOG_STORE_BAD_QUERY",
        backend,
        `the log store at ${backend} refused the search (HTTP 400${said})`,
        { ...details, retryable: false },
      );
    if (status === 429 || status >= 500)
      return new LogStoreError(
        "LOG_STORE_UNAVAILABLE",
        backend,
        `the log store at ${backend} failed (HTTP ${status}${said})`,
        { ...details, retryable: true },
      );
    return new LogStoreError(
      "LOG_STORE_UNAVAILABLE",
      backend,
      `the log store at ${backend} answered HTTP ${status}${said}; is the url right, path prefix included?`,
      { ...details, retryable: false },
    );
  }
  if (error instanceof errors.ProductNotSupportedError)
    return new LogStoreError(
      "LOG_STORE_UNAVAILABLE",
      backend,
      `the server at ${backend} is not Elasticsearch (no X-Elastic-Product header); for OpenSearch set flavor: opensearch`,
      { retryable: false, cause: error },
    );
  if (error instanceof errors.TimeoutError)
    return new LogStoreError(
      "LOG_STORE_TIMEOUT",
      backend,
      `the log store at ${backend} did not answer within ${timeoutMs} ms`,
      { retryable: true, cause: error },
    );
  const text = error instanceof Error ? error.message : String(error);
  return new LogStoreError(
    "LOG_STORE_UNAVAILABLE",
    backend,
    `the log store at ${backend} is unreachable (${text})`,
    {
      retryable: true,
      cause: error,
    },
  );
}
