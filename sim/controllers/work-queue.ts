/**
 * A rate-free version of client-go's workqueue: keys are deduplicated while they wait, so a burst
 * of changes to one object costs one reconcile. The queue never runs work itself; the control
 * loop drains it.
 */
export type Reconcile = (key: string) => void;

export class WorkQueue {
  private keys = new Set<string>();

  constructor(
    readonly name: string,
    private readonly reconcile: Reconcile,
    private readonly wake: () => void,
  ) {}

  add(key: string): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.wake();
  }

  get length(): number {
    return this.keys.size;
  }

  /**
   * Reconciles every key queued when the call starts; keys added meanwhile (including the ones
   * being processed) wait for the next round, as in client-go where a key is "dirty" again.
   */
  drain(onResult: (queue: WorkQueue, key: string, error: unknown) => void): number {
    if (this.keys.size === 0) return 0;
    const batch = this.keys;
    this.keys = new Set();
    for (const key of batch) {
      let failure: unknown;
      try {
        this.reconcile(key);
      } catch (error) {
        failure = error ?? new Error("reconcile threw undefined");
      }
      onResult(this, key, failure);
    }
    return batch.size;
  }
}
