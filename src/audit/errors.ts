/**
 * Typed errors of the audit trail. An audited action that cannot be recorded is not carried out
 * (or, when it already happened, is answered as failed): `extensions.code` makes GraphQL and the
 * login routes answer AUDIT_UNAVAILABLE with HTTP 503.
 */

export type AuditErrorCode =
  /** The spool holds `maxSpoolBytes` of undelivered events: new ones are refused, none dropped. */
  | "AUDIT_SPOOL_FULL"
  /** Writing or syncing the spool failed (disk full, I/O error, permissions). */
  | "AUDIT_SPOOL_FAILED"
  /** The trail is stopping or stopped. */
  | "AUDIT_SPOOL_CLOSED"
  /** Another process (or another trail of this one) holds the spool directory. */
  | "AUDIT_SPOOL_LOCKED";

export class AuditError extends Error {
  readonly extensions: { code: "AUDIT_UNAVAILABLE"; reason: AuditErrorCode; http: { status: 503 } };

  constructor(
    readonly code: AuditErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AuditError";
    this.extensions = { code: "AUDIT_UNAVAILABLE", reason: code, http: { status: 503 } };
  }
}
