/**
 * The API server's audit log at level Metadata, as the log backend writes it: one
 * `audit.k8s.io/v1` Event per request, after authentication (a failed authentication is audited
 * too: 401 with an empty user, as WithFailedAuthenticationAudit does), with the requesting user,
 * the impersonated user when impersonation headers were honoured, the verb and object from the
 * request info, the response code (and status, reason, message on failure) and the authorisation
 * decision. Ordinary requests are recorded at stage ResponseComplete; watches and followed logs,
 * which may stay open for hours, at ResponseStarted (when their headers go out).
 *
 * Recording is a push onto a bounded buffer — nothing is serialised on the request path — and a
 * consumer (the log store's audit feeder) drains it on its tick. With no consumer the log is off.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StatusError } from "../errors.js";
import type { AuthorizationDecision, UserInfo } from "../auth/user.js";
import type { RequestInfo } from "./request-info.js";

export interface AuditEvent {
  kind: "Event";
  apiVersion: "audit.k8s.io/v1";
  level: "Metadata";
  auditID: string;
  stage: "ResponseStarted" | "ResponseComplete";
  requestURI: string;
  verb: string;
  user: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  impersonatedUser?: { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: {
    resource?: string;
    namespace?: string;
    name?: string;
    apiGroup?: string;
    apiVersion?: string;
    subresource?: string;
  };
  responseStatus: {
    metadata: Record<string, never>;
    status?: string;
    message?: string;
    reason?: string;
    code: number;
  };
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations?: Record<string, string>;
}

/** How many events wait for the consumer at most; beyond it the oldest are dropped (as a full backend buffer drops). */
const MAX_BUFFERED = 50_000;

export class AuditLog {
  /** Off until a consumer wants the events. */
  enabled = false;
  dropped = 0;
  private buffer: AuditEvent[] = [];

  push(event: AuditEvent): void {
    if (!this.enabled) return;
    if (this.buffer.length >= MAX_BUFFERED) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push(event);
  }

  /** Every event recorded since the last drain, oldest first. */
  drain(): AuditEvent[] {
    const out = this.buffer;
    this.buffer = [];
    return out;
  }
}

/** `2024-05-01T10:00:00.123000Z`: the apiserver's microsecond timestamps. */
function microTime(t: number): string {
  return `${new Date(t).toISOString().slice(0, 23)}000Z`;
}

function userJson(user: UserInfo): AuditEvent["user"] {
  return {
    username: user.username,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: user.groups,
    ...(user.extra ? { extra: user.extra } : {}),
  };
}

/** One request being audited. */
export class AuditRecord {
  private readonly received = Date.now();
  private user: AuditEvent["user"] = {};
  private impersonated: AuditEvent["impersonatedUser"];
  private info: RequestInfo | undefined;
  private decision: AuthorizationDecision | undefined;
  private done = false;

  constructor(
    private readonly log: AuditLog,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    /** The Status a failed request answered with (its reason and message go into responseStatus). */
    private readonly failure: () => StatusError | undefined,
  ) {
    const finish = () => this.emit("ResponseComplete", res.statusCode);
    res.once("finish", finish);
    res.once("close", finish);
  }

  /** Who asked and, with impersonation, as whom. */
  identify(requestor: UserInfo | undefined, effective: UserInfo | undefined): void {
    if (requestor) this.user = userJson(requestor);
    if (requestor && effective && effective !== requestor) {
      this.impersonated = userJson(effective) as AuditEvent["impersonatedUser"];
    }
  }

  describe(info: RequestInfo, decision?: AuthorizationDecision): void {
    this.info = info;
    this.decision = decision;
    // Long-running requests are recorded when their response starts.
    if (decision?.allowed && (info.verb === "watch" || /[?&]follow=(true|1)/.test(this.req.url ?? ""))) {
      const writeHead = this.res.writeHead.bind(this.res);
      this.res.writeHead = ((...args: Parameters<ServerResponse["writeHead"]>) => {
        this.emit("ResponseStarted", args[0]);
        return writeHead(...args);
      }) as ServerResponse["writeHead"];
    }
  }

  private emit(stage: AuditEvent["stage"], code: number): void {
    if (this.done) return;
    this.done = true;
    const info = this.info;
    const lastFailure = this.failure();
    const failure = lastFailure && lastFailure.code === code ? lastFailure : undefined;
    const objectRef =
      info?.isResourceRequest === true
        ? {
            ...(info.resource ? { resource: info.resource } : {}),
            ...(info.namespace ? { namespace: info.namespace } : {}),
            ...(info.name ? { name: info.name } : {}),
            ...(info.apiGroup ? { apiGroup: info.apiGroup } : {}),
            apiVersion: info.apiVersion,
            ...(info.subresource ? { subresource: info.subresource } : {}),
          }
        : undefined;
    const annotations = this.decision
      ? {
          "authorization.k8s.io/decision": this.decision.allowed ? "allow" : "forbid",
          "authorization.k8s.io/reason": this.decision.reason,
        }
      : undefined;
    const userAgent = this.req.headers["user-agent"];
    this.log.push({
      kind: "Event",
      apiVersion: "audit.k8s.io/v1",
      level: "Metadata",
      auditID: String(this.res.getHeader("Audit-Id") ?? ""),
      stage,
      requestURI: this.req.url ?? "/",
      verb: info?.verb ?? (this.req.method ?? "get").toLowerCase(),
      user: this.user,
      ...(this.impersonated ? { impersonatedUser: this.impersonated } : {}),
      sourceIPs: ["127.0.0.1"],
      ...(userAgent ? { userAgent } : {}),
      ...(objectRef ? { objectRef } : {}),
      responseStatus: {
        metadata: {},
        ...(failure ? { status: "Failure", message: failure.message, reason: failure.reason } : {}),
        code,
      },
      requestReceivedTimestamp: microTime(this.received),
      stageTimestamp: microTime(Date.now()),
      ...(annotations ? { annotations } : {}),
    });
  }
}
