/**
 * One audit event: who did what, from where, to what, and how it ended. The shape is the index's
 * document (docs/security.md, "Audit trail"); `@timestamp` is added when it is shipped.
 */

export type AuditOutcome = "success" | "failure" | "denied";

/**
 * What was done, as dotted names: `login`, `logout`, `session.refresh`, `authenticate`,
 * `apiToken.create`, `apiToken.revoke`, `roleBinding.create`, `roleBinding.delete`, and for
 * GraphQL operations `<query|mutation>.<root field>`.
 */
export type AuditOperation = string;

/** What the caller did (the part an audited action states). */
export interface AuditAction {
  operation: AuditOperation;
  outcome: AuditOutcome;
  /** Why it failed or was denied; for a success, nothing or a short detail. */
  reason?: string;
  cluster?: string;
  namespace?: string;
  /** What it acted on, e.g. `apiToken/tok_...`, `roleBinding/rb_...`, `pods/api-0`. */
  resource?: string;
}

/** Who did it. */
export interface AuditActor {
  user: string;
  groups: readonly string[];
  /** How the caller authenticated: oidc, session, api-token, anonymous. */
  authMethod?: string;
}

/** Where the request came from, as the HTTP layer saw it. */
export interface AuditOrigin {
  /** The TCP peer's address (X-Forwarded-For is not trusted: docs/security.md). */
  sourceIP?: string;
  userAgent?: string;
  /** The X-Request-Id header of the request, when a proxy or client set one. */
  requestId?: string;
  /** The GraphQL operation's name, for events recorded during one. */
  graphqlOperation?: string;
}

/** Everything a caller hands the recorder; the trail adds id, time and replica. */
export type AuditRecord = AuditAction & AuditActor & AuditOrigin;

export interface AuditEvent extends AuditRecord {
  /** A ULID: unique, sorts by time; the document's `_id` in the index. */
  id: string;
  /** ISO 8601 UTC with milliseconds. */
  time: string;
  /** The gateway replica that recorded it (pod name / host name, or `audit.replica`). */
  replica: string;
  /** This process's run of the replica: a ULID made at start. */
  instance: string;
}

export const DEFAULT_AUDIT_INDEX_PREFIX = "fleetgraph-auditing";

/** `<prefix>-YYYY.MM.DD` of the event's UTC date, as KubeSphere's daily indices are named. */
export function auditIndexOf(prefix: string, time: string): string {
  // time is ISO 8601 UTC ("2026-03-01T12:00:00.000Z"): its first ten characters are the date.
  return `${prefix}-${time.slice(0, 4)}.${time.slice(5, 7)}.${time.slice(8, 10)}`;
}

/** The document stored in the log store: the event and the `@timestamp` Kibana and Grafana expect. */
export function auditDocument(event: AuditEvent): AuditEvent & { "@timestamp": string } {
  return { "@timestamp": event.time, ...event };
}
