/**
 * The deliveries, durable in the shared store (Redis when configured): each record under its
 * stable id, a set of those still pending, and each channel's latest records for its log —
 * sets rather than lists rewritten whole, so an alert storm adds members, not contention.
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
/** A set of ids, and per channel a sorted set scored by time (Redis SADD, ZADD): no rewrites. */
const PENDING = "notifications:pending-ids";
const CHANNEL_LOG = "notifications:channel-deliveries:";
/** A settle's tries before the failure is reported (the claim then lapses and it is retried). */
const SETTLE_ATTEMPTS = 4;
const SETTLE_RETRY_MS = 250;
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
      items.map(async ({ channelId, workspace, alert }, index) => {
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
        // Scores keep a push's order within its millisecond; a member logged before keeps its own.
        return { id, channelId, created, pending, score: now * 1000 + (index % 1000) };
      }),
    );
    const pending = written.filter((w) => w.pending);
    await this.store.addToSet(
      PENDING,
      pending.map((w) => w.id),
    );
    // Pending ones too: a push interrupted before its channel's log was written is logged now.
    const byChannel = new Map<string, { member: string; score: number }[]>();
    for (const w of pending)
      byChannel.set(w.channelId, [...(byChannel.get(w.channelId) ?? []), { member: w.id, score: w.score }]);
    for (const [channelId, entries] of byChannel)
      await this.store.addToLog(CHANNEL_LOG + channelId, entries, CHANNEL_LOG_LENGTH, this.retentionMs);
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
  forget(id: string): Promise<void> {
    return this.store.removeFromSet(PENDING, [id]);
  }

  pendingIds(): Promise<readonly string[]> {
    return this.store.setMembers(PENDING);
  }

  /** A channel's records, newest first (expired ones left out). */
  async ofChannel(channelId: string, first: number): Promise<DeliveryRecord[]> {
    const ids = await this.store.newestInLog(CHANNEL_LOG + channelId, first);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is DeliveryRecord => r !== undefined);
  }
}
