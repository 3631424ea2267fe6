/**
 * The simulated kube-apiserver's REST layer: one request handler per cluster. Every request goes
 * through the same filters as on a real server, in the same order — injected faults, then
 * authentication, then authorisation of what the path and verb name — before it is routed.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { StatusError, statusErrors } from "../errors.js";
import { forbiddenError } from "../auth/forbidden.js";
import type { UserInfo } from "../auth/user.js";
import { AuditRecord } from "./audit.js";
import { attributesOf } from "./authorization.js";
import type { ApiServerContext } from "./context.js";
import { answerNonResource } from "./discovery.js";
import { injectedFailure } from "./faults.js";
import { OpenStreams, type StreamKind } from "./open-streams.js";
import { Reply } from "./reply.js";
import { parseRequestInfo } from "./request-info.js";
import { serveResource } from "./resource-routes.js";

export interface ApiServer {
  /** A node:http / node:https request handler. */
  handle(this: void, req: IncomingMessage, res: ServerResponse): void;
  /** Abruptly ends every open watch stream (fault injection); returns how many were open. */
  dropWatches(): number;
  /** Ends every open watch and log-follow stream (shutdown). */
  closeAll(): void;
  /** Open streams of one kind: watches, or pod logs being served. */
  openStreams(kind: StreamKind): number;
  /**
   * Resource requests received so far by verb (list, get, watch, ...), as apiserver_request_total
   * counts them: what a client costs the server per answer (health probes and discovery aside).
   */
  requestsByVerb(): Record<string, number>;
}

export type { ApiServerContext } from "./context.js";

export function createApiServer(ctx: ApiServerContext): ApiServer {
  const streams = new OpenStreams();
  const requests = new Map<string, number>();
  return {
    handle: (req, res) => void serve(ctx, streams, requests, req, res),
    dropWatches: () => streams.drop("watch"),
    closeAll: () => streams.closeAll(),
    openStreams: (kind) => streams.count(kind),
    requestsByVerb: () => Object.fromEntries(requests),
  };
}

async function serve(
  ctx: ApiServerContext,
  streams: OpenStreams,
  requests: Map<string, number>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const reply = new Reply(res, ctx.faults.settings, req.headers["audit-id"]);
  try {
    const failure = await injectedFailure(ctx.faults);
    if (failure) return await reply.status(failure);

    const audit = ctx.auditLog?.enabled
      ? new AuditRecord(ctx.auditLog, req, res, () => reply.failure)
      : undefined;
    const url = new URL(req.url ?? "/", "http://apiserver.local");
    const info = parseRequestInfo(req.method ?? "GET", url);
    // Resource requests, whatever the answer (401, 403 and 404 included), as the real counter
    // does; what an injected fault refused never reached the server.
    if (info.isResourceRequest) requests.set(info.verb, (requests.get(info.verb) ?? 0) + 1);
    const user = ctx.authenticate(req.headers);
    if (user instanceof StatusError) {
      // A failed impersonation is still audited as the authenticated requestor's request.
      if (audit && user.code !== 401) audit.identify(requestorOf(ctx, req), undefined);
      audit?.describe(info);
      return await reply.status(user);
    }
    if (audit) audit.identify(impersonating(req) ? requestorOf(ctx, req) : user, user);

    const attrs = attributesOf(info, user);
    const decision = ctx.authorize(attrs);
    audit?.describe(info, decision);
    if (!decision.allowed) return await reply.status(forbiddenError(attrs, decision.reason));

    if (!info.isResourceRequest) {
      const answer = answerNonResource(ctx, info.path, req.headers.host ?? "");
      if (answer.type === "json") return await reply.json(200, JSON.stringify(answer.body));
      if (answer.type === "jsonText") return await reply.json(200, answer.body);
      if (answer.type === "text") return await reply.text(200, answer.body);
      return await reply.status(statusErrors.pathNotFound());
    }
    await serveResource({ ctx, req, reply, query: url.searchParams, info, user, streams });
  } catch (error) {
    const status = error instanceof StatusError ? error : statusErrors.internal(describe(error));
    if (!reply.started) await reply.status(status).catch(() => res.destroy());
    else res.destroy();
  }
}

function impersonating(req: IncomingMessage): boolean {
  return Object.keys(req.headers).some((name) => name.startsWith("impersonate-"));
}

/** The authenticated user behind an impersonating request (authentication without the impersonation headers). */
function requestorOf(ctx: ApiServerContext, req: IncomingMessage): UserInfo | undefined {
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([name]) => !name.startsWith("impersonate-")),
  );
  const user = ctx.authenticate(headers);
  return user instanceof StatusError ? undefined : user;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
