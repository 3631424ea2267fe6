/**
 * What the REST layer needs from the rest of the simulated cluster. sim/cluster.ts builds one
 * per cluster; tests can build their own.
 */
import type { Readable } from "node:stream";
import type { ClusterStore } from "../store/cluster-store.js";
import type { FaultState } from "../faults/fault-state.js";
import type { AuthorizationDecision, RequestAttributes, UserInfo } from "../auth/user.js";
import type { StatusError } from "../errors.js";
import type { RulesReviewer } from "../auth/rules-review.js";
import type { AuditLog } from "./audit.js";

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container: string;
  tailLines?: number;
  sinceSeconds?: number;
  /**
   * Only lines written at or after this instant (epoch ms, whole seconds: the API server hands
   * sinceTime to the kubelet at second precision). Never together with sinceSeconds.
   */
  sinceTime?: number;
  timestamps: boolean;
  follow: boolean;
  previous: boolean;
}

export interface PodLogSource {
  /**
   * A stream of the container's log lines ("\n"-terminated). With follow it stays open and
   * receives new lines until the pod is deleted or the caller destroys the stream.
   */
  open(request: PodLogRequest): Readable;
}

export interface ApiServerContext {
  clusterName: string;
  store: ClusterStore;
  faults: FaultState;
  logs: PodLogSource;
  /** Bearer token + impersonation headers -> the user the request acts as, or a 401/403/400 Status. */
  authenticate(headers: Record<string, string | string[] | undefined>): UserInfo | StatusError;
  authorize(attributes: RequestAttributes): AuthorizationDecision;
  /** Reported by /version. */
  version: { major: string; minor: string; gitVersion: string };
  /** Interval between BOOKMARK events on watches that allow them. */
  bookmarkIntervalMs: number;
  /** What a user may do in a namespace (SelfSubjectRulesReview); without it such reviews are 404. */
  reviewRules?: RulesReviewer;
  /** Where audit events go (recorded only while the log is enabled). */
  auditLog?: AuditLog;
}
