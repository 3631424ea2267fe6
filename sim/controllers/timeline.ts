/**
 * Work due later (a container finishing its start-up, a job's pod completing), kept in a min-heap
 * behind a single timer. `flush` runs everything at once, as if the time had passed: that is how
 * runUntilIdle builds a fleet of running pods without waiting.
 */
interface Task {
  due: number;
  seq: number;
  run: () => void;
}

export class Timeline {
  private readonly heap: Task[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private stopped = false;

  constructor(private readonly onDue: () => void) {}

  get size(): number {
    return this.heap.length;
  }

  after(delayMs: number, run: () => void): void {
    if (this.stopped) return;
    this.push({ due: Date.now() + Math.max(0, delayMs), seq: this.seq++, run });
    this.arm();
  }

  /** Runs the tasks that are due (all of them with `all`); returns how many ran. */
  runDue(all: boolean): number {
    const limit = all ? Infinity : Date.now();
    // Tasks scheduled while flushing wait for the next call, so a flush always terminates.
    const end = this.seq;
    let ran = 0;
    const deferred: Task[] = [];
    while (this.heap.length > 0 && this.heap[0]!.due <= limit) {
      const task = this.pop()!;
      if (task.seq >= end) {
        deferred.push(task);
        continue;
      }
      ran++;
      task.run();
    }
    for (const task of deferred) this.push(task);
    this.arm();
    return ran;
  }

  stop(): void {
    this.stopped = true;
    this.heap.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.stopped) return;
    const next = this.heap[0]?.due ?? Infinity;
    if (next >= this.timerDue && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
    if (next === Infinity) return;
    this.timerDue = next;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerDue = Infinity;
        this.onDue();
      },
      Math.max(0, next - Date.now()),
    );
  }

  private push(task: Task): void {
    const heap = this.heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Task | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Task, b: Task): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
