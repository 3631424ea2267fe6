/**
 * Typed errors for everything that goes wrong asking a Prometheus. The metrics resolvers turn them
 * into a degraded answer (the cluster's metrics missing, `code` and `retryable` in the outcome),
 * never into a failed request; messages are written for the person reading that outcome.
 */
import { deadlineMissedMessage, type SlotWait } from "../request-guard.js";

export type PrometheusErrorCode = "PROMETHEUS_UNAVAILABLE" | "PROMETHEUS_TIMEOUT" | "PROMETHEUS_BAD_QUERY";

export interface PrometheusErrorDetails {
  retryable: boolean;
  /** The HTTP status Prometheus answered with; undefined when no answer arrived. */
  status?: number;
  cause?: unknown;
}

export class PrometheusError extends Error {
  readonly retryable: boolean;
  readonly status?: number;

  constructor(
    readonly code: PrometheusErrorCode,
    /** The Prometheus's base URL, credentials removed: safe to show and log. */
    readonly backend: string,
    message: string,
    details: PrometheusErrorDetails,
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "PrometheusError";
    this.retryable = details.retryable;
    if (details.status !== undefined) this.status = details.status;
  }
}

/** Socket-level failures that mean "nothing answers there right now". */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
]);

/** OpenSSL's verification failures: a configuration mistake, not an outage. */
const TLS_VERIFY_CODES = /^(ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|CERT_)/;

/** Classifies what node:http(s) threw before an answer arrived. */
export function unreachable(backend: string, error: unknown): PrometheusError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && TLS_VERIFY_CODES.test(code))
    return new PrometheusError(
      "PROMETHEUS_UNAVAILABLE",
      backend,
      `Prometheus at ${backend} failed TLS verification (${code}: ${text}); check the CA configured for it (tls.caFile)`,
      { retryable: false, cause: error },
    );
  const what = typeof code === "string" && UNREACHABLE_CODES.has(code) ? `${code}: ${text}` : text;
  return new PrometheusError(
    "PROMETHEUS_UNAVAILABLE",
    backend,
    `Prometheus at ${backend} is unreachable (${what})`,
    {
      retryable: true,
      cause: error,
    },
  );
}

export function deadlineMissed(backend: string, timeoutMs: number, wait: SlotWait): PrometheusError {
  return new PrometheusError(
    "PROMETHEUS_TIMEOUT",
    backend,
    deadlineMissedMessage(`Prometheus at ${backend}`, timeoutMs, wait),
    { retryable: true },
  );
}

/** Prometheus's own error envelope: `{"status":"error","errorType":...,"error":...}`. */
export interface ErrorEnvelope {
  errorType?: string;
  error?: string;
}

/** The error envelope of a parsed body; undefined when the body is none (a proxy's text page). */
export function errorEnvelopeOf(parsed: unknown): ErrorEnvelope | undefined {
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { status, errorType, error } = parsed as Record<string, unknown>;
  if (status !== "error") return undefined;
  return {
    ...(typeof errorType === "string" ? { errorType } : {}),
    ...(typeof error === "string" ? { error } : {}),
  };
}

/** Maps an answer that is not a success to the typed error callers handle. */
export function refusal(
  backend: string,
  path: string,
  status: number,
  envelope: ErrorEnvelope | undefined,
  timeoutMs: number,
): PrometheusError {
  const said = envelope?.error ?? "";
  const quoted = said === "" ? "" : `: ${said}`;
  const unavailable = (message: string, retryable: boolean) =>
    new PrometheusError("PROMETHEUS_UNAVAILABLE", backend, message, { retryable, status });
  if (envelope?.errorType === "bad_data" || envelope?.errorType === "execution")
    return new PrometheusError(
      "PROMETHEUS_BAD_QUERY",
      backend,
      `Prometheus at ${backend} refused the query${quoted}`,
      {
        retryable: false,
        status,
      },
    );
  if (envelope?.errorType === "timeout")
    return new PrometheusError(
      "PROMETHEUS_TIMEOUT",
      backend,
      `Prometheus at ${backend} stopped evaluating the query at its ${timeoutMs} ms deadline${quoted}`,
      { retryable: true, status },
    );
  if (status === 401 || status === 403)
    return unavailable(
      `Prometheus at ${backend} refused the gateway's credentials (HTTP ${status}${quoted}); check the token or client certificate configured for it`,
      false,
    );
  if (status === 503 && envelope === undefined)
    return unavailable(
      `Prometheus at ${backend} is not ready (HTTP 503): starting up or replaying its WAL`,
      true,
    );
  if (status === 429 || status >= 500)
    return unavailable(`Prometheus at ${backend} failed (HTTP ${status}${quoted})`, true);
  // 404, 405, ...: something answers, but not Prometheus's API at this URL.
  return unavailable(
    `Prometheus at ${backend} answered HTTP ${status} to POST ${path}${quoted}; is the url right, path prefix included?`,
    false,
  );
}

/** A 2xx answer that is not the query API's JSON (a proxy's login page, another service). */
export function notPrometheus(backend: string, path: string, status: number, why: string): PrometheusError {
  return new PrometheusError(
    "PROMETHEUS_UNAVAILABLE",
    backend,
    `Prometheus at ${backend} answered POST ${path} with something other than Prometheus's query API (${why}); is the url right?`,
    { retryable: false, status },
  );
}
