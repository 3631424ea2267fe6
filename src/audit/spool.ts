/**
 * The local append-only spool: every audit event is written here, and synced, before the audited
 * action answers; sinks read from it at their own pace and commit how far they got.
 *
 * Durability: appends are group-committed — whatever arrived while the previous write was being
 * synced is written with one write() and one fdatasync(), and every append of that batch resolves
 * after the sync. A crash loses only appends that had not resolved (their actions never
 * answered); a torn last line they leave is cut on the next open.
 *
 * Bounds: segments rotate at `segmentBytes`; a segment every sink has passed is deleted. When the
 * undelivered events reach `maxBytes`, appends are refused with AUDIT_SPOOL_FULL: an audit trail
 * keeps what it recorded rather than make room by dropping it (docs/security.md).
 */
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { resolve } from "node:path";
import { AuditError } from "./errors.js";
import type { AuditEvent } from "./event.js";
import {
  cutTornTail,
  listSegments,
  lockDirectory,
  readProgress,
  removeFile,
  segmentPath,
  syncDirectory,
  writeProgress,
  type SegmentFile,
  type SpoolPosition,
} from "./spool-files.js";

export type { SpoolPosition } from "./spool-files.js";

export interface AuditSpoolOptions {
  dir: string;
  /** The sinks reading the spool: a segment is deleted once all of them have passed it. */
  readers: readonly string[];
  /** Undelivered bytes kept at most; appends beyond are refused. */
  maxBytes: number;
  /** A segment is closed and a new one started past this size. Default 16 MiB. */
  segmentBytes?: number;
  /** Told about torn tails cut and corrupt lines skipped. */
  warn?: (message: string, details?: object) => void;
}

export interface SpoolBatch {
  events: AuditEvent[];
  /** The position after the last event read (or skipped): commit it once they are delivered. */
  end: SpoolPosition;
}

interface PendingAppend {
  line: Buffer;
  count: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

const READ_CHUNK = 1024 * 1024;
export const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

export class AuditSpool {
  /** Total bytes of the segment files: what the cap is measured against. */
  private bytes: number;
  private queue: PendingAppend[] = [];
  private queuedBytes = 0;
  private writing: Promise<void> | undefined;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  /** Events appended since open: shippers compare it to know whether enough is waiting. */
  private appendedCount = 0;

  private constructor(
    readonly dir: string,
    private readonly options: Required<Omit<AuditSpoolOptions, "warn">> & Pick<AuditSpoolOptions, "warn">,
    private readonly segments: SegmentFile[],
    private active: FileHandle,
    private readonly positions: Record<string, SpoolPosition>,
    private readonly unlock: () => void,
  ) {
    this.bytes = segments.reduce((sum, s) => sum + s.size, 0);
  }

  static async open(options: AuditSpoolOptions): Promise<AuditSpool> {
    const dir = resolve(options.dir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const unlock = lockDirectory(dir);
    try {
      const segments = await listSegments(dir);
      // Only the last segment can end torn: earlier ones were closed after synced appends.
      const last = segments.at(-1);
      if (last) {
        const cut = await cutTornTail(last);
        if (cut > 0)
          options.warn?.("audit spool: cut a torn last line (an append interrupted by a crash)", {
            segment: last.path,
            bytes: cut,
          });
      }
      const saved = await readProgress(dir);
      // Always a fresh segment: every older one now has a fixed size.
      const seq = (last?.seq ?? 0) + 1;
      const path = segmentPath(dir, seq);
      const active = await open(path, "a", 0o600);
      await syncDirectory(dir);
      segments.push({ seq, path, size: 0 });
      const positions: Record<string, SpoolPosition> = {};
      const first = segments[0]!.seq;
      for (const reader of options.readers) {
        const at = saved[reader];
        // A sink new to this spool starts at the oldest event still kept.
        let position = at && at.segment >= first ? at : { segment: first, offset: 0 };
        // Wholly read segments (the last run's active one, typically) are passed, so trim drops them.
        for (let i = 0; i < segments.length - 1; i++) {
          const s = segments[i]!;
          if (s.seq === position.segment && position.offset >= s.size)
            position = { segment: segments[i + 1]!.seq, offset: 0 };
        }
        positions[reader] = position;
      }
      const spool = new AuditSpool(
        dir,
        {
          dir,
          readers: options.readers,
          maxBytes: options.maxBytes,
          segmentBytes: options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
          ...(options.warn ? { warn: options.warn } : {}),
        },
        segments,
        active,
        positions,
        unlock,
      );
      await spool.trim();
      return spool;
    } catch (error) {
      unlock();
      throw error;
    }
  }

  /** Bytes on disk in segments (undelivered events, and delivered ones of a segment still read). */
  get size(): number {
    return this.bytes;
  }

  get appended(): number {
    return this.appendedCount;
  }

  /** Where `reader` has committed to. */
  position(reader: string): SpoolPosition {
    const at = this.positions[reader];
    if (!at) throw new Error(`audit spool: unknown reader ${reader}`);
    return { ...at };
  }

  /** Appends events; resolves once they are written and synced. */
  append(events: readonly AuditEvent[]): Promise<void> {
    if (this.closed)
      return Promise.reject(new AuditError("AUDIT_SPOOL_CLOSED", "the audit trail is stopped"));
    const line = Buffer.from(events.map((e) => JSON.stringify(e) + "\n").join(""), "utf8");
    if (this.bytes + this.queuedBytes + line.length > this.options.maxBytes)
      return Promise.reject(
        new AuditError(
          "AUDIT_SPOOL_FULL",
          `the audit spool ${this.dir} holds ${this.bytes} bytes of undelivered events (audit.maxSpoolBytes ` +
            `${this.options.maxBytes}): audited actions are refused until its sinks take them`,
        ),
      );
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, count: events.length, resolve, reject });
      this.queuedBytes += line.length;
      this.writing ??= this.writeQueued();
    });
  }

  /**
   * Up to `max` events from `from`, within one segment. Lines that are not JSON (a disk fault) are
   * skipped with a warning, their bytes counted in `end`.
   */
  async read(from: SpoolPosition, max: number): Promise<SpoolBatch> {
    let at = { ...from };
    for (;;) {
      const index = this.segments.findIndex((s) => s.seq >= at.segment);
      if (index === -1) return { events: [], end: at };
      const segment = this.segments[index]!;
      if (segment.seq > at.segment) at = { segment: segment.seq, offset: 0 };
      const isActive = index === this.segments.length - 1;
      if (at.offset >= segment.size) {
        if (isActive) return { events: [], end: at };
        at = { segment: this.segments[index + 1]!.seq, offset: 0 };
        continue;
      }
      return this.readSegment(segment, at, max);
    }
  }

  /** Commits `reader`'s position (durably), then deletes segments every reader has passed. */
  async commit(reader: string, position: SpoolPosition): Promise<void> {
    const segment = this.segments.find((s) => s.seq === position.segment);
    const isActive = segment === this.segments.at(-1);
    // The end of a closed segment is the start of the next: the closed one can then go.
    const next = this.segments[this.segments.indexOf(segment!) + 1];
    this.positions[reader] =
      segment && !isActive && next && position.offset >= segment.size
        ? { segment: next.seq, offset: 0 }
        : { ...position };
    await writeProgress(this.dir, this.positions);
    await this.trim();
  }

  /** Calls `listener` after each synced append, until the returned function is called. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for queued appends, then closes the active segment and releases the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writing;
    await this.active.close();
    this.unlock();
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const data = batch.length === 1 ? batch[0]!.line : Buffer.concat(batch.map((p) => p.line));
      this.queuedBytes -= data.length;
      try {
        await this.rotateIfFull(data.length);
        const segment = this.segments.at(-1)!;
        try {
          await writeAll(this.active, data);
          await this.active.datasync();
        } catch (error) {
          // Leave no partial lines behind a failed append: its callers are told it failed.
          await this.active.truncate(segment.size).catch(() => {});
          throw error;
        }
        segment.size += data.length;
        this.bytes += data.length;
        for (const p of batch) this.appendedCount += p.count;
        for (const p of batch) p.resolve();
        for (const listener of this.listeners) listener();
      } catch (error) {
        const failure =
          error instanceof AuditError
            ? error
            : new AuditError(
                "AUDIT_SPOOL_FAILED",
                `writing the audit spool ${this.dir} failed: ${String(error)}`,
                {
                  cause: error,
                },
              );
        for (const p of batch) p.reject(failure);
      }
    }
    this.writing = undefined;
  }

  private async rotateIfFull(incoming: number): Promise<void> {
    const current = this.segments.at(-1)!;
    if (current.size === 0 || current.size + incoming <= this.options.segmentBytes) return;
    await this.active.close();
    const seq = current.seq + 1;
    const path = segmentPath(this.dir, seq);
    this.active = await open(path, "a", 0o600);
    await syncDirectory(this.dir);
    this.segments.push({ seq, path, size: 0 });
    await this.trim();
  }

  /** Deletes closed segments every reader has passed. */
  private async trim(): Promise<void> {
    const readers = Object.values(this.positions);
    // No reader: nothing may be deleted (nothing has taken the events).
    const oldestNeeded = readers.length === 0 ? -Infinity : Math.min(...readers.map((p) => p.segment));
    while (this.segments.length > 1 && this.segments[0]!.seq < oldestNeeded) {
      const gone = this.segments.shift()!;
      await removeFile(gone.path);
      this.bytes -= gone.size;
    }
  }

  private async readSegment(segment: SegmentFile, from: SpoolPosition, max: number): Promise<SpoolBatch> {
    const handle = await open(segment.path, "r");
    try {
      const events: AuditEvent[] = [];
      let offset = from.offset;
      let carry = Buffer.alloc(0);
      // Only what was synced: the active segment may be growing under us.
      const end = segment.size;
      while (events.length < max && offset + carry.length < end) {
        const length = Math.min(READ_CHUNK, end - offset - carry.length);
        const chunk = Buffer.alloc(length);
        const { bytesRead } = await handle.read(chunk, 0, length, offset + carry.length);
        let data =
          carry.length > 0
            ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
            : chunk.subarray(0, bytesRead);
        let start = 0;
        for (let nl = data.indexOf(0x0a); nl !== -1 && events.length < max; nl = data.indexOf(0x0a, start)) {
          const line = data.subarray(start, nl).toString("utf8");
          const lineOffset = offset;
          offset += nl - start + 1;
          start = nl + 1;
          const event = parseLine(line);
          if (event) events.push(event);
          else if (line.trim() !== "")
            this.options.warn?.("audit spool: skipped a line that is not an audit event (disk fault?)", {
              segment: segment.path,
              offset: lineOffset,
              line: line.slice(0, 200),
            });
        }
        data = data.subarray(start);
        carry = Buffer.from(data);
        if (bytesRead === 0) break;
      }
      return { events, end: { segment: segment.seq, offset } };
    } finally {
      await handle.close();
    }
  }
}

function parseLine(line: string): AuditEvent | undefined {
  try {
    const value = JSON.parse(line) as Partial<AuditEvent> | null;
    return value && typeof value.id === "string" && typeof value.time === "string"
      ? (value as AuditEvent)
      : undefined;
  } catch {
    return undefined;
  }
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written);
    written += bytesWritten;
  }
}
