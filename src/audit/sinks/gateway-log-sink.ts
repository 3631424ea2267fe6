/**
 * The gateway's own log (pino, one JSON line per event under `audit`): the sink when no store or
 * file is configured, so the trail is visible in the demo and in `kubectl logs`.
 */
import type { Logger } from "pino";
import type { AuditEvent } from "../event.js";
import { delivered, type AuditSink, type SinkDelivery } from "./sink.js";

export class GatewayLogSink implements AuditSink {
  readonly name = "log";

  constructor(private readonly logger: Logger) {}

  deliver(events: readonly AuditEvent[]): Promise<SinkDelivery> {
    for (const event of events)
      this.logger.info(
        { audit: event },
        `audit: ${event.operation} by ${event.user} ${event.outcome}${event.reason ? `: ${event.reason}` : ""}`,
      );
    return Promise.resolve(delivered());
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
