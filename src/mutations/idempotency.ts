/**
 * Idempotency keys for mutations (as Stripe's API and the IETF draft "The Idempotency-Key HTTP
 * Header Field" use them): a mutation sent again with the same key by the same user returns the
 * first outcome of every target that reached a final state, and runs only the targets whose
 * first attempt could not be decided (a cluster that did not answer, a failure) — so a retry
 * after a partial outage applies only what is missing and changes nothing twice.
 *
 * Records live in the shared store (Redis when configured, so every replica sees them) for a
 * day. A key reused with a different input is refused rather than silently answered with the
 * other input's outcomes; a key whose first use is still running is refused too (the caller
 * retries once it has its answer).
 */
import { createHash, randomUUID } from "node:crypto";
import type { KubeObject } from "../kube/object.js";
import type { SharedStore } from "../store/shared-store.js";
import type { MutationOutcome, MutationStatus, UserErrorRecord } from "./outcome.js";
import type { MutationTarget } from "./targets.js";

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a running mutation holds its key; longer than any mutation's own deadline (a drain's: 10 min). */
const LOCK_TTL_MS = 15 * 60 * 1000;
const MAX_KEY_LENGTH = 255;

/** Outcomes a retry would not change: everything but "the cluster could not be asked". */
const RETRIED: ReadonlySet<MutationStatus> = new Set(["CLUSTER_UNAVAILABLE", "FAILED"]);

export const isFinal = (outcome: MutationOutcome): boolean => !RETRIED.has(outcome.status);

/** What a target is, across attempts: the same object on the same cluster. */
export function targetKey(target: MutationTarget): string {
  return [
    target.cluster,
    target.apiVersion,
    target.kind,
    target.namespace,
    target.name,
    target.id ?? "",
  ].join("\u0000");
}

interface StoredRecord {
  fingerprint: string;
  outcomes: Record<string, StoredOutcome>;
}

/** An outcome without its target (the retry's own target stands in for it). */
export type StoredOutcome = Omit<MutationOutcome, "target" | "replayed">;

export interface KeyClaim {
  /** First outcomes by target key (empty on first use). */
  previous: ReadonlyMap<string, StoredOutcome>;
  /** Stores the merged outcomes and releases the key. */
  finish(outcomes: readonly MutationOutcome[]): Promise<void>;
  /** Releases the key without storing (the mutation was refused as a whole). */
  release(): Promise<void>;
}

export type ClaimResult = { claim: KeyClaim } | { userError: UserErrorRecord };

export class IdempotencyKeys {
  constructor(private readonly store: SharedStore) {}

  /**
   * Claims `key` for `user`'s (a subject key: user, groups and narrowed roles) mutation `operation` with `input` (its fingerprint, the key left
   * out). A user error when the key is malformed, in use, or was used with another input.
   */
  async claim(user: string, operation: string, key: string, input: unknown): Promise<ClaimResult> {
    const field = ["input", "idempotencyKey"];
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      return {
        userError: { field, message: `must be 1 to ${MAX_KEY_LENGTH} characters`, code: "BAD_USER_INPUT" },
      };
    }
    const id = createHash("sha256").update(`${user}\u0000${operation}\u0000${key}`).digest("hex");
    const recordKey = `mutation-idempotency:${id}`;
    const lockKey = `${recordKey}:running`;
    const token = randomUUID();
    if (!(await this.store.compareAndSet(lockKey, undefined, token, LOCK_TTL_MS))) {
      return {
        userError: {
          field,
          message: "a mutation with this idempotency key is still running; ask again once it has answered",
          code: "CONFLICT",
        },
      };
    }
    // Only the holder deletes the lock (its TTL kept meanwhile, so a failed delete still expires).
    const release = async (): Promise<void> => {
      if (await this.store.compareAndSet(lockKey, token, token, LOCK_TTL_MS))
        await this.store.delete(lockKey);
    };
    const fingerprint = fingerprintOf(input);
    let record: StoredRecord | undefined;
    try {
      const text = await this.store.get(recordKey);
      record = text ? (JSON.parse(text) as StoredRecord) : undefined;
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
    if (record && record.fingerprint !== fingerprint) {
      await release();
      return {
        userError: {
          field,
          message: "this idempotency key was used with a different input; use a new key for a new mutation",
          code: "BAD_USER_INPUT",
        },
      };
    }
    const stored = record?.outcomes ?? {};
    return {
      claim: {
        previous: new Map(Object.entries(stored)),
        finish: async (outcomes) => {
          const merged: Record<string, StoredOutcome> = { ...stored };
          for (const outcome of outcomes) {
            const key = targetKey(outcome.target);
            // A replayed outcome is already stored; an undecided one is left for the next try.
            if (!outcome.replayed && isFinal(outcome)) merged[key] = withoutTarget(outcome);
          }
          try {
            await this.store.set(
              recordKey,
              JSON.stringify({ fingerprint, outcomes: merged }),
              IDEMPOTENCY_TTL_MS,
            );
          } finally {
            await release();
          }
        },
        release,
      },
    };
  }
}

/**
 * What a record keeps of an outcome: no target (the retry's stands in), and an object without its
 * managedFields (the bulk of an answer) nor, for a Secret, its values — records sit in the store
 * every replica shares, for a day.
 */
function withoutTarget(outcome: MutationOutcome): StoredOutcome {
  const { target: _target, replayed: _replayed, object, ...rest } = outcome;
  return { ...rest, object: object ? storedObject(object) : null };
}

function storedObject(object: KubeObject): KubeObject {
  const { managedFields: _managed, ...metadata } = object.metadata;
  const { data: _data, stringData: _stringData, ...kept } = object;
  return { ...(object.kind === "Secret" ? kept : object), metadata };
}

/** A stable digest of an input: keys sorted at every level, so field order does not matter. */
export function fingerprintOf(input: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(sorted(input)))
    .digest("hex");
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
