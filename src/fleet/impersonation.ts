/**
 * Kubernetes user impersonation for calls the gateway makes on a caller's behalf: the member
 * cluster then checks its own RBAC against the caller instead of the gateway's identity.
 * The gateway's own reads (cache lists and watches, discovery, health probes) never carry it.
 */
import { apiRequestTarget, describeApiRequest } from "./api-request.js";
import { ClusterError, ClusterForbiddenError } from "./errors.js";

/** Who a call acts as on the member cluster. */
export interface Impersonation {
  readonly user: string;
  /** One Impersonate-Group header each ("system:authenticated" is added by the API server). */
  readonly groups: readonly string[];
}

export type ImpersonationHeaders = Record<string, string | string[]>;

// What node:http lets through in a header value (it throws on anything else).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * The headers of one impersonated call. Groups go as repeated headers, never comma-joined: an API
 * server reads every Impersonate-Group line as one group, and a group name may contain a comma.
 */
export function impersonationHeaders(cluster: string, as: Impersonation): ImpersonationHeaders {
  for (const value of [as.user, ...as.groups]) {
    if (value === "" || !HEADER_VALUE.test(value)) {
      throw new ClusterError(
        "CLUSTER_ERROR",
        cluster,
        false,
        `cannot impersonate ${JSON.stringify(value)}: not a valid HTTP header value`,
      );
    }
  }
  const headers: ImpersonationHeaders = { "Impersonate-User": as.user };
  if (as.groups.length > 0) headers["Impersonate-Group"] = [...as.groups];
  return headers;
}

/**
 * A 403 answered to an impersonated call, restated from what the gateway asked: the cluster and
 * the denied verb and resource. The API server's own message is kept only as the cause (for
 * logs): an authorizer webhook may explain a denial with other tenants' names.
 */
export function impersonatedRefusal(
  cluster: string,
  pathAndQuery: string,
  as: Impersonation,
  error: ClusterError,
  /** The RBAC verb of a write ("patch"); a GET's is read from the path. */
  verb?: string,
): ClusterError {
  if (!(error instanceof ClusterForbiddenError) || error.httpStatus !== 403) return error;
  const details = {
    httpStatus: 403,
    cause: error,
    ...(error.reason !== undefined ? { reason: error.reason } : {}),
  };
  // The API server checks impersonation before the request itself; its refusal says so.
  if (/cannot impersonate/.test(error.detail)) {
    return new ClusterForbiddenError(
      cluster,
      `the gateway may not act as user "${as.user}" here (its identity lacks the impersonate verb on users or groups)`,
      details,
    );
  }
  const read = apiRequestTarget(pathAndQuery);
  const target = read && verb !== undefined ? { ...read, verb } : read;
  const denied = target ? describeApiRequest(target) : `${verb ?? "GET"} ${pathAndQuery.split("?", 1)[0]}`;
  return new ClusterForbiddenError(cluster, `forbidden: user "${as.user}" may not ${denied}`, details);
}
