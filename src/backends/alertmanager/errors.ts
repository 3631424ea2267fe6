/**
 * Typed errors for everything that goes wrong asking an Alertmanager. The alert reads turn them
 * into a degraded answer (the cluster's alerts missing, its outcome with source ALERTMANAGER),
 * never into a failed request.
 */
import { deadlineMissedMessage, type SlotWait } from "../request-guard.js";

export type AlertmanagerErrorCode =
  "ALERTMANAGER_UNAVAILABLE" | "ALERTMANAGER_TIMEOUT" | "ALERTMANAGER_BAD_QUERY";

export class AlertmanagerError extends Error {
  constructor(
    readonly code: AlertmanagerErrorCode,
    /** The base URL, credentials removed: safe to show and log. */
    readonly backend: string,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "AlertmanagerError";
  }
}

const TLS_VERIFY_CODES = /^(ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|CERT_)/;

/** What node:http(s) threw before an answer arrived. */
export function unreachable(backend: string, error: unknown): AlertmanagerError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && TLS_VERIFY_CODES.test(code))
    return new AlertmanagerError(
      "ALERTMANAGER_UNAVAILABLE",
      backend,
      `Alertmanager at ${backend} failed TLS verification (${code}: ${text}); check the CA configured for it (tls.caFile)`,
      false,
      undefined,
      error,
    );
  const what = typeof code === "string" ? `${code}: ${text}` : text;
  return new AlertmanagerError(
    "ALERTMANAGER_UNAVAILABLE",
    backend,
    `Alertmanager at ${backend} is unreachable (${what})`,
    true,
    undefined,
    error,
  );
}

export function deadlineMissed(backend: string, timeoutMs: number, wait: SlotWait): AlertmanagerError {
  return new AlertmanagerError(
    "ALERTMANAGER_TIMEOUT",
    backend,
    deadlineMissedMessage(`Alertmanager at ${backend}`, timeoutMs, wait),
    true,
  );
}

/** An answer that is not a success. Alertmanager's API v2 writes errors as a JSON string. */
/** `request`: the method and path ("GET /api/v2/alerts"). */
export function refusal(backend: string, request: string, status: number, body: string): AlertmanagerError {
  let said = body.trim().slice(0, 300);
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === "string") said = parsed;
    else if (typeof (parsed as { message?: unknown })?.message === "string")
      said = (parsed as { message: string }).message;
  } catch {
    // a proxy's text page: shown as it is
  }
  const quoted = said === "" ? "" : `: ${said}`;
  if (status === 400 || status === 422)
    return new AlertmanagerError(
      "ALERTMANAGER_BAD_QUERY",
      backend,
      `Alertmanager at ${backend} refused the request${quoted}`,
      false,
      status,
    );
  if (status === 401 || status === 403)
    return new AlertmanagerError(
      "ALERTMANAGER_UNAVAILABLE",
      backend,
      `Alertmanager at ${backend} refused the gateway's credentials (HTTP ${status}${quoted}); check the token or client certificate configured for it`,
      false,
      status,
    );
  if (status === 429 || status >= 500)
    return new AlertmanagerError(
      "ALERTMANAGER_UNAVAILABLE",
      backend,
      `Alertmanager at ${backend} failed (HTTP ${status}${quoted})`,
      true,
      status,
    );
  return new AlertmanagerError(
    "ALERTMANAGER_UNAVAILABLE",
    backend,
    `Alertmanager at ${backend} answered HTTP ${status} to ${request}${quoted}; is the url right, path prefix included?`,
    false,
    status,
  );
}

/** A 2xx answer that is not Alertmanager's API v2 (another service at that URL). */
export function notAlertmanager(
  backend: string,
  request: string,
  status: number,
  why: string,
): AlertmanagerError {
  return new AlertmanagerError(
    "ALERTMANAGER_UNAVAILABLE",
    backend,
    `Alertmanager at ${backend} answered ${request} with something other than Alertmanager's API v2 (${why}); is the url right?`,
    false,
    status,
  );
}
