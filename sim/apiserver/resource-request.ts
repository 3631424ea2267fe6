/** Everything a resource handler needs about one authorised request. */
import type { IncomingMessage } from "node:http";
import type { UserInfo } from "../auth/user.js";
import { StatusError, statusErrors } from "../errors.js";
import type { ResourceKind } from "../kinds.js";
import type { ApiServerContext } from "./context.js";
import type { OpenStreams } from "./open-streams.js";
import type { Reply } from "./reply.js";
import type { RequestInfo } from "./request-info.js";

export interface ResourceRequest {
  ctx: ApiServerContext;
  req: IncomingMessage;
  reply: Reply;
  query: URLSearchParams;
  info: RequestInfo;
  kind: ResourceKind;
  user: UserInfo;
  /** The request's namespace for namespaced kinds (undefined = all namespaces); always undefined for cluster-scoped kinds. */
  namespace: string | undefined;
  /** The object name from the path ("" for collections). */
  name: string;
  streams: OpenStreams;
}

/** `?dryRun=All`: validate and answer, change nothing. Any other value is rejected like the real server does. */
export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll("dryRun");
  for (const value of values) {
    if (value !== "All") {
      throw new StatusError(400, "BadRequest", `Invalid dryRun value "${value}": supported values: "All"`);
    }
  }
  return values.length > 0;
}

export function methodNotAllowed(): StatusError {
  return statusErrors.methodNotAllowed("the server does not allow this method on the requested resource");
}
