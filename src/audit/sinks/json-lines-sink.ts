/**
 * A JSON-lines file (one event per line), for a collector that tails files (fluent-bit, Vector)
 * or a plain archive. Appended and synced per batch. It cannot refuse an id it already holds:
 * after a crash between a write and its commit the batch is written again, so readers dedupe by
 * `id` (at-least-once; the log store sink is exactly-once).
 */
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import type { AuditEvent } from "../event.js";
import { delivered, type AuditSink, type SinkDelivery } from "./sink.js";

export class JsonLinesSink implements AuditSink {
  readonly name = "file";
  private handle: FileHandle | undefined;

  constructor(readonly path: string) {}

  async deliver(events: readonly AuditEvent[]): Promise<SinkDelivery> {
    // Opened per use after a failure: a rotated-away (renamed) file is followed by a new one.
    this.handle ??= await this.openFile();
    try {
      await this.handle.appendFile(events.map((e) => JSON.stringify(e) + "\n").join(""));
      await this.handle.datasync();
    } catch (error) {
      await this.handle.close().catch(() => {});
      this.handle = undefined;
      throw error;
    }
    return delivered();
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  private async openFile(): Promise<FileHandle> {
    await mkdir(dirname(this.path), { recursive: true });
    return open(this.path, "a", 0o600);
  }
}
