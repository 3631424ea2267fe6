/**
 * The audit index of an Elasticsearch 8 or OpenSearch: bulk `create` with `_id` = the event's
 * id into `<prefix>-YYYY.MM.DD`. An id already stored answers 409 ("exists") and counts as
 * delivered: re-shipping after a crash or a lost answer stores nothing twice.
 */
import type { CreateOutcome, DocumentToCreate } from "../../backends/logstore/client.js";
import { auditDocument, auditIndexOf, type AuditEvent } from "../event.js";
import type { AuditSink, SinkDelivery } from "./sink.js";

/** The part of LogStoreClient the sink uses. */
export interface AuditStoreClient {
  readonly backend: string;
  createMany(documents: DocumentToCreate[], signal?: AbortSignal): Promise<CreateOutcome[]>;
  close(): Promise<void>;
}

export class LogStoreSink implements AuditSink {
  readonly name = "log-store";

  constructor(
    private readonly client: AuditStoreClient,
    private readonly indexPrefix: string,
  ) {}

  get backend(): string {
    return this.client.backend;
  }

  async deliver(events: readonly AuditEvent[], signal: AbortSignal): Promise<SinkDelivery> {
    const outcomes = await this.client.createMany(
      events.map((event) => ({
        index: auditIndexOf(this.indexPrefix, event.time),
        id: event.id,
        document: auditDocument(event),
      })),
      signal,
    );
    const byId = new Map(events.map((e) => [e.id, e]));
    const delivery: SinkDelivery = { retry: [], rejected: [] };
    for (const outcome of outcomes) {
      if (outcome.result !== "failed") continue;
      const event = byId.get(outcome.id)!;
      if (outcome.retryable) delivery.retry.push(event);
      else delivery.rejected.push({ event, reason: outcome.reason });
    }
    return delivery;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
