/**
 * A consecutive-failure circuit breaker, one per cluster connection.
 *
 * closed --(N consecutive failures)--> open --(cool-down)--> half-open --(probe ok)--> closed
 *                                        ^------------------(probe fails)---'
 *
 * Written here rather than taken from opossum: opossum trips on an error percentage over a rolling
 * window and wraps one action with its own timeout, while a cluster connection needs "N failures in
 * a row" across every kind of request (lists, watches, probes), its own deadline handling, and to
 * let any request — not one wrapped function — be the half-open probe. The state machine is small.
 */
export type BreakerState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe request is let through. Default 5 s. */
  cooldownMs?: number;
  onStateChange?: (state: BreakerState, previous: BreakerState) => void;
  now?: () => number;
}

export class CircuitBreaker {
  private current: BreakerState = "closed";
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions = {}) {
    this.failureThreshold = Math.max(1, options.failureThreshold ?? 5);
    this.cooldownMs = options.cooldownMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** When an open circuit lets its next probe through (epoch ms); undefined unless open. */
  get retryAt(): number | undefined {
    return this.current === "open" ? this.openedAt + this.cooldownMs : undefined;
  }

  /**
   * Whether a request may go out now. In half-open exactly one request (the probe) is admitted
   * until its outcome is recorded; every admitted request must end in `success()` or `failure()`.
   */
  admit(): boolean {
    if (this.current === "closed") return true;
    if (this.current === "open") {
      if (this.now() - this.openedAt < this.cooldownMs) return false;
      this.transition("half-open");
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  /** The server answered (any answer that says it is alive, 4xx included). */
  success(): void {
    // A request let through before the circuit opened, answering late, says how the server was,
    // not how it is: only the half-open probe closes an open circuit. (Closing here made a dying
    // cluster's breaker flap open-closed-open within a millisecond, waking every reflector.)
    if (this.current === "open") return;
    this.failures = 0;
    this.probeInFlight = false;
    if (this.current !== "closed") this.transition("closed");
  }

  /** The server could not be reached, failed with 5xx, or missed its deadline (a 429 is no failure). */
  failure(): void {
    this.failures++;
    if (this.current === "half-open") {
      this.open();
    } else if (this.current === "closed" && this.failures >= this.failureThreshold) {
      this.open();
    }
  }

  /** An admitted request ended without telling anything about the server (e.g. cancelled). */
  release(): void {
    this.probeInFlight = false;
  }

  private open(): void {
    this.openedAt = this.now();
    this.probeInFlight = false;
    this.transition("open");
  }

  private transition(next: BreakerState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    this.options.onStateChange?.(next, previous);
  }
}
