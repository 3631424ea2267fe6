/**
 * The gateway's audit trail: events are written to the spool (durable before `record` resolves),
 * then shipped by one AuditShipper per sink. It is the AuditRecorder the composition root hands
 * to auth and the request layer.
 */
import { hostname } from "node:os";
import type { Logger } from "pino";
import { AuditError } from "./errors.js";
import type { AuditEvent, AuditRecord } from "./event.js";
import type { AuditRecorder } from "./recorder.js";
import { AuditShipper, type ShipperStats } from "./shipper.js";
import type { AuditSink } from "./sinks/sink.js";
import { AuditSpool } from "./spool.js";
import { UlidFactory } from "./ulid.js";

export interface AuditTrailOptions {
  spoolDir: string;
  sinks: readonly AuditSink[];
  /** Default: $HOSTNAME (the pod's name in Kubernetes), else the host name. */
  replica?: string;
  batchSize: number;
  flushIntervalMs: number;
  maxSpoolBytes: number;
  segmentBytes?: number;
  logger: Logger;
  /** The clock of event times and ids (epoch ms). */
  now?: () => number;
  backoff?: { initialMs: number; maxMs: number };
}

export interface AuditTrailStats {
  recorded: number;
  refused: number;
  spoolBytes: number;
  sinks: ShipperStats[];
}

/** How often a full spool is reported again while it stays full. */
const FULL_REPORT_MS = 10_000;

export class AuditTrail implements AuditRecorder {
  private readonly ids: UlidFactory;
  private readonly now: () => number;
  readonly replica: string;
  readonly instance: string;
  private recorded = 0;
  private refused = 0;
  private lastFullReport = 0;

  private constructor(
    private readonly spool: AuditSpool,
    private readonly shippers: AuditShipper[],
    private readonly sinks: readonly AuditSink[],
    private readonly logger: Logger,
    options: AuditTrailOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.ids = new UlidFactory(this.now);
    this.replica = options.replica ?? process.env.HOSTNAME ?? hostname();
    this.instance = this.ids.next();
  }

  static async start(options: AuditTrailOptions): Promise<AuditTrail> {
    const logger = options.logger.child({ component: "audit" });
    const spool = await AuditSpool.open({
      dir: options.spoolDir,
      readers: options.sinks.map((s) => s.name),
      maxBytes: options.maxSpoolBytes,
      ...(options.segmentBytes !== undefined ? { segmentBytes: options.segmentBytes } : {}),
      warn: (message, details) => logger.warn(details ?? {}, message),
    });
    const shippers = options.sinks.map(
      (sink) =>
        new AuditShipper({
          spool,
          sink,
          batchSize: options.batchSize,
          flushIntervalMs: options.flushIntervalMs,
          logger,
          ...(options.backoff ? { backoff: options.backoff } : {}),
        }),
    );
    return new AuditTrail(spool, shippers, options.sinks, logger, options);
  }

  get spoolDir(): string {
    return this.spool.dir;
  }

  async record(record: AuditRecord): Promise<AuditEvent> {
    const time = this.now();
    const event: AuditEvent = {
      id: this.ids.next(),
      time: new Date(time).toISOString(),
      replica: this.replica,
      instance: this.instance,
      ...record,
    };
    try {
      await this.spool.append([event]);
    } catch (error) {
      this.refused++;
      this.reportRefusal(error, event);
      throw error;
    }
    this.recorded++;
    return event;
  }

  stats(): AuditTrailStats {
    return {
      recorded: this.recorded,
      refused: this.refused,
      spoolBytes: this.spool.size,
      sinks: this.shippers.map((s) => s.stats()),
    };
  }

  /** Resolves once every sink has taken what was recorded before the call (tests, demos). */
  async caughtUp(): Promise<void> {
    await Promise.all(this.shippers.map((s) => s.caughtUp()));
  }

  /**
   * Ships what can be shipped within `deadlineMs`, then closes the spool; the rest is shipped by
   * the next start. Records made after this call are refused (AUDIT_SPOOL_CLOSED).
   */
  async stop(deadlineMs = 5000): Promise<void> {
    await Promise.all(this.shippers.map((s) => s.stop(deadlineMs)));
    await this.spool.close();
    await Promise.all(this.sinks.map((s) => s.close().catch(() => {})));
    const left = this.spool.size;
    this.logger.info({ recorded: this.recorded, spoolBytes: left }, "audit trail stopped");
  }

  /** A refused event is logged whole: the log is the last place it can still be seen. */
  private reportRefusal(error: unknown, event: AuditEvent): void {
    const full = error instanceof AuditError && error.code === "AUDIT_SPOOL_FULL";
    const now = Date.now();
    if (full && now - this.lastFullReport < FULL_REPORT_MS) {
      this.logger.error({ refusedEvent: event }, "audit event refused: the spool is full");
      return;
    }
    this.lastFullReport = now;
    this.logger.error(
      { err: error, refusedEvent: event, refusedSoFar: this.refused, stats: this.stats() },
      full
        ? "AUDIT SPOOL FULL: audited actions are refused until the audit sinks take the spooled events (is the log store reachable?)"
        : "audit event could not be written to the spool: the audited action is refused",
    );
  }
}
