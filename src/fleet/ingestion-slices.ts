/**
 * Watch streams and GraphQL requests share the one JavaScript thread. Left alone, one turn of the
 * event loop applies every watch chunk that arrived in it — under churn a burst of thousands of
 * events, tens of milliseconds — and a request waiting for its next turn (its body, a Redis
 * answer) waits behind all of it, once per turn it needs.
 *
 * So the streams share a slice of time per turn instead. A chunk is always applied whole (its
 * events in order); once the turn's slice is spent, the stream that applied it pauses (it only
 * buffers, and TCP pushes back on the API server past its buffer), and every paused stream resumes
 * on the next turn, in the order they paused, after the poll phase has served the requests that
 * were waiting. No event is dropped, merged or reordered within a stream; streams are independent
 * of each other already (one socket per cluster and kind).
 *
 * The slice is a floor, not a ceiling: a turn's streams may take as long as everything else kept
 * the thread busy since the previous turn began (the event loop's own active time, so idle waits do
 * not count). When requests keep the thread busy, ingestion still gets about half of it: it must
 * not fall behind until the API server's history expires, and requests wait at most about as long
 * as they themselves took.
 */

/** Time per event-loop turn the watch streams may take before they yield to other work. */
export const DEFAULT_INGESTION_SLICE_MS = 4;

export interface IngestionSlicesStats {
  /** Times a stream paused because the turn's slice was spent. */
  yields: number;
}

export class IngestionSlices {
  private spentMs = 0;
  /** This turn's share: the slice, or what the rest of the previous turn took, whichever is more. */
  private budgetMs: number;
  /** The event loop's active time when the current turn began. */
  private activeAtTurn: number;
  private turnScheduled = false;
  private readonly paused: (() => void)[] = [];
  private yields = 0;

  constructor(
    readonly sliceMs = DEFAULT_INGESTION_SLICE_MS,
    private readonly now: () => number = () => performance.now(),
    /** Milliseconds the event loop has been busy (not waiting for I/O) since the process began. */
    private readonly activeMs: () => number = () => performance.eventLoopUtilization().active,
  ) {
    this.budgetMs = sliceMs;
    this.activeAtTurn = activeMs();
  }

  /**
   * Runs one chunk's `work` and answers whether its stream must pause now; if so, `resume` is
   * called on a later turn. The caller pauses the stream before returning to the event loop.
   */
  run(work: () => void, resume: () => void): boolean {
    const started = this.now();
    try {
      work();
    } finally {
      this.spentMs += this.now() - started;
      this.scheduleNextTurn();
    }
    if (this.spentMs < this.budgetMs) return false;
    this.yields++;
    this.paused.push(resume);
    return true;
  }

  stats(): IngestionSlicesStats {
    return { yields: this.yields };
  }

  /** The slice is per turn: a setImmediate runs after this turn's poll phase, and starts the next. */
  private scheduleNextTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(this.nextTurn);
  }

  private readonly nextTurn = (): void => {
    const active = this.activeMs();
    // What the thread did besides ingestion since the last turn began: requests, timers.
    const othersMs = active - this.activeAtTurn - this.spentMs;
    this.budgetMs = Math.max(this.sliceMs, othersMs);
    this.activeAtTurn = active;
    this.turnScheduled = false;
    this.spentMs = 0;
    const resumes = this.paused.splice(0);
    for (const resume of resumes) resume();
  };
}

/** The process's one budget: every connection's watch streams share the thread, so they share it. */
export const sharedIngestionSlices = new IngestionSlices();
