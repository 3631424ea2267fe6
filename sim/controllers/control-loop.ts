/**
 * The shared engine of every controller in one cluster: work queues drained on setImmediate
 * (never inside the store's change listener, which must not write), delayed work on a timeline,
 * bounded retries for failed reconciles, and `runUntilIdle`, which drains everything at once.
 */
import { StatusError } from "../errors.js";
import { Timeline } from "./timeline.js";
import { WorkQueue, type Reconcile } from "./work-queue.js";

const MAX_RETRIES = 5;
const RETRY_BASE_MS = 20;
/** A guard against a controller pair that keeps re-triggering each other forever. */
const MAX_IDLE_ROUNDS = 100_000;

export class ControlLoop {
  private readonly queues: WorkQueue[] = [];
  private readonly timeline: Timeline;
  private readonly retries = new Map<string, number>();
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;
  private idleRun = false;
  private readonly idleHooks: { start: () => void; end: () => void }[] = [];

  constructor() {
    this.timeline = new Timeline(() => this.tick());
  }

  /** True while runUntilIdle is draining: recorders may batch instead of writing each event. */
  get catchingUp(): boolean {
    return this.idleRun;
  }

  queue(name: string, reconcile: Reconcile): WorkQueue {
    const queue = new WorkQueue(name, reconcile, () => this.wake());
    this.queues.push(queue);
    return queue;
  }

  after(delayMs: number, run: () => void): void {
    if (!this.stopped) this.timeline.after(delayMs, run);
  }

  /** Hooks called around runUntilIdle (the event recorder batches events in between). */
  onIdleRun(start: () => void, end: () => void): void {
    this.idleHooks.push({ start, end });
  }

  runUntilIdle(): void {
    if (this.stopped) return;
    this.idleRun = true;
    for (const hook of this.idleHooks) hook.start();
    try {
      for (let round = 0; ; round++) {
        if (round > MAX_IDLE_ROUNDS)
          throw new Error("controllers did not settle: a reconcile keeps requeueing itself");
        if (this.drainQueues() > 0) continue;
        if (this.timeline.runDue(true) === 0) break;
      }
    } finally {
      this.idleRun = false;
      for (const hook of this.idleHooks) hook.end();
    }
  }

  stop(): void {
    this.stopped = true;
    this.timeline.stop();
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
  }

  private wake(): void {
    if (this.stopped || this.immediate || this.idleRun) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.tick();
    });
  }

  private tick(): void {
    if (this.stopped) return;
    this.timeline.runDue(false);
    // One round per tick keeps the event loop responsive; more work wakes another tick.
    this.drainQueues();
  }

  private drainQueues(): number {
    let done = 0;
    for (const queue of this.queues) done += queue.drain((q, key, error) => this.settle(q, key, error));
    return done;
  }

  /**
   * A failed reconcile is retried with backoff, a few times at most: in this single-threaded
   * store a failure is rarely transient (a conflict, a namespace being terminated), and a
   * controller that retried forever would keep runUntilIdle from ever settling.
   */
  private settle(queue: WorkQueue, key: string, error: unknown): void {
    if (error === undefined) {
      if (this.retries.size > 0) this.retries.delete(`${queue.name}|${key}`);
      return;
    }
    if (!(error instanceof StatusError)) {
      // A bug, not a cluster condition: surface it instead of hiding it in a retry loop.
      const bug = error instanceof Error ? error : new Error(`reconcile failed: ${JSON.stringify(error)}`);
      queueMicrotask(() => {
        throw bug;
      });
      return;
    }
    const id = `${queue.name}|${key}`;
    const attempt = (this.retries.get(id) ?? 0) + 1;
    if (attempt > MAX_RETRIES) {
      this.retries.delete(id);
      return;
    }
    this.retries.set(id, attempt);
    this.after(RETRY_BASE_MS * 2 ** attempt, () => queue.add(key));
  }
}
