/**
 * API-server audit events into the store: the cluster's audit log (apiserver/audit.ts) is turned
 * on and drained on every tick, each event written as the log backend's JSON plus `cluster` into
 * the daily index of its requestReceivedTimestamp. The document id is the auditID and the event's
 * place in this feeder (`create`: a re-delivery is a 409 and is skipped, as the gateway's own
 * shipper relies on): an auditID alone is not unique, since every request a client sends with
 * the same Audit-ID header (the gateway sends its request id) is audited under it.
 */
import type { AuditLog } from "../../apiserver/audit.js";
import { EsError } from "../errors.js";
import type { LogStore } from "../log-store.js";
import { AUDIT_INDEX_PREFIX, dailyIndex } from "./index-layout.js";

export class AuditFeeder {
  private written = 0;

  constructor(
    private readonly clusterName: string,
    private readonly auditLog: AuditLog,
    private readonly logStore: LogStore,
  ) {
    auditLog.enabled = true;
  }

  tick(): number {
    const events = this.auditLog.drain();
    for (const event of events) {
      try {
        this.logStore.write(
          dailyIndex(AUDIT_INDEX_PREFIX, Date.parse(event.requestReceivedTimestamp)),
          event.auditID ? `${event.auditID}.${this.written++}` : undefined,
          { ...event, cluster: this.clusterName },
          "create",
        );
      } catch (error) {
        if (!(error instanceof EsError && error.status === 409)) throw error;
      }
    }
    return events.length;
  }

  stop(): void {
    this.auditLog.enabled = false;
    this.auditLog.drain();
  }
}
