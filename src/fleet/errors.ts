/**
 * Typed errors for everything that goes wrong talking to one member cluster. The GraphQL layer
 * copies `code`, `cluster` and `retryable` into `extensions`; the caches use `httpStatus` and
 * `reason` to tell an expired resourceVersion (410) from an outage.
 */
export type ClusterErrorCode =
  "CLUSTER_UNAVAILABLE" | "CLUSTER_TIMEOUT" | "CLUSTER_FORBIDDEN" | "CLUSTER_ERROR";

export interface ClusterErrorDetails {
  /** The HTTP status the API server answered with; undefined when no answer arrived. */
  httpStatus?: number;
  /** The `reason` of a Kubernetes Status body (Expired, Forbidden, ...). */
  reason?: string;
  /** The Status's details.causes: why, in the API server's own words (a disruption budget's). */
  causes?: readonly StatusCause[];
  /** A 429's Retry-After, in seconds: the server asks not to be called again before then. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class ClusterError extends Error {
  readonly httpStatus: number | undefined;
  readonly reason: string | undefined;
  readonly causes: readonly StatusCause[];
  readonly retryAfterSeconds: number | undefined;
  /** The message without its `cluster <name>: ` prefix, to quote inside another message. */
  readonly detail: string;

  constructor(
    readonly code: ClusterErrorCode,
    readonly cluster: string,
    readonly retryable: boolean,
    message: string,
    details: ClusterErrorDetails = {},
  ) {
    super(
      `cluster ${cluster}: ${message}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = new.target.name;
    this.detail = message;
    this.httpStatus = details.httpStatus;
    this.reason = details.reason;
    this.causes = details.causes ?? [];
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /**
   * What went wrong, to quote as a root cause (logs, "circuit breaker open after: ..."): the
   * detail, led by the HTTP status when the server answered, e.g. `HTTP 503: the server is ...`.
   */
  get summary(): string {
    const status = this.httpStatus;
    return status === undefined || this.detail.startsWith("HTTP ")
      ? this.detail
      : `HTTP ${status}: ${this.detail}`;
  }

  /** A 410 Gone: the resourceVersion or continue token is older than the server's history. */
  get expired(): boolean {
    return this.httpStatus === 410;
  }

  /** A 400 refusing a continue token as not one the server handed out (a forged cursor). */
  get invalidContinue(): boolean {
    return this.httpStatus === 400 && /continue key is not valid/i.test(this.detail);
  }

  /** A 429: the server is alive and asks the client to slow down (for Retry-After seconds, when given). */
  get throttled(): boolean {
    return this.httpStatus === 429 && this.code === "CLUSTER_UNAVAILABLE";
  }
}

/** Refused, reset, 5xx, 429, or the circuit breaker is open: try again later. */
export class ClusterUnavailableError extends ClusterError {
  constructor(cluster: string, message: string, details?: ClusterErrorDetails) {
    super("CLUSTER_UNAVAILABLE", cluster, true, message, details);
  }
}

/** No answer within the cluster's request deadline. */
export class ClusterTimeoutError extends ClusterError {
  constructor(
    cluster: string,
    readonly timeoutMs: number,
    details?: ClusterErrorDetails,
  ) {
    super("CLUSTER_TIMEOUT", cluster, true, `no answer within ${timeoutMs} ms`, details);
  }
}

/** 401 or 403: the gateway's (or the impersonated user's) credentials are not enough. */
export class ClusterForbiddenError extends ClusterError {
  constructor(cluster: string, message: string, details?: ClusterErrorDetails) {
    super("CLUSTER_FORBIDDEN", cluster, false, message, details);
  }
}

/** A Kubernetes `Status` object, as returned in error bodies and watch ERROR events. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: StatusCause[] };
}

/** One entry of a Status's details.causes (its Go field Type is "reason" in JSON). */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The eviction subresource's refusal: a PodDisruptionBudget allows no disruption now. */
export const DISRUPTION_BUDGET_CAUSE = "DisruptionBudget";

export function isKubeStatus(value: unknown): value is KubeStatus {
  return typeof value === "object" && value !== null && (value as KubeStatus).kind === "Status";
}

/**
 * A Retry-After header in seconds (kube-apiserver sends whole seconds; an HTTP date is accepted
 * too); undefined when absent or unreadable. Capped so a confused server cannot park a client.
 */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  // An HTTP date names its weekday and month; Date.parse alone would take "-3" for a year.
  const seconds = /^\d+$/.test(value)
    ? Number(value)
    : /[A-Za-z]/.test(value)
      ? Math.ceil((Date.parse(value) - now) / 1000)
      : NaN;
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, seconds));
}

const MAX_RETRY_AFTER_SECONDS = 60;

/** Maps an HTTP answer that is not 2xx to the typed error callers handle. */
export function errorFromResponse(
  cluster: string,
  httpStatus: number,
  status: KubeStatus | undefined,
  retryAfterSeconds?: number,
): ClusterError {
  const throttled = httpStatus === 429 && retryAfterSeconds !== undefined;
  const message =
    (status?.message ?? `HTTP ${httpStatus}`) + (throttled ? ` (retry after ${retryAfterSeconds} s)` : "");
  const details: ClusterErrorDetails = { httpStatus, ...(throttled ? { retryAfterSeconds } : {}) };
  if (status?.reason !== undefined) details.reason = status.reason;
  const causes = status?.details?.causes;
  if (Array.isArray(causes) && causes.length > 0) details.causes = causes;
  if (httpStatus === 401 || httpStatus === 403) return new ClusterForbiddenError(cluster, message, details);
  // An eviction a budget forbids is a 429 too, but a policy answer from a healthy server: counted
  // as unavailability it would open the breaker on a drain that waits for a budget.
  if (httpStatus === 429 && causes?.some((c) => c.reason === DISRUPTION_BUDGET_CAUSE))
    return new ClusterError("CLUSTER_ERROR", cluster, false, message, details);
  if (httpStatus === 429 || httpStatus >= 500) return new ClusterUnavailableError(cluster, message, details);
  return new ClusterError("CLUSTER_ERROR", cluster, false, message, details);
}

/** Socket-level failures that mean "the server is not there right now". */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The socket or TLS error code (ECONNREFUSED, CERT_HAS_EXPIRED, ...) along the cause chain. */
export function errorCode(err: unknown): string | undefined {
  // fetch wraps the socket error in `cause`; node:http puts `code` on the error itself.
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classifies anything thrown by a transport into a ClusterError (ClusterErrors pass through). */
/** Node's and OpenSSL's certificate and handshake error codes. */
const TLS_CODE = /CERT|TLS|SSL|SIGNATURE|ISSUER/;

/** Whether a socket error's code says the TLS handshake or the server's certificate failed. */
export function isTlsErrorCode(code: string | undefined): boolean {
  return code !== undefined && TLS_CODE.test(code);
}

export function toClusterError(cluster: string, err: unknown): ClusterError {
  if (err instanceof ClusterError) return err;
  const statusCode = (err as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof statusCode === "number") return errorFromResponse(cluster, statusCode, undefined);
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  // A server that cannot be reached securely cannot be reached.
  if (code !== undefined && (UNAVAILABLE_CODES.has(code) || isTlsErrorCode(code))) {
    return new ClusterUnavailableError(cluster, `${code}: ${message}`, { cause: err });
  }
  if (
    err instanceof Error &&
    (err.name === "TypeError" || err.name === "SocketError") &&
    /fetch failed|socket/i.test(message)
  ) {
    return new ClusterUnavailableError(cluster, message, { cause: err });
  }
  return new ClusterError("CLUSTER_ERROR", cluster, false, message, { cause: err });
}
