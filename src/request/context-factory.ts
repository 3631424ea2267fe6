/**
 * THE factory of request contexts, for HTTP now and websockets next: authenticate the bearer
 * token (auth/identity), compute the caller's Scope (auth/access), add the read services.
 * Nothing after this point sees a token; resolvers see the Subject and the Scope.
 */
import { ANONYMOUS, type Subject } from "../../auth/subject.js";
import type { Authenticator } from "../../auth/identity/contracts.js";
import { Scope } from "../cache/scope.js";
import type { ReadServices } from "../query-service/index.js";
import type { RequestAccess } from "./access.js";
import type { TenancyCommands } from "./tenancy.js";
import type { MetricsSetup } from "../metrics/sources.js";
import type { LogsSetup } from "../logs/sources.js";
import { createRequestContext, type RequestContext } from "./context.js";

/** What a subject may read and do: auth/access's evaluator. */
export interface AccessSource {
  scopeFor(subject: Subject): Promise<Scope> | Scope;
  /** Decisions bound to the subject, memoised for one request. */
  accessFor(subject: Subject): RequestAccess;
  /** The tenancy commands as the subject may use them. */
  tenancyFor(subject: Subject): TenancyCommands;
}

export interface RequestContextFactory<X extends object> {
  /** Throws AuthenticationError (answered 401) for a missing, bad, expired or revoked token. */
  forBearer(token: string | undefined): Promise<RequestContext & X>;
  forSubject(subject: Subject): Promise<RequestContext & X>;
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
}

export function requestContextFactory<X extends object>(
  sources: RequestContextSources<X>,
): RequestContextFactory<X> {
  const { services, authentication, extras, metrics, logs } = sources;
  const forSubject = async (subject: Subject): Promise<RequestContext & X> => {
    // Extras are added to the fresh context in place: a spread copied every field per request.
    if (!authentication)
      return Object.assign(
        createRequestContext(services, subject, Scope.everything(), undefined, undefined, metrics, logs),
        extras,
      );
    const { access } = authentication;
    const found = access.scopeFor(subject);
    // Awaited only when it is a promise: a cached Scope costs no extra turn of the event loop.
    const scope = found instanceof Promise ? await found : found;
    return Object.assign(
      // Made when a resolver first asks: a list of pods needs neither.
      createRequestContext(
        services,
        subject,
        scope,
        () => access.accessFor(subject),
        () => access.tenancyFor(subject),
        metrics,
        logs,
      ),
      extras,
    );
  };
  return {
    forSubject,
    async forBearer(token) {
      const authenticator = authentication?.authenticator;
      const subject = !authenticator
        ? ANONYMOUS
        : (authenticator.cached?.(token) ?? (await authenticator.authenticate(token)));
      return forSubject(subject);
    },
  };
}
