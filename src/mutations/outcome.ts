/**
 * What a mutation answers per target: how it went (a status in the words of the API server's
 * answer), the object as the API server returned it, and why not. A mutation never fails whole
 * because one target or one cluster did; input mistakes are user errors, not outcomes.
 */
import { ClusterError, toClusterError } from "../fleet/errors.js";
import type { KubeObject } from "../kube/object.js";
import type { Silence } from "../alerts/silence.js";
import type { MutationTarget } from "./targets.js";

export type MutationStatus =
  | "APPLIED"
  | "UNCHANGED"
  | "DRY_RUN"
  | "FORBIDDEN"
  | "CONFLICT"
  | "INVALID"
  | "NOT_FOUND"
  | "CLUSTER_UNAVAILABLE"
  | "FAILED";

export interface MutationError {
  /** The status again, or the cluster error's code when one says more (CLUSTER_TIMEOUT). */
  code: string;
  message: string;
}

export interface MutationOutcome {
  target: MutationTarget;
  status: MutationStatus;
  /** The object after the change (or as it would be, for a dry run); null when there is none. */
  object: KubeObject | null;
  error: MutationError | null;
  /** True when answered from an idempotency key's record: nothing was sent this time. */
  replayed?: boolean;
  /** What the operation did to other objects on the way; plain data, so a replay keeps it. */
  details?: OutcomeDetails;
}

/** Per-object results beside a target's status, by what they are about. */
export interface OutcomeDetails {
  /** The pods a node drain found on the node, and what became of each. */
  pods?: DrainedPod[];
  /** The silence made or expired (an Alertmanager's, not a Kubernetes object). */
  silence?: Silence;
}

export type DrainedPodResult = "EVICTED" | "DELETED" | "SKIPPED" | "BLOCKED" | "FAILED";

export interface DrainedPod {
  namespace: string;
  name: string;
  result: DrainedPodResult;
  /** Why, for a person: the budget that blocked it, the filter that skipped it. */
  reason: string;
}

/** A mistake in the input: the field at fault (["input", "ids", "2"]), what is wrong, a code. */
export interface UserErrorRecord {
  field: string[];
  message: string;
  code: "BAD_USER_INPUT" | "LIMIT_EXCEEDED" | "CONFLICT";
}

export interface MutationResult {
  outcomes: MutationOutcome[];
  userErrors: UserErrorRecord[];
}

export function failed(target: MutationTarget, status: MutationStatus, message: string): MutationOutcome {
  return { target, status, object: null, error: { code: status, message } };
}

/** A cluster's refusal or failure, as the status it means. */
export function outcomeOfError(target: MutationTarget, raw: unknown): MutationOutcome {
  // A socket or TLS failure that reached here untyped is still the cluster being unreachable.
  const error = toClusterError(target.cluster, raw);
  if (!(raw instanceof ClusterError) && error.code === "CLUSTER_ERROR") {
    return failed(target, "FAILED", raw instanceof Error ? raw.message : String(raw));
  }
  const message = error.detail;
  if (error.code === "CLUSTER_UNAVAILABLE" || error.code === "CLUSTER_TIMEOUT") {
    return { target, status: "CLUSTER_UNAVAILABLE", object: null, error: { code: error.code, message } };
  }
  switch (error.httpStatus) {
    case 401:
    case 403:
      return failed(target, "FORBIDDEN", message);
    case 404:
      return failed(target, "NOT_FOUND", message);
    case 409:
      return failed(target, "CONFLICT", message);
    case 400:
    case 422:
      return failed(target, "INVALID", message);
    default:
      return failed(target, "FAILED", message);
  }
}
