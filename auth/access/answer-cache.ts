/**
 * Answers remembered per key for a while, and shared while they are still being asked for: every
 * request of a subject needs its scope, and a page of GraphQL requests arriving together must not
 * become a burst of identical queries to the policy service.
 */

interface Remembered<T> {
  readonly at: number;
  readonly answer: Promise<T>;
  pending: boolean;
}

export interface AnswerCacheOptions {
  /** How long a successful answer is reused. 0: only shared while in flight. */
  ttlMs: number;
  /** Beyond this many keys the expired ones are dropped, then the oldest. */
  maxEntries?: number;
  now?: () => number;
}

export class AnswerCache<T> {
  private readonly entries = new Map<string, Remembered<T>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: AnswerCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The remembered answer for `key`, or `ask()`'s, which concurrent callers then share. */
  get(key: string, ask: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.usable(hit, this.now())) return hit.answer;
    const fresh: Remembered<T> = { at: this.now(), answer: ask(), pending: true };
    this.makeRoom();
    this.entries.set(key, fresh);
    fresh.answer.then(
      () => {
        fresh.pending = false;
        if (this.ttlMs <= 0) this.forget(key, fresh);
      },
      // A failure is not remembered: the next request asks again.
      () => this.forget(key, fresh),
    );
    return fresh.answer;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Pending answers are shared whatever their age: the deadline of the question bounds them. */
  private usable(entry: Remembered<T>, now: number): boolean {
    return entry.pending || now - entry.at < this.ttlMs;
  }

  private forget(key: string, entry: Remembered<T>): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  private makeRoom(): void {
    if (this.entries.size < this.maxEntries) return;
    const now = this.now();
    for (const [key, e] of this.entries) if (!this.usable(e, now)) this.entries.delete(key);
    // Map iteration is insertion order: the first key is the oldest question.
    const oldest = this.entries.keys().next();
    if (this.entries.size >= this.maxEntries && !oldest.done) this.entries.delete(oldest.value);
  }
}
