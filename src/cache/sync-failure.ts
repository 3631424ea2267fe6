/**
 * Why a list failed, in the words /readyz and the sync log use, and whether trying again can
 * help. Refusals (forbidden, a kind the server does not serve) and TLS failures will not change
 * by retrying soon: one is enough to call the initial sync failed. An unreachable server, a 5xx
 * or a page that timed out may be passing: the sync is failed after `listAttempts` of them.
 * Either way the reflector keeps retrying in the background.
 */
import { errorCode, isTlsErrorCode, type ClusterError } from "../fleet/errors.js";

export type SyncFailureReason =
  "forbidden" | "not-served" | "tls" | "throttled" | "unreachable" | "timeout" | "error";

export interface SyncFailure {
  reason: SyncFailureReason;
  /** The error's summary, to quote. */
  message: string;
  /** Failed list attempts in a row. */
  attempts: number;
  /** When the first of them failed (epoch ms). */
  since: number;
}

/**
 * How long a server may answer 429 to every list before its initial sync is called failed: long
 * enough for a server shedding load at start-up, short enough that a cluster whose API Priority
 * and Fairness starves the gateway does not keep every replica out of rotation for good.
 */
export const THROTTLED_SYNC_FAILS_AFTER_MS = 5 * 60_000;

export function syncFailureReason(error: ClusterError): SyncFailureReason {
  if (error.code === "CLUSTER_FORBIDDEN") return "forbidden";
  if (error.throttled) return "throttled";
  if (error.httpStatus === 404) return "not-served";
  const code = errorCode(error.cause);
  if (isTlsErrorCode(code)) return "tls";
  if (error.code === "CLUSTER_TIMEOUT") return "timeout";
  if (error.code === "CLUSTER_UNAVAILABLE") return "unreachable";
  return "error";
}

/**
 * Whether `failure` settles the initial sync now. A server answering 429 is alive and asking to be
 * called later (its Retry-After is waited out): it stays syncing for THROTTLED_SYNC_FAILS_AFTER_MS.
 * Refusals and TLS failures settle it at once, the rest after `attempts` failures in a row.
 */
export function settlesSync(failure: SyncFailure, attempts: number, now: number): boolean {
  if (failure.reason === "throttled") return now - failure.since >= THROTTLED_SYNC_FAILS_AFTER_MS;
  return isLasting(failure.reason) || failure.attempts >= attempts;
}

/** Whether one failure of this kind settles the initial sync (retrying soon will not help). */
export function isLasting(reason: SyncFailureReason): boolean {
  return reason === "forbidden" || reason === "not-served" || reason === "tls";
}
