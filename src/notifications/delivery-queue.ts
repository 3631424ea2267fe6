/**
 * The deliveries, durable in the shared store (Redis when configured): each record under its
 * stable id, an index of those still pending, and each channel's latest records for its log.
 * The store rather than the audit spool: the spool is one replica's disk, while a delivery
 * written here is retried by whichever replica is up — after a restart or by another replica.
 * A record is written before the webhook that brought it is answered; claimed for each attempt
 * and written again after it by compare-and-set, so one replica attempts it at a time.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { SharedStore } from "../store/shared-store.js";
import type { PushedAlert } from "./alert-sink.js";
import { deliveryId, type DeliveryRecord } from "./delivery-record.js";

const RECORD = "notifications:delivery:";
const PENDING = "notifications:pending";
const CHANNEL_LOG = "notifications:channel-log:";
/** A settle's tries before the failure is reported (the claim then lapses and it is retried). */
const SETTLE_ATTEMPTS = 4;
const SETTLE_RETRY_MS = 250;
const MAX_CAS_ATTEMPTS = 50;
/** Records kept per channel for `notificationDeliveries`, newest first. */
export const CHANNEL_LOG_LENGTH = 200;

/** A record as claimed for an attempt, and its stored text (what settle compares with). */
export interface Claimed {
  record: DeliveryRecord;
  text: string;
}

/** An alert for a channel, as routing decided. */
export interface QueuedAlert {
  channelId: string;
  /** The workspace it was routed for; null: a fleet channel. */
  workspace: string | null;
  alert: PushedAlert;
}

export class DeliveryQueueConflictError extends Error {
  constructor(what: string) {
    super(`the notification ${what} is being changed concurrently by other replicas; retry`);
    this.name = "DeliveryQueueConflictError";
  }
}

export class DeliveryQueue {
  constructor(
    private readonly store: SharedStore,
    /** How long records (and so deduplication) are kept. */
    private readonly retentionMs: number,
  ) {}

  /**
   * Records each delivery unless it exists; answers the ids that are new. A pending one that
   * exists is indexed again (a push interrupted before its index was written is repaired when
   * Alertmanager sends it again).
   */
  async enqueue(items: readonly QueuedAlert[], now = Date.now()): Promise<string[]> {
    const written = await Promise.all(
      items.map(async ({ channelId, workspace, alert }) => {
        const id = deliveryId(channelId, alert);
        const record: DeliveryRecord = {
          id,
          channelId,
          workspace,
          alert,
          state: "pending",
          attempts: 0,
          createdAt: now,
          nextAttemptAt: now,
        };
        const created = await this.store.compareAndSet(
          RECORD + id,
          undefined,
          JSON.stringify(record),
          this.retentionMs,
        );
        const pending = created || (await this.get(id))?.state === "pending";
        return { id, channelId, created, pending };
      }),
    );
    const pending = written.filter((w) => w.pending).map((w) => w.id);
    if (pending.length > 0)
      await this.editList(PENDING, (ids) => {
        const missing = pending.filter((id) => !ids.includes(id));
        return missing.length === 0 ? undefined : [...ids, ...missing];
      });
    // Pending ones too: a push interrupted before its channel's log was written is logged now.
    const byChannel = new Map<string, string[]>();
    for (const w of written.filter((w) => w.pending))
      byChannel.set(w.channelId, [...(byChannel.get(w.channelId) ?? []), w.id]);
    for (const [channelId, queued] of byChannel)
      await this.editList(
        CHANNEL_LOG + channelId,
        (ids) => {
          const missing = queued.filter((id) => !ids.includes(id)).reverse();
          return missing.length === 0 ? undefined : [...missing, ...ids].slice(0, CHANNEL_LOG_LENGTH);
        },
        this.retentionMs,
      );
    return written.filter((w) => w.created).map((w) => w.id);
  }

  async get(id: string): Promise<DeliveryRecord | undefined> {
    const text = await this.store.get(RECORD + id);
    return text === undefined ? undefined : (JSON.parse(text) as DeliveryRecord);
  }

  /**
   * Takes a due pending delivery for one attempt: the record itself carries the claim (a token,
   * and nextAttemptAt moved past the attempt's deadline), written by compare-and-set, so of two
   * replicas one gets it, and none takes it again before `untilMs` even if this one stalls.
   * Undefined: not pending, not due, or another replica came first.
   */
  async claim(id: string, token: string, untilMs: number, now = Date.now()): Promise<Claimed | undefined> {
    const text = await this.store.get(RECORD + id);
    if (text === undefined) return undefined;
    const record = JSON.parse(text) as DeliveryRecord;
    if (record.state !== "pending" || record.nextAttemptAt > now) return undefined;
    const claimed: DeliveryRecord = { ...record, claim: token, nextAttemptAt: untilMs };
    const claimedText = JSON.stringify(claimed);
    if (!(await this.store.compareAndSet(RECORD + id, text, claimedText, this.retentionMs))) return undefined;
    return { record: claimed, text: claimedText };
  }

  /**
   * Records an attempt's outcome over the claim it was made under, by compare-and-set: false
   * when the record changed since (the claim lapsed and another replica took it), which is then
   * left as that replica wrote it. A store that fails is asked again a few times — a delivered
   * record left pending would be sent again.
   */
  async settle(claimed: Claimed, outcome: DeliveryRecord): Promise<boolean> {
    const { claim: _claim, ...unclaimed } = outcome;
    const text = JSON.stringify(unclaimed);
    const key = RECORD + outcome.id;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await this.store.compareAndSet(key, claimed.text, text, this.retentionMs)))
          // A write that landed although its answer was lost reads back as ours.
          if ((await this.store.get(key)) !== text) return false;
        break;
      } catch (error) {
        if (attempt >= SETTLE_ATTEMPTS) throw error;
        await delay(SETTLE_RETRY_MS * attempt);
      }
    }
    if (outcome.state !== "pending") await this.forget(outcome.id);
    return true;
  }

  /** Drops an id whose record is gone (expired) from the pending index. */
  async forget(id: string): Promise<void> {
    await this.editList(PENDING, (ids) => (ids.includes(id) ? ids.filter((i) => i !== id) : undefined));
  }

  async pendingIds(): Promise<readonly string[]> {
    return parseIds(await this.store.get(PENDING));
  }

  /** A channel's records, newest first (expired ones left out). */
  async ofChannel(channelId: string, first: number): Promise<DeliveryRecord[]> {
    const ids = parseIds(await this.store.get(CHANNEL_LOG + channelId)).slice(0, first);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is DeliveryRecord => r !== undefined);
  }

  private async editList(
    key: string,
    change: (ids: readonly string[]) => readonly string[] | undefined,
    ttlMs?: number,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const text = await this.store.get(key);
      const next = change(parseIds(text));
      if (next === undefined) return;
      if (await this.store.compareAndSet(key, text, JSON.stringify(next), ttlMs)) return;
    }
    throw new DeliveryQueueConflictError(key === PENDING ? "pending index" : "channel log");
  }
}

function parseIds(text: string | undefined): readonly string[] {
  if (text === undefined) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? (parsed as string[]) : [];
}
