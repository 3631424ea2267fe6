/**
 * What one operation may still spend upstream while it runs: calls to API servers, log stores
 * and Prometheus, and time. The static count (upstream-calls.ts) refuses what a document plainly
 * asks for; this counts what it really makes (a STRONG read lists every readable namespace, a
 * merge pages on), and refuses the calls past the limit or the deadline with a typed error on the
 * field that asked, while the rest of the answer stands.
 *
 * Ambient, via AsyncLocalStorage, as the request scope is (src/telemetry/request-scope.ts): the
 * clients (src/fleet, src/backends) ask before each call without the layers between carrying it.
 * A leaf module: anyone may import it.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export const UPSTREAM_CALLS_CODE = "TOO_MANY_UPSTREAM_CALLS";
export const DEADLINE_CODE = "REQUEST_TIMEOUT";

/** What a refused call was, for the message. */
export interface UpstreamCall {
  backend: string;
  cluster?: string | undefined;
}

/** A call refused by the budget: read by graphql-js as the field's error, with its code. */
export class UpstreamRefusedError extends Error {
  override readonly name = "UpstreamRefusedError";

  constructor(
    readonly code: typeof UPSTREAM_CALLS_CODE | typeof DEADLINE_CODE,
    message: string,
    readonly limit: number,
  ) {
    super(message);
  }

  get extensions(): { code: string; limit: number } {
    return { code: this.code, limit: this.limit };
  }
}

export interface RequestBudgetOptions {
  maxUpstreamCalls: number;
  /** Milliseconds from now after which no upstream call is started. */
  deadlineMs: number;
  /** Told of each refusal (the refusal counter). */
  onRefused?: (error: UpstreamRefusedError) => void;
  now?: () => number;
}

export class RequestBudget {
  private made = 0;
  private refused = false;
  private readonly deadline: number;
  private readonly now: () => number;

  constructor(private readonly options: RequestBudgetOptions) {
    this.now = options.now ?? Date.now;
    this.deadline = this.now() + options.deadlineMs;
  }

  /** Upstream calls started so far. */
  get calls(): number {
    return this.made;
  }

  /** Milliseconds left before the deadline (negative once past). */
  get remainingMs(): number {
    return this.deadline - this.now();
  }

  /** Counts a call about to start; throws UpstreamRefusedError when it may not. */
  spend(call: UpstreamCall): void {
    const target = call.cluster === undefined ? call.backend : `${call.backend} of cluster "${call.cluster}"`;
    if (this.remainingMs <= 0)
      throw this.refuse(
        new UpstreamRefusedError(
          DEADLINE_CODE,
          `the request ran past its deadline of ${this.options.deadlineMs} ms: the call to the ${target} was not made; ask for less at once`,
          this.options.deadlineMs,
        ),
      );
    if (this.made >= this.options.maxUpstreamCalls)
      throw this.refuse(
        new UpstreamRefusedError(
          UPSTREAM_CALLS_CODE,
          `the request made its limit of ${this.options.maxUpstreamCalls} upstream calls: the call to the ${target} was not made; ` +
            "read from the caches (consistency CACHED), select fewer clusters or namespaces, or split the query",
          this.options.maxUpstreamCalls,
        ),
      );
    this.made++;
  }

  /** The deadline passed with the operation still running: the error to answer with. */
  expire(): UpstreamRefusedError {
    return this.refuse(
      new UpstreamRefusedError(
        DEADLINE_CODE,
        `the request did not finish within its deadline of ${this.options.deadlineMs} ms: ask for less at once (smaller pages, fewer clusters, CACHED reads)`,
        this.options.deadlineMs,
      ),
    );
  }

  /** The request is counted as refused once, whatever else its budget refuses after. */
  private refuse(error: UpstreamRefusedError): UpstreamRefusedError {
    if (!this.refused) this.options.onRefused?.(error);
    this.refused = true;
    return error;
  }
}

const budgets = new AsyncLocalStorage<RequestBudget>();

/** Runs `work` (and everything it starts) under `budget`. */
export function withinBudget<T>(budget: RequestBudget, work: () => T): T {
  return budgets.run(budget, work);
}

/**
 * Counts a call against the running operation's budget, if there is one (the caches' own calls
 * have none); the refusal when it may not be made.
 */
export function spendUpstreamCall(call: UpstreamCall): UpstreamRefusedError | undefined {
  try {
    budgets.getStore()?.spend(call);
    return undefined;
  } catch (error) {
    if (error instanceof UpstreamRefusedError) return error;
    throw error;
  }
}
