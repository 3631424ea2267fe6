/**
 * Each replica's delivery loop: every poll interval (and at once when a push queued something) it
 * takes the pending deliveries that are due, leases each so one replica attempts it at a time,
 * sends it and records the attempt — delivered, retried later after a capped exponential
 * backoff, or failed after the last attempt or a refusal that retrying cannot change.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { NotificationDeliverySettings } from "../config/index.js";
import { backoffAfter } from "./backoff.js";
import { channelEndpoint, isUnreadable, type DeliverableChannel, type StoredChannel } from "./channel.js";
import type { ChannelStore } from "./channel-store.js";
import type { DeliveryQueue } from "./delivery-queue.js";
import type { DeliveryRecord } from "./delivery-record.js";
import { DeliveryError, sendDelivery } from "./senders/index.js";

/** Deliveries attempted at once by one replica. */
const PARALLEL = 8;

/** Sends one delivery; `signal` aborts at the attempt's deadline, and the sender stops then. */
export type Send = (
  channel: DeliverableChannel,
  record: DeliveryRecord,
  signal: AbortSignal,
) => Promise<void>;

/** Beyond the two deadlines a claim lasts: slack for clocks and store round trips. */
const CLAIM_MARGIN_MS = 5000;

export interface DeliveryWorkerOptions {
  queue: DeliveryQueue;
  channels: ChannelStore;
  /** Read per pass: a reload changes them. */
  settings: () => NotificationDeliverySettings;
  logger: Logger;
  send?: Send;
}

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly send: Send;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.send = options.send ?? sendDelivery;
  }

  start(): void {
    this.schedule(0);
  }

  /** Looks for due deliveries now (a push has just queued some). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops polling; resolves once the pass under way has recorded its attempts. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over what is due, PARALLEL at a time; one delivery's failure stops no other. */
  private async pass(now = Date.now()): Promise<void> {
    const { queue, logger } = this.options;
    const ids = await queue.pendingIds();
    let next = 0;
    const lane = async () => {
      while (next < ids.length && !this.stopped) {
        const id = ids[next++]!;
        await this.attempt(id, now).catch((error: unknown) =>
          logger.warn({ err: error, delivery: id }, "notification delivery not attempted"),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, ids.length) }, lane));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error }, "notification delivery pass failed"),
        )
        .finally(() => {
          this.running = undefined;
          const again = this.again;
          this.again = false;
          this.schedule(again ? 0 : this.options.settings().pollIntervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async attempt(id: string, now: number): Promise<void> {
    const { queue, channels, logger } = this.options;
    const seen = await queue.get(id);
    if (!seen) return queue.forget(id);
    // Finished by another replica after this pass read the index.
    if (seen.state !== "pending") return queue.forget(id);
    if (seen.nextAttemptAt > now) return;
    const settings = this.options.settings();
    // The claim outlasts the send's deadline by far, so it only lapses when its replica died.
    const claimed = await queue.claim(
      id,
      randomUUID(),
      Date.now() + settings.timeoutMs * 2 + CLAIM_MARGIN_MS,
      now,
    );
    if (!claimed) return;
    const record = claimed.record;
    const channel = await channels.get(record.channelId);
    const outcome = await this.outcomeOf(channel, record, settings);
    if (!(await queue.settle(claimed, outcome)))
      logger.warn(
        { delivery: id },
        "notification delivery changed by another replica meanwhile; its record kept",
      );
  }

  /** What one attempt at `record` comes to: sent (or not) to its channel, or why it was not. */
  private async outcomeOf(
    channel: StoredChannel | undefined,
    record: DeliveryRecord,
    settings: NotificationDeliverySettings,
  ): Promise<DeliveryRecord> {
    if (!channel) return { ...record, state: "failed", lastError: "the channel was deleted" };
    if (!channel.enabled) return { ...record, state: "failed", lastError: "the channel was disabled" };
    // A replica without the key (or before a rotation reached it) may be the one asked: retried
    // like a failed send, so one that has the key can deliver it.
    if (isUnreadable(channel.target))
      return attemptFailed(record, channel.target.unreadable, true, Date.now(), settings);
    return this.tried({ ...channel, target: channel.target }, record, settings);
  }

  private async tried(
    channel: DeliverableChannel,
    record: DeliveryRecord,
    settings: NotificationDeliverySettings,
  ): Promise<DeliveryRecord> {
    const attempts = record.attempts + 1;
    const startedAt = Date.now();
    try {
      await withinDeadline(settings.timeoutMs, channelEndpoint(channel.target), (signal) =>
        this.send(channel, record, signal),
      );
      // lastError stays: the record tells what the receiver went through before it accepted.
      return { ...record, state: "delivered", attempts, lastAttemptAt: startedAt, deliveredAt: Date.now() };
    } catch (error) {
      const failure = DeliveryError.of(error, channelEndpoint(channel.target));
      const outcome = attemptFailed(record, failure.message, failure.retryable, startedAt, settings);
      this.options.logger.warn(
        { channel: channel.id, delivery: record.id, attempts, endpoint: channelEndpoint(channel.target) },
        `notification delivery ${outcome.state === "failed" ? "failed" : "will be retried"}: ${failure.message}`,
      );
      return outcome;
    }
  }
}

/**
 * One more attempt that did not deliver: retried after the backoff, or failed once it was the
 * last (maxAttempts) or the failure will not change by retrying.
 */
function attemptFailed(
  record: DeliveryRecord,
  why: string,
  retryable: boolean,
  startedAt: number,
  settings: NotificationDeliverySettings,
): DeliveryRecord {
  const attempts = record.attempts + 1;
  const last = attempts >= settings.maxAttempts || !retryable;
  return {
    ...record,
    state: last ? "failed" : "pending",
    attempts,
    lastError: why,
    lastAttemptAt: startedAt,
    nextAttemptAt: last ? record.nextAttemptAt : Date.now() + backoffAfter(attempts, settings),
  };
}

/**
 * One deadline for the whole send — name lookup, connection, every protocol step — so an attempt
 * ends well inside its claim even when a sender's own timeouts restart per step; a sender that
 * does not stop at the signal is given up on (and reported failed) all the same.
 */
async function withinDeadline(
  timeoutMs: number,
  where: string,
  send: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeliveryError(`${where}: no answer within ${timeoutMs} ms`, true);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    await Promise.race([send(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
