/**
 * Where the shipper delivers spooled events. A sink must be idempotent by event id, or say it is
 * not: after a crash between a delivery and its commit, the same events are delivered again.
 */
import type { AuditEvent } from "../event.js";

export interface SinkDelivery {
  /** Events to send again later (the store was busy or failing for them). */
  retry: AuditEvent[];
  /** Events the sink refuses for good (a mapping conflict): kept in the spool dir, not retried. */
  rejected: { event: AuditEvent; reason: string }[];
}

export interface AuditSink {
  /** Names the sink's committed position in the spool: keep it stable across restarts. */
  readonly name: string;
  /** Delivers the events; throws when none could be (the store is unreachable). */
  deliver(events: readonly AuditEvent[], signal: AbortSignal): Promise<SinkDelivery>;
  close(): Promise<void>;
}

/** Everything taken. */
export function delivered(): SinkDelivery {
  return { retry: [], rejected: [] };
}
