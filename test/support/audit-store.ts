/**
 * A stand-in for the log store's bulk `create` (LogStoreClient.createMany), kept in memory: an id
 * stored once answers "exists" afterwards, as Elasticsearch answers 409. It can be taken down,
 * made to store a batch and then lose the answer (a crash between "shipped" and "committed"),
 * or refuse single documents.
 */
import type { CreateOutcome, DocumentToCreate } from "../../src/backends/logstore/client.js";
import { LogStoreError } from "../../src/backends/logstore/errors.js";
import type { AuditStoreClient } from "../../src/audit/sinks/log-store-sink.js";

export class MemoryAuditStore implements AuditStoreClient {
  readonly backend = "memory://audit-store";
  /** index -> id -> document */
  readonly indices = new Map<string, Map<string, object>>();
  down = false;
  /** Store the next batch, then never answer (until the caller's signal aborts). */
  hangAfterStoring = false;
  /** Ids answered as a per-item failure (retryable or not). */
  readonly failIds = new Map<string, { retryable: boolean; reason: string }>();
  requests = 0;
  created = 0;
  existed = 0;

  get ids(): string[] {
    return [...this.indices.values()].flatMap((docs) => [...docs.keys()]);
  }

  async createMany(documents: DocumentToCreate[], signal?: AbortSignal): Promise<CreateOutcome[]> {
    this.requests++;
    if (this.down)
      throw new LogStoreError("LOG_STORE_UNAVAILABLE", this.backend, "the store is down (test)", {
        retryable: true,
      });
    const outcomes = documents.map((d): CreateOutcome => {
      const failure = this.failIds.get(d.id);
      if (failure) return { id: d.id, result: "failed", ...failure };
      const index = this.indices.get(d.index) ?? new Map<string, object>();
      this.indices.set(d.index, index);
      if (index.has(d.id)) {
        this.existed++;
        return { id: d.id, result: "exists" };
      }
      index.set(d.id, d.document);
      this.created++;
      return { id: d.id, result: "created" };
    });
    if (this.hangAfterStoring) {
      this.hangAfterStoring = false;
      await new Promise((_, reject) =>
        signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true }),
      );
    }
    return outcomes;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
