/**
 * What every request to a backend (a Prometheus, a log store) passes, in order:
 *   deadline (timeoutMs, waiting for a slot included) -> concurrency limit -> circuit breaker -> send.
 * The deadline counts from the call, so a request queued behind slow ones fails at its deadline
 * rather than waiting on; the breaker hears of every request it admitted, except one its caller
 * cancelled, which says nothing about the backend.
 */
import pLimit, { type LimitFunction } from "p-limit";
import { CircuitBreaker, type CircuitBreakerOptions } from "../fleet/circuit-breaker.js";
import { spendUpstreamCall } from "../limits/request-budget.js";
import { UNOBSERVED, type BackendCall, type BackendCallObserver } from "../telemetry/backend-call.js";

/** How a request that missed its deadline spent it waiting for a concurrency slot. */
export interface SlotWait {
  slots: number;
  /** Undefined: the request never got a slot. */
  waitedMs: number | undefined;
}

/**
 * "`backend` did not answer within N ms", and, when most of the deadline went on waiting for a
 * slot, that the gateway asks too much at once (the backend itself may be fine). `backend` is
 * what the message calls it: "Prometheus at https://…", "the log store at https://…".
 */
export function deadlineMissedMessage(backend: string, timeoutMs: number, wait: SlotWait): string {
  const queued = wait.waitedMs === undefined || wait.waitedMs * 2 >= timeoutMs;
  const spent = wait.waitedMs === undefined ? "all of it" : `${Math.round(wait.waitedMs)} ms of it`;
  const why = queued
    ? ` (${spent} spent waiting for one of its ${wait.slots} concurrent slots: ask less at once or raise maxConcurrentRequests)`
    : "";
  return `${backend} did not answer within ${timeoutMs} ms${why}`;
}

export interface RequestGuardOptions {
  timeoutMs: number;
  /** Requests in flight at a time (maxConcurrentRequests). */
  slots: number;
  breaker?: CircuitBreakerOptions;
  /** The breaker's clock (epoch ms). */
  now?: () => number;
  /** The backend's typed error for a request that missed its deadline. */
  deadlineMissed: (wait: SlotWait) => Error;
  /** The backend's typed error for a request the breaker refuses. */
  circuitOpen: () => Error;
  /** Whether a failed request still shows the backend alive (it refused a bad query). */
  answered: (error: unknown) => boolean;
  /** Told of every request and its end, refused ones included (the gateway's telemetry). */
  observer?: BackendCallObserver;
}

/** A request once it holds a slot: what is left of its deadline, and the signal that ends it. */
export interface Attempt {
  signal: AbortSignal;
  remainingMs: number;
}

/**
 * One request: `prepare` runs in the slot before the breaker is asked (reading a rotating token
 * must not take the half-open probe), `send` once the breaker admitted it; what `send` throws is
 * the backend's typed error.
 */
export interface GuardedRequest<P, T> {
  /** What the observer is told. */
  call: BackendCall;
  prepare: () => Promise<P>;
  send: (prepared: P, attempt: Attempt) => Promise<T>;
}

export class RequestGuard {
  /** One per backend client: its state and failures are what the client's errors tell. */
  readonly breaker: CircuitBreaker;
  private readonly limit: LimitFunction;
  private readonly now: () => number;
  private sent = 0;
  private failed: Error | undefined;

  constructor(private readonly options: RequestGuardOptions) {
    this.now = options.now ?? Date.now;
    this.breaker = new CircuitBreaker({ now: this.now, ...options.breaker });
    this.limit = pLimit(Math.max(1, options.slots));
  }

  /** Requests sent so far (those refused before sending are not counted). */
  get requests(): number {
    return this.sent;
  }

  /**
   * Why requests are refused while the breaker is open, for the client's typed error: how many
   * failures opened it, when it tries again, and the last failure (`what`: "query", "request").
   */
  openCircuitReason(what: string): string {
    const retryAt = this.breaker.retryAt;
    const when =
      retryAt === undefined
        ? `a probe ${what} is under way`
        : `next try in ${(Math.max(0, retryAt - this.now()) / 1000).toFixed(1)} s`;
    const last = this.failed === undefined ? "" : ` (last: ${this.failed.message})`;
    return `circuit open after ${this.breaker.consecutiveFailures} consecutive failures; ${when}${last}`;
  }

  /** The error of the last request the breaker counted as a failure. */
  get lastFailure(): Error | undefined {
    return this.failed;
  }

  run<P, T>(callerSignal: AbortSignal | undefined, request: GuardedRequest<P, T>): Promise<T> {
    // Counted against the budget of the operation it is made for; a refused call is never sent.
    const refused = spendUpstreamCall({ backend: request.call.backend, cluster: request.call.cluster });
    if (refused) return Promise.reject(refused);
    const ended = (this.options.observer ?? UNOBSERVED).start(request.call);
    return this.guarded(callerSignal, request).then(
      (answer) => {
        ended({ status: 200 });
        return answer;
      },
      (error: unknown) => {
        const code = (error as { code?: unknown } | undefined)?.code;
        ended({ error: typeof code === "string" ? code : "ERROR" });
        throw error;
      },
    );
  }

  private guarded<P, T>(callerSignal: AbortSignal | undefined, request: GuardedRequest<P, T>): Promise<T> {
    const { timeoutMs, slots, deadlineMissed, circuitOpen, answered } = this.options;
    const { breaker, now } = this;
    const retryAt = breaker.retryAt;
    if (retryAt !== undefined && retryAt > now()) return Promise.reject(circuitOpen());
    if (callerSignal?.aborted) return Promise.reject(callerSignal.reason as Error);
    const startedAt = Date.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const signal = callerSignal ? AbortSignal.any([deadline.signal, callerSignal]) : deadline.signal;
    let waitedMs: number | undefined;
    const reason = (): Error => {
      if (deadline.signal.aborted) return deadlineMissed({ slots, waitedMs });
      const cancelled: unknown = callerSignal?.reason;
      return cancelled instanceof Error ? cancelled : new Error(`cancelled: ${String(cancelled)}`);
    };
    return new Promise<T>((resolve, reject) => {
      // Settles at once on abort: a request still waiting for a slot is not kept past its deadline.
      const onAbort = (): void => reject(reason());
      signal.addEventListener("abort", onAbort, { once: true });
      this.limit(async () => {
        if (signal.aborted) throw reason();
        waitedMs = Date.now() - startedAt;
        const remainingMs = Math.floor(timeoutMs - waitedMs);
        if (remainingMs < 1) throw deadlineMissed({ slots, waitedMs: undefined });
        const prepared = await request.prepare();
        if (signal.aborted) throw reason();
        if (!breaker.admit()) throw circuitOpen();
        this.sent++;
        try {
          const answer = await request.send(prepared, { signal, remainingMs });
          breaker.success();
          return answer;
        } catch (error) {
          if (signal.aborted && !deadline.signal.aborted) {
            breaker.release();
            throw reason();
          }
          const typed = signal.aborted ? reason() : error;
          if (answered(typed)) {
            breaker.success();
          } else {
            this.failed = typed instanceof Error ? typed : new Error(String(typed));
            breaker.failure();
          }
          throw typed;
        }
      })
        .then(resolve, reject)
        .finally(() => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
        });
    });
  }
}
