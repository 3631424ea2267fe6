/**
 * The fault switches of one simulated cluster. The admin endpoint flips them; the API server
 * consults them on every request.
 */
export interface FaultSettings {
  /** Added before every response (and before a watch's first byte). */
  latencyMs: number;
  /** Fraction (0..1) of requests answered with a 500 InternalError Status (or 429 when `errorCode` says so). */
  errorRate: number;
  errorCode: 500 | 503 | 429;
  /** Response bodies are written in chunks with this delay between chunks. */
  slowBodyMs: number;
  /** The Retry-After (seconds) of an injected 429, as kube-apiserver's max-in-flight filter sends. */
  retryAfterSeconds: number;
  /**
   * A 410 storm: every watch that resumes from a resourceVersion is answered with a 410 Expired
   * ERROR event, as when history is compacted faster than the client catches up; it relists.
   */
  expiredWatches: boolean;
  /** A connection cut mid-body: each response and watch stream is destroyed after this many bytes (0: off). */
  cutBodyAfterBytes: number;
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  errorRate: 0,
  errorCode: 500,
  slowBodyMs: 0,
  retryAfterSeconds: 1,
  expiredWatches: false,
  cutBodyAfterBytes: 0,
};

export class FaultState {
  settings: FaultSettings = { ...NO_FAULTS };
  /** Requests answered with an injected failure (tests count a client's retries with it). */
  injected = 0;
  /** Deterministic request counter so an error rate is reproducible. */
  private requestCount = 0;

  set(partial: Partial<FaultSettings>): FaultSettings {
    this.settings = { ...this.settings, ...partial };
    return this.settings;
  }

  reset(): void {
    this.settings = { ...NO_FAULTS };
  }

  /** Whether the next request should fail: spreads failures evenly at the configured rate. */
  shouldFail(): boolean {
    const rate = this.settings.errorRate;
    if (rate <= 0) return false;
    if (rate < 1) {
      this.requestCount++;
      if (Math.floor(this.requestCount * rate) === Math.floor((this.requestCount - 1) * rate)) return false;
    }
    this.injected++;
    return true;
  }
}
