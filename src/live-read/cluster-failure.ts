/**
 * A cluster that fails a live read becomes a per-cluster outcome (a GraphQL error naming it)
 * while the other clusters keep answering; so does a call the request's budget refused
 * (src/limits/request-budget.ts). Anything else is a bug and is rethrown. A continue token a
 * cluster refuses is the caller's cursor at fault, not the cluster.
 */
import { QueryInputError } from "../cache/query/index.js";
import { ClusterError } from "../fleet/errors.js";
import { UpstreamRefusedError } from "../limits/request-budget.js";
import type { ClusterErrorCode, ClusterOutcomes } from "../query-service/index.js";

export function reportClusterFailure(
  outcomes: ClusterOutcomes,
  cluster: string,
  what: string,
  error: unknown,
): void {
  // The request's budget refused the call: the cluster's part is missing, for a reason of the request's.
  if (error instanceof UpstreamRefusedError) {
    outcomes.reportRefusal(cluster, what, error);
    return;
  }
  if (!(error instanceof ClusterError)) throw error;
  // CLUSTER_ERROR (an unexpected answer, e.g. HTTP 400) has no outcome code of its own: the
  // cluster's part of the answer is missing all the same.
  const code: ClusterErrorCode = error.code === "CLUSTER_ERROR" ? "CLUSTER_UNAVAILABLE" : error.code;
  outcomes.reportClusterError(
    cluster,
    code,
    `${what} from cluster "${cluster}" failed: ${stripPrefix(error.message, cluster)}`,
    error.retryable,
    undefined,
    error.retryAfterSeconds,
  );
}

/** ClusterError messages start with "cluster <name>: "; the outcome names the cluster already. */
function stripPrefix(message: string, cluster: string): string {
  const prefix = `cluster ${cluster}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** A cluster refused a continue token of the cursor in "after": not one this API handed out. */
export function invalidTokenError(cluster: string): QueryInputError {
  return new QueryInputError(
    "after",
    `invalid cursor in "after": cluster "${cluster}" refused its continue token; restart paging without it`,
  );
}
