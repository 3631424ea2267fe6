/**
 * THE factory of request contexts, for HTTP now and websockets next: authenticate the bearer
 * token (auth/identity), compute the caller's Scope (auth/access), add the read services.
 * Nothing after this point sees a token; resolvers see the Subject and the Scope.
 */
import { ANONYMOUS, type Subject } from "../../auth/subject.js";
import { AuthenticationError, type Authenticator } from "../../auth/identity/contracts.js";
import { Scope } from "../cache/scope.js";
import type { ReadServices } from "../query-service/index.js";
import type { RequestAccess } from "./access.js";
import type { TenancyCommands } from "./tenancy.js";
import type { MetricsSetup } from "../metrics/sources.js";
import type { LogsSetup } from "../logs/sources.js";
import { createRequestContext, type RequestContext } from "./context.js";
import type { AuditOrigin } from "../audit/event.js";
import { NO_REQUEST_AUDIT, requestAudit, type AuditRecorder, type RequestAudit } from "../audit/recorder.js";

/** What a subject may read and do: auth/access's evaluator. */
export interface AccessSource {
  scopeFor(subject: Subject): Promise<Scope> | Scope;
  /** Decisions bound to the subject, memoised for one request. */
  accessFor(subject: Subject): RequestAccess;
  /** The tenancy commands as the subject may use them, recording what they do in `audit`. */
  tenancyFor(subject: Subject, audit: RequestAudit): TenancyCommands;
}

export interface RequestContextFactory<X extends object> {
  /** Throws AuthenticationError (answered 401) for a missing, bad, expired or revoked token. */
  forBearer(token: string | undefined, origin?: AuditOrigin): Promise<RequestContext & X>;
  /** `origin`: where the request came from (its audit events say so); none outside HTTP. */
  forSubject(subject: Subject, origin?: AuditOrigin): Promise<RequestContext & X>;
}

export interface RequestContextSources<X extends object> {
  services: ReadServices;
  /** Undefined: authentication is off, every request is anonymous and reads everything. */
  authentication?: { authenticator: Authenticator; access: AccessSource };
  /** Services added to every context (the generic resources path). */
  extras: X;
  /** The clusters' Prometheus backends and the range cache; none: every metric is null. */
  metrics?: MetricsSetup;
  /** The clusters' log stores and the API servers' pods/log; none: log searches find no store. */
  logs?: LogsSetup;
  /** The gateway's audit trail; none: nothing is recorded. */
  audit?: AuditRecorder;
}

export function requestContextFactory<X extends object>(
  sources: RequestContextSources<X>,
): RequestContextFactory<X> {
  const { services, authentication, extras, metrics, logs, audit: recorder } = sources;
  const auditOf = (subject: Subject, origin: AuditOrigin | undefined): RequestAudit =>
    recorder
      ? requestAudit(
          recorder,
          { user: subject.user, groups: subject.groups, authMethod: subject.source },
          origin,
        )
      : NO_REQUEST_AUDIT;
  const forSubject = async (subject: Subject, origin?: AuditOrigin): Promise<RequestContext & X> => {
    const audit = auditOf(subject, origin);
    // Extras are added to the fresh context in place: a spread copied every field per request.
    if (!authentication)
      return Object.assign(
        createRequestContext(
          services,
          subject,
          Scope.everything(),
          undefined,
          undefined,
          metrics,
          logs,
          audit,
        ),
        extras,
      );
    const { access } = authentication;
    let scope: Scope;
    try {
      const found = access.scopeFor(subject);
      // Awaited only when it is a promise: a cached Scope costs no extra turn of the event loop.
      scope = found instanceof Promise ? await found : found;
    } catch (error) {
      // Refused outright (the policy service failed: fail closed).
      await recordRefusal(audit, { operation: "authorize", outcome: "denied", reason: messageOf(error) });
      throw error;
    }
    return Object.assign(
      // Made when a resolver first asks: a list of pods needs neither.
      createRequestContext(
        services,
        subject,
        scope,
        () => access.accessFor(subject),
        () => access.tenancyFor(subject, audit),
        metrics,
        logs,
        audit,
      ),
      extras,
    );
  };
  return {
    forSubject,
    async forBearer(token, origin) {
      const authenticator = authentication?.authenticator;
      let subject: Subject;
      try {
        subject = !authenticator
          ? ANONYMOUS
          : (authenticator.cached?.(token) ?? (await authenticator.authenticate(token)));
      } catch (error) {
        const reason =
          error instanceof AuthenticationError ? `${error.reason}: ${error.message}` : messageOf(error);
        await recordRefusal(auditOf(UNAUTHENTICATED, origin), {
          operation: "authenticate",
          outcome: "failure",
          reason,
        });
        throw error;
      }
      return forSubject(subject, origin);
    },
  };
}

/** A caller whose token was refused, named as kube-apiserver names one. */
const UNAUTHENTICATED: Subject = Object.freeze({
  user: "system:anonymous",
  groups: ["system:unauthenticated"],
  source: "anonymous",
});

/** A refusal stands whether or not it could be recorded (the trail logs what it could not keep). */
async function recordRefusal(
  audit: RequestAudit,
  action: Parameters<RequestAudit["record"]>[0],
): Promise<void> {
  try {
    await audit.record(action);
  } catch {
    // Logged by the trail with the whole event.
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
