/**
 * Permits for the fleet's lists. A list of 10,000 pods is twenty pages a busy API server takes
 * seconds each to serve; a hundred clusters listing eleven kinds at once overload the servers
 * (and this process parsing their answers), every page misses its deadline and nothing syncs.
 * A reflector therefore holds a permit while it lists: at most `limit` lists run in the fleet,
 * and at most `maxPerCluster` of one cluster, which leaves that cluster's connection slots
 * (maxConcurrentRequests) to its health probe and to STRONG reads.
 *
 * The limit adapts to how fast pages come back, AIMD as in TCP congestion control: a page
 * answered within `pageTargetMs` adds 1/limit (one more list per limit's worth of pages), a
 * slower one (or a page that timed out) cuts it by a quarter, at most once per `pageTargetMs`
 * so that the pages of one congested moment count once. The target is a share of the page
 * deadline (the fleet cache uses a quarter of it), not a latency to chase: on a machine whose CPU
 * is shared, pages are slow for reasons fewer lists would not cure, and cutting on mere slowness
 * only slowed the sync down; pages nearing their deadline are what lists at once make worse.
 */

export interface SyncSchedulerOptions {
  /** The most lists at once across the fleet. Default 16. */
  maxConcurrentLists?: number;
  /** Lists at once to begin with. Default half the maximum, at least 4 (or the maximum, when smaller). */
  initialConcurrentLists?: number;
  /** Lists of one cluster at once. Default 2. */
  maxListsPerCluster?: number;
  /** A page slower than this lowers the limit. Default 15 s (a quarter of the default page deadline). */
  pageTargetMs?: number;
  now?: () => number;
}

/** One list's right to run; release it when the list ends, however it ends. */
export interface ListPermit {
  /** A page arrived after `latencyMs`. */
  pageDone(latencyMs: number): void;
  /** A page missed its deadline (the server is busy, not gone). */
  pageTimedOut(): void;
  release(): void;
}

/** What a reflector needs of the scheduler (tests give their own). */
export interface ListScheduler {
  /** Resolves once `cluster` may list; rejects with the signal's reason when it is aborted first. */
  acquire(cluster: string, signal?: AbortSignal): Promise<ListPermit>;
}

export interface SyncSchedulerStatus {
  /** Lists allowed at once right now. */
  limit: number;
  /** Lists running. */
  active: number;
  /** Lists waiting for a permit. */
  queued: number;
}

interface Waiter {
  cluster: string;
  grant: (permit: ListPermit) => void;
}

export class SyncScheduler implements ListScheduler {
  private readonly max: number;
  private readonly perCluster: number;
  private readonly targetMs: number;
  private readonly now: () => number;
  private window: number;
  private active = 0;
  private readonly activeOf = new Map<string, number>();
  private readonly queue: Waiter[] = [];
  private lastCut = Number.NEGATIVE_INFINITY;

  constructor(options: SyncSchedulerOptions = {}) {
    this.max = Math.max(1, options.maxConcurrentLists ?? 16);
    this.perCluster = Math.max(1, options.maxListsPerCluster ?? 2);
    this.targetMs = options.pageTargetMs ?? 15_000;
    this.now = options.now ?? Date.now;
    const initial = options.initialConcurrentLists ?? Math.max(4, Math.floor(this.max / 2));
    this.window = Math.min(this.max, Math.max(1, initial));
  }

  /** The whole number of lists allowed at once. */
  get limit(): number {
    return Math.floor(this.window);
  }

  status(): SyncSchedulerStatus {
    return { limit: this.limit, active: this.active, queued: this.queue.length };
  }

  acquire(cluster: string, signal?: AbortSignal): Promise<ListPermit> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.queue.length === 0 && this.admits(cluster)) return Promise.resolve(this.grant(cluster));
    return new Promise<ListPermit>((resolve, reject) => {
      const waiter: Waiter = {
        cluster,
        grant: (permit) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(permit);
        },
      };
      const onAbort = (): void => {
        const at = this.queue.indexOf(waiter);
        if (at !== -1) this.queue.splice(at, 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private admits(cluster: string): boolean {
    return this.active < this.limit && (this.activeOf.get(cluster) ?? 0) < this.perCluster;
  }

  private grant(cluster: string): ListPermit {
    this.active++;
    this.activeOf.set(cluster, (this.activeOf.get(cluster) ?? 0) + 1);
    let released = false;
    return {
      pageDone: (latencyMs) => (latencyMs <= this.targetMs ? this.grow() : this.cut()),
      pageTimedOut: () => this.cut(),
      release: () => {
        if (released) return;
        released = true;
        this.active--;
        const left = (this.activeOf.get(cluster) ?? 1) - 1;
        if (left === 0) this.activeOf.delete(cluster);
        else this.activeOf.set(cluster, left);
        this.drain();
      },
    };
  }

  private grow(): void {
    if (this.window >= this.max) return;
    const before = this.limit;
    this.window = Math.min(this.max, this.window + 1 / this.window);
    if (this.limit > before) this.drain();
  }

  private cut(): void {
    const now = this.now();
    if (now - this.lastCut < this.targetMs) return;
    this.lastCut = now;
    this.window = Math.max(1, this.window * 0.75);
  }

  /** Grants waiting lists, in order, skipping those whose cluster is at its own bound. */
  private drain(): void {
    for (let i = 0; i < this.queue.length && this.active < this.limit;) {
      const waiter = this.queue[i]!;
      if (!this.admits(waiter.cluster)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      waiter.grant(this.grant(waiter.cluster));
    }
  }
}
