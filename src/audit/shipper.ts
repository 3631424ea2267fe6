/**
 * Moves spooled events to one sink in batches: read from the sink's committed position, deliver,
 * then commit the position after the batch. Delivery is retried with capped backoff for as long
 * as the sink fails, so events wait in the spool while the store is away and follow in order when
 * it returns. A crash (or a stop deadline) between a delivery and its commit delivers the batch
 * again on the next run; the log store's idempotent ids make that harmless.
 *
 * A batch is sent when `batchSize` events wait, or `flushIntervalMs` after the first of them.
 */
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { AuditEvent } from "./event.js";
import type { AuditSpool, SpoolPosition } from "./spool.js";
import type { AuditSink } from "./sinks/sink.js";

export interface AuditShipperOptions {
  spool: AuditSpool;
  sink: AuditSink;
  batchSize: number;
  flushIntervalMs: number;
  logger: Logger;
  /** First and longest wait between failed deliveries. Default 250 ms and 30 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** How often a failing sink is reported again while it keeps failing. Default 30 s. */
  reportEveryMs?: number;
}

export interface ShipperStats {
  sink: string;
  delivered: number;
  rejected: number;
  failedAttempts: number;
  /** Since when the sink has been failing (epoch ms); undefined while it works. */
  failingSince?: number;
  position: SpoolPosition;
}

export class AuditShipper {
  private position: SpoolPosition;
  private stopping = false;
  private readonly abort = new AbortController();
  private wakeUp: (() => void) | undefined;
  private readonly loop: Promise<void>;
  private delivered = 0;
  private rejected = 0;
  private failedAttempts = 0;
  private failingSince: number | undefined;
  private lastReport = 0;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly idle = new Set<() => void>();
  /** A short batch has waited its flush interval: send it as it is. */
  private flushDue = false;

  constructor(private readonly options: AuditShipperOptions) {
    this.position = options.spool.position(options.sink.name);
    this.backoff = options.backoff ?? { initialMs: 250, maxMs: 30_000 };
    this.loop = this.run();
  }

  stats(): ShipperStats {
    return {
      sink: this.options.sink.name,
      delivered: this.delivered,
      rejected: this.rejected,
      failedAttempts: this.failedAttempts,
      ...(this.failingSince !== undefined ? { failingSince: this.failingSince } : {}),
      position: { ...this.position },
    };
  }

  /** Resolves once everything appended before the call has been delivered and committed. */
  caughtUp(): Promise<void> {
    return new Promise((resolve) => {
      this.idle.add(resolve);
      this.wake();
    });
  }

  /**
   * Delivers what it can within `deadlineMs`, then stops; what is left stays in the spool (and a
   * batch delivered but not committed is delivered again on the next start).
   */
  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    const timer = setTimeout(() => this.abort.abort(new Error("audit shipper stop deadline")), deadlineMs);
    this.wake();
    try {
      await this.loop;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Ships until stopped. A failure of the spool itself (a read, or saving the position: a full or
   * failing disk) is retried with backoff like a failing sink: the shipper never gives up while
   * the gateway runs, or the spool would fill and refuse every audited action.
   */
  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.abort.signal.aborted) {
      try {
        if ((await this.step()) === "stopped") return;
        attempt = 0;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.failedAttempts++;
        const message = error instanceof Error ? error.message : String(error);
        this.reportFailure(`the spool failed: ${message}`, 0);
        await this.pause(Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** attempt++));
      }
    }
  }

  /** One turn: wait for a batch (or its flush interval), deliver it, commit its end. */
  private async step(): Promise<"stopped" | "shipped" | "idle"> {
    const { spool, batchSize, flushIntervalMs } = this.options;
    const batch = await spool.read(this.position, batchSize);
    if (batch.events.length === 0) {
      if (!samePosition(batch.end, this.position)) await this.commit(batch.end);
      for (const resolve of this.idle) resolve();
      this.idle.clear();
      if (this.stopping) return "stopped";
      await this.sleep(undefined, 1);
      return "idle";
    }
    const waitingForMore =
      batch.events.length < batchSize && !this.flushDue && !this.stopping && this.idle.size === 0;
    if (waitingForMore) {
      await this.sleep(flushIntervalMs, batchSize - batch.events.length);
      this.flushDue = true;
      return "idle";
    }
    this.flushDue = false;
    if (!(await this.deliver(batch.events))) return "stopped";
    await this.commit(batch.end);
    return "shipped";
  }

  /** True once every event is delivered or set aside as rejected; false when stopped first. */
  private async deliver(events: AuditEvent[]): Promise<boolean> {
    const { sink, logger } = this.options;
    let pending: readonly AuditEvent[] = events;
    let attempt = 0;
    while (pending.length > 0) {
      if (this.abort.signal.aborted) return false;
      let problem: string | undefined;
      try {
        const outcome = await sink.deliver(pending, this.abort.signal);
        if (outcome.rejected.length > 0) await this.keepRejected(outcome.rejected);
        this.delivered += pending.length - outcome.retry.length - outcome.rejected.length;
        if (outcome.retry.length > 0)
          problem = `${outcome.retry.length} of ${pending.length} events were not taken (store busy or failing)`;
        pending = outcome.retry;
      } catch (error) {
        if (this.abort.signal.aborted) return false;
        problem = error instanceof Error ? error.message : String(error);
      }
      if (problem === undefined) break;
      this.failedAttempts++;
      this.reportFailure(problem, pending.length);
      await this.pause(Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** attempt++));
    }
    if (this.failingSince !== undefined) {
      logger.info(
        { sink: sink.name, failingForMs: Date.now() - this.failingSince },
        `audit sink ${sink.name} is delivering again: events kept in the spool meanwhile follow in order`,
      );
      this.failingSince = undefined;
    }
    return true;
  }

  private reportFailure(problem: string, pending: number): void {
    const now = Date.now();
    const first = this.failingSince === undefined;
    this.failingSince ??= now;
    if (!first && now - this.lastReport < (this.options.reportEveryMs ?? 30_000)) return;
    this.lastReport = now;
    this.options.logger.warn(
      {
        sink: this.options.sink.name,
        failingForMs: now - this.failingSince,
        pending,
        spoolBytes: this.options.spool.size,
      },
      `audit sink ${this.options.sink.name} cannot take events (${problem}): they are kept in the spool and retried`,
    );
  }

  /** Events a sink refuses for good go to rejected-<sink>.jsonl beside the spool: kept, not lost. */
  private async keepRejected(rejected: { event: AuditEvent; reason: string }[]): Promise<void> {
    const path = join(this.options.spool.dir, `rejected-${this.options.sink.name}.jsonl`);
    await appendFile(
      path,
      rejected.map((r) => JSON.stringify({ reason: r.reason, event: r.event }) + "\n").join(""),
      {
        flush: true,
        mode: 0o600,
      },
    );
    this.rejected += rejected.length;
    this.options.logger.error(
      { sink: this.options.sink.name, count: rejected.length, reason: rejected[0]!.reason, keptIn: path },
      `audit sink ${this.options.sink.name} refused ${rejected.length} events for good; they are kept in ${path}`,
    );
  }

  private async commit(end: SpoolPosition): Promise<void> {
    await this.options.spool.commit(this.options.sink.name, end);
    this.position = end;
  }

  private wake(): void {
    this.wakeUp?.();
  }

  /** Until `ms` pass (forever if undefined), `enough` more events are appended, or a stop/caughtUp. */
  private sleep(ms: number | undefined, enough: number): Promise<void> {
    if (this.stopping || (this.idle.size > 0 && ms !== undefined)) return Promise.resolve();
    const { spool } = this.options;
    const mark = spool.appended;
    return new Promise((resolve) => {
      const done = (): void => {
        this.wakeUp = undefined;
        if (timer) clearTimeout(timer);
        stopListening();
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      const stopListening = spool.onAppend(() => {
        if (spool.appended - mark >= enough) done();
      });
      this.wakeUp = done;
    });
  }

  /** A backoff wait, cut short by the stop deadline. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener("abort", done, { once: true });
    });
  }
}

function samePosition(a: SpoolPosition, b: SpoolPosition): boolean {
  return a.segment === b.segment && a.offset === b.offset;
}
