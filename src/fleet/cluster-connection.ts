/**
 * One member cluster as the gateway talks to it. Every request passes, in order:
 *   deadline (requestTimeoutMs, queueing included) -> concurrency limit (maxConcurrentRequests)
 *   -> circuit breaker -> HTTP.
 * Watches are long-lived, so they skip the concurrency limit (eleven cached kinds would starve
 * it) but go through the breaker, and the deadline covers their connection until the first byte.
 */
import { EventEmitter } from "node:events";
import type { KubeConfig } from "@kubernetes/client-node";
import pLimit, { type LimitFunction } from "p-limit";
import type { ClusterConfig } from "../config/index.js";
import type { KubeObject } from "../kube/object.js";
import { spendUpstreamCall } from "../limits/request-budget.js";
import { UNOBSERVED, type BackendCallObserver } from "../telemetry/backend-call.js";
import { apiRequestTarget } from "./api-request.js";
import { CircuitBreaker, type BreakerState, type CircuitBreakerOptions } from "./circuit-breaker.js";
import {
  ClusterError,
  ClusterTimeoutError,
  ClusterUnavailableError,
  isKubeStatus,
  toClusterError,
} from "./errors.js";
import { impersonatedRefusal, impersonationHeaders, type Impersonation } from "./impersonation.js";
import { buildKubeConfig } from "./kube-config.js";
import { collectionPath, withQuery, type ResourcePath } from "./resources.js";
import { ClusterTransport, type OpenBody, type OpenStream, type WriteRequest } from "./transport.js";

/**
 * How long an open breaker waits before its next probe. The probe is one request, so probing a
 * dead cluster every second costs little, while a cluster that came back is noticed within a
 * second: a 5 s wait made recovery take up to 8 s (docs/reliability.md).
 */
const BREAKER_COOLDOWN_MS = 1000;

export interface ClusterConnectionOptions {
  breaker?: Omit<CircuitBreakerOptions, "onStateChange">;
  /** A watch that carries no byte (not even a bookmark) for this long is ended. Default 5 min. */
  watchIdleTimeoutMs?: number;
  /** Told of every request (the gateway's telemetry). Default: nobody. */
  observer?: BackendCallObserver;
}

export interface RequestOptions {
  /** Overrides the cluster's requestTimeoutMs. */
  timeoutMs?: number;
  /** Cancels the request; it then rejects with the signal's reason. */
  signal?: AbortSignal;
  accept?: string;
  /**
   * Made on this caller's behalf: the cluster checks its RBAC against them (Impersonate-User and
   * -Group), unless it is configured to trust the gateway's grants. A 403 then says what the
   * caller was denied.
   */
  impersonate?: Impersonation;
  /**
   * A timeout means the server is slow, not gone: the circuit breaker does not count it (a cache's
   * list page from a busy server; opening the breaker would fail every other request too).
   */
  timeoutIsSlowness?: boolean;
}

export interface ListPageOptions {
  limit?: number;
  continue?: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  signal?: AbortSignal;
  /** See RequestOptions.impersonate. */
  impersonate?: Impersonation;
  /**
   * The page's own deadline (the caches' lists: listPageTimeoutMs) instead of requestTimeoutMs;
   * its timeout then does not count against the circuit breaker.
   */
  timeoutMs?: number;
}

export interface ListPage {
  items: KubeObject[];
  /** The list's resourceVersion: a watch from it sees every later change. */
  resourceVersion: string;
  /** The token for the next page; undefined on the last page. */
  continue: string | undefined;
  remainingItemCount: number | undefined;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";

export interface WatchHandlers {
  /** Called synchronously per event, in order. Do not keep `object` mutable references around. */
  onEvent(type: WatchEventType, object: KubeObject): void;
  /**
   * The watch ended: undefined when the server closed it cleanly (resume from the last
   * resourceVersion), or a ClusterError — `expired` for a 410 ERROR event (relist).
   * Never called after `stop()`.
   */
  onClose(error: ClusterError | undefined): void;
}

export interface WatchOptions {
  namespace?: string;
  /** Asks the server to end the watch after this long (client-go picks 5-10 min at random). */
  timeoutSeconds?: number;
}

export interface WatchHandle {
  stop(): void;
}

interface ConnectionEvents {
  /** The circuit breaker changed state; "closed" after "open"/"half-open" means recovered. */
  breaker: [state: BreakerState, previous: BreakerState];
}

export class ClusterConnection extends EventEmitter<ConnectionEvents> {
  readonly name: string;
  readonly kubeConfig: KubeConfig;
  readonly breaker: CircuitBreaker;
  private readonly transport: ClusterTransport;
  private readonly limit: LimitFunction;
  private readonly watchIdleTimeoutMs: number;
  private readonly observer: BackendCallObserver;
  private readonly watches = new Set<WatchHandle>();
  /** Bodies handed out by openStream, ended with the connection. */
  private readonly streams = new Set<WatchHandle>();
  private closed = false;
  private failure: ClusterError | undefined;
  /** When the server last answered any request (epoch ms; 0: never). */
  private answeredAt = 0;
  /**
   * Until when (epoch ms) the server asked each identity not to call: a 429's Retry-After. The API
   * server's fairness throttles per user, and an impersonated request is the impersonated user's,
   * so one caller's wait never holds another's requests, nor the caches' (the gateway's own: "").
   * A request before then is answered at once as throttled, as the server would, without calling it.
   */
  private readonly throttledUntil = new Map<string, number>();

  private current: ClusterConfig;

  constructor(config: ClusterConfig, options: ClusterConnectionOptions = {}) {
    super();
    this.current = config;
    this.name = config.name;
    this.kubeConfig = buildKubeConfig(config);
    this.transport = new ClusterTransport(
      config.name,
      this.kubeConfig,
      config.server,
      config.maxConcurrentRequests,
    );
    this.limit = pLimit(Math.max(1, config.maxConcurrentRequests));
    this.watchIdleTimeoutMs = options.watchIdleTimeoutMs ?? 300_000;
    this.observer = options.observer ?? UNOBSERVED;
    this.breaker = new CircuitBreaker({
      cooldownMs: BREAKER_COOLDOWN_MS,
      ...options.breaker,
      onStateChange: (state, previous) => this.emit("breaker", state, previous),
    });
  }

  /** The cluster's settings (the newest description after a reload that kept the connection). */
  get config(): ClusterConfig {
    return this.current;
  }

  /**
   * Takes a new display name, labels and trustGatewayGrants. Only the registry calls this, and
   * only when server, TLS, auth and limits are unchanged (anything else needs a new connection).
   */
  describe(config: ClusterConfig): void {
    if (config.name !== this.name)
      throw new Error(`cannot describe ${this.name} with the settings of ${config.name}`);
    this.current = config;
  }

  /**
   * The last failure the breaker counted: the root cause behind "circuit breaker open", which is
   * all later requests would otherwise say while it stays open.
   */
  get lastFailure(): ClusterError | undefined {
    return this.failure;
  }

  /**
   * When the server last answered a request, any request (a list page, a 404): a health probe
   * that times out soon after is facing a slow server, not a missing one.
   */
  get lastAnswerAt(): number {
    return this.answeredAt;
  }

  /** Requests waiting for a slot of the concurrency limit. */
  get queued(): number {
    return this.limit.pendingCount;
  }

  /** A raw JSON GET (discovery, the generic resources path, STRONG reads). */
  async request<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    const body = await this.requestText(path, options);
    try {
      return JSON.parse(body) as T;
    } catch (cause) {
      throw new ClusterError("CLUSTER_ERROR", this.name, false, `GET ${path}: answer is not JSON`, { cause });
    }
  }

  /** A raw GET returning the body text (/readyz answers "ok"). */
  async requestText(path: string, options: RequestOptions = {}): Promise<string> {
    // Read per call: a reload may change trustGatewayGrants without reconnecting.
    const as = this.current.trustGatewayGrants ? undefined : options.impersonate;
    if (as === undefined)
      return this.run(options, "GET", path, (signal) => this.transport.get(path, signal, options.accept));
    const headers = impersonationHeaders(this.name, as);
    return this.run(options, "GET", path, async (signal) => {
      try {
        return await this.transport.get(path, signal, options.accept, headers);
      } catch (error) {
        throw error instanceof ClusterError ? impersonatedRefusal(this.name, path, as, error) : error;
      }
    });
  }

  /**
   * A write (PATCH, PUT, POST, DELETE with its DeleteOptions) of a JSON body, made on the caller's behalf like `request`; the
   * answer parsed as JSON. `verb` names the RBAC verb a refusal quotes ("patch", "update").
   */
  async write<T = unknown>(
    write: WriteRequest,
    path: string,
    verb: string,
    options: RequestOptions = {},
  ): Promise<T> {
    const as = this.current.trustGatewayGrants ? undefined : options.impersonate;
    const headers = as === undefined ? {} : impersonationHeaders(this.name, as);
    const body = await this.run(options, write.method, path, async (signal) => {
      try {
        return await this.transport.write(write, path, signal, headers);
      } catch (error) {
        if (as === undefined || !(error instanceof ClusterError)) throw error;
        throw impersonatedRefusal(this.name, path, as, error, verb);
      }
    });
    try {
      return JSON.parse(body) as T;
    } catch (cause) {
      throw new ClusterError(
        "CLUSTER_ERROR",
        this.name,
        false,
        `${write.method} ${path}: answer is not JSON`,
        {
          cause,
        },
      );
    }
  }

  /**
   * A long-lived GET whose body the caller reads and paces itself (a followed pod log), made on
   * the caller's behalf like `request` (a 403 then says what was denied). The deadline covers
   * the wait for the answer's headers only; afterwards `options.signal` or the handle's close()
   * ends it, and so does closing this connection.
   */
  async openStream(path: string, options: RequestOptions = {}): Promise<OpenBody> {
    const as = this.current.trustGatewayGrants ? undefined : options.impersonate;
    const headers = as === undefined ? {} : impersonationHeaders(this.name, as);
    const opened = await this.run(options, "GET", path, async (signal) => {
      try {
        return await this.transport.openBody(path, signal, options.accept ?? "*/*", headers);
      } catch (error) {
        if (as === undefined || !(error instanceof ClusterError)) throw error;
        throw impersonatedRefusal(this.name, path, as, error);
      }
    });
    const handle: WatchHandle = { stop: () => opened.close() };
    this.streams.add(handle);
    opened.body.once("close", () => this.streams.delete(handle));
    if (this.closed) opened.close();
    return opened;
  }

  async listPage(resource: ResourcePath, options: ListPageOptions = {}): Promise<ListPage> {
    const path = withQuery(collectionPath(resource, options.namespace), {
      limit: options.limit,
      continue: options.continue,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    });
    const list = await this.request<{
      items?: KubeObject[] | null;
      metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
    }>(path, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.impersonate ? { impersonate: options.impersonate } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs, timeoutIsSlowness: true } : {}),
    });
    return {
      items: list.items ?? [],
      resourceVersion: list.metadata?.resourceVersion ?? "",
      continue: list.metadata?.continue || undefined,
      remainingItemCount: list.metadata?.remainingItemCount,
    };
  }

  /**
   * Watches a kind from `resourceVersion` with bookmarks. Resolves once the server accepted the
   * watch; rejects with a ClusterError when it could not be opened (HTTP 410 included).
   */
  async watch(
    resource: ResourcePath,
    resourceVersion: string,
    handlers: WatchHandlers,
    options: WatchOptions = {},
  ): Promise<WatchHandle> {
    const path = withQuery(collectionPath(resource, options.namespace), {
      watch: true,
      allowWatchBookmarks: true,
      resourceVersion,
      timeoutSeconds: options.timeoutSeconds,
    });
    let stopped = false;
    // Events (and the end) may arrive before the stream promise settles: the body starts flowing
    // on the tick the headers arrive, a few microtasks before `await` returns.
    const opening: { stream?: OpenStream; closeWhenOpen?: boolean; handle?: WatchHandle } = {};
    const endStream = (): void => {
      if (opening.stream) opening.stream.close();
      else opening.closeWhenOpen = true;
    };
    const close = (error: ClusterError | undefined): void => {
      if (stopped) return;
      stopped = true;
      if (opening.handle) this.watches.delete(opening.handle);
      handlers.onClose(error);
    };
    const onLine = (line: string): void => {
      if (stopped) return;
      let event: { type?: string; object?: unknown };
      try {
        event = JSON.parse(line) as typeof event;
      } catch (cause) {
        // Report first: closing the stream ends it "cleanly" from the transport's point of view.
        close(
          new ClusterError("CLUSTER_ERROR", this.name, true, `unparseable watch event on ${path}`, { cause }),
        );
        endStream();
        return;
      }
      if (event.type === "ERROR") {
        close(this.watchError(event.object));
        endStream();
        return;
      }
      handlers.onEvent(event.type as WatchEventType, event.object as KubeObject);
    };
    const opened = await this.run({}, "GET", path, (signal) =>
      this.transport.stream(path, signal, this.watchIdleTimeoutMs, {
        onLine,
        onEnd: (error: unknown) => close(error === undefined ? undefined : toClusterError(this.name, error)),
      }),
    );
    opening.stream = opened;
    if (opening.closeWhenOpen) opened.close();
    const watch: WatchHandle = {
      stop: () => {
        stopped = true;
        this.watches.delete(watch);
        opened.close();
      },
    };
    opening.handle = watch;
    if (!stopped) this.watches.add(watch);
    return watch;
  }

  /** Ends every watch, open stream and idle socket; later requests fail with CLUSTER_UNAVAILABLE. */
  close(): void {
    this.closed = true;
    for (const watch of [...this.watches]) watch.stop();
    for (const stream of [...this.streams]) stream.stop();
    this.transport.close();
    this.removeAllListeners();
  }

  private watchError(object: unknown): ClusterError {
    const status = isKubeStatus(object) ? object : undefined;
    const code = status?.code ?? 500;
    const details = { httpStatus: code, ...(status?.reason !== undefined ? { reason: status.reason } : {}) };
    const message = `watch ERROR event: ${status?.message ?? "unknown"}`;
    if (code === 410) return new ClusterError("CLUSTER_ERROR", this.name, true, message, details);
    return new ClusterUnavailableError(this.name, message, details);
  }

  /**
   * Tells the observer of a request and its end, then runs it; counted first against the budget
   * of the operation it is made for (a refused call is never sent, nor observed).
   */
  private run<T>(
    options: RequestOptions,
    method: string,
    path: string,
    task: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const refused = spendUpstreamCall({ backend: "API server", cluster: this.name });
    if (refused) return Promise.reject(refused);
    const ended = this.observer.start({
      backend: "api-server",
      cluster: this.name,
      method,
      route: routeOf(method, path),
    });
    return this.guarded(options, task).then(
      (result) => {
        // A write's 2xx is not handed up by the transport; a GET that resolved had its 200.
        ended(method === "GET" ? { status: 200 } : {});
        return result;
      },
      (error: unknown) => {
        const typed = error instanceof ClusterError ? error : undefined;
        ended({
          ...(typed?.httpStatus !== undefined ? { status: typed.httpStatus } : {}),
          error: typed?.code ?? "CLUSTER_ERROR",
        });
        throw error;
      },
    );
  }

  /** deadline -> limit -> breaker -> task. */
  private guarded<T>(options: RequestOptions, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ClusterUnavailableError(this.name, "connection closed"));
    const retryAt = this.breaker.retryAt;
    if (retryAt !== undefined && retryAt > Date.now()) return Promise.reject(this.circuitOpen());
    const caller = this.callerOf(options);
    const throttledUntil = this.throttledUntil.get(caller);
    if (throttledUntil !== undefined) {
      if (throttledUntil > Date.now()) return Promise.reject(this.stillThrottled(throttledUntil));
      this.throttledUntil.delete(caller);
    }
    const timeoutMs = options.timeoutMs ?? this.config.requestTimeoutMs;
    const deadline = new AbortController();
    const timeout = new ClusterTimeoutError(this.name, timeoutMs);
    const timer = setTimeout(() => deadline.abort(timeout), timeoutMs);
    const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
    // The deadline covers the wait for a slot too: a caller is never kept past it.
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.abortReason(signal));
      signal.addEventListener("abort", onAbort, { once: true });
      this.limit(async () => {
        if (signal.aborted) throw this.abortReason(signal);
        if (!this.breaker.admit()) throw this.circuitOpen();
        try {
          const result = await task(signal);
          this.answeredAt = Date.now();
          this.breaker.success();
          return result;
        } catch (raw) {
          const error = signal.aborted ? this.abortReason(signal) : toClusterError(this.name, raw);
          this.record(error, signal, options.timeoutIsSlowness === true, caller);
          throw error;
        }
      })
        .then(resolve, reject)
        .finally(() => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
        });
    });
  }

  private record(error: ClusterError, signal: AbortSignal, timeoutIsSlowness: boolean, caller: string): void {
    // A 429 is a live server shedding load: opening the breaker would turn "slow down" into an
    // outage; callers wait out its Retry-After instead.
    if (error.throttled) {
      this.answeredAt = Date.now();
      this.breaker.success();
      if (error.retryAfterSeconds !== undefined) this.throttle(caller, error.retryAfterSeconds);
    } else if (error.code === "CLUSTER_TIMEOUT" && timeoutIsSlowness) this.breaker.release();
    else if (error.code === "CLUSTER_UNAVAILABLE" || error.code === "CLUSTER_TIMEOUT")
      this.countFailure(error);
    else if (error.httpStatus !== undefined) {
      this.answeredAt = Date.now();
      this.breaker.success(); // the server answered
    } else if (signal.aborted)
      this.breaker.release(); // cancelled by the caller: says nothing
    else this.countFailure(error);
  }

  private countFailure(error: ClusterError): void {
    // Kept before the breaker hears of it: opening emits "breaker", whose listeners log the cause.
    this.failure = error;
    this.breaker.failure();
  }

  private abortReason(signal: AbortSignal): ClusterError {
    const reason: unknown = signal.reason;
    if (reason instanceof ClusterError) return reason;
    return new ClusterError("CLUSTER_ERROR", this.name, true, "request cancelled", { cause: reason });
  }

  /** Whose requests these are as the API server sees them: the impersonated user, or the gateway. */
  private callerOf(options: RequestOptions): string {
    return this.current.trustGatewayGrants ? "" : (options.impersonate?.user ?? "");
  }

  private throttle(caller: string, retryAfterSeconds: number): void {
    const now = Date.now();
    // Waits end within a minute (Retry-After is capped): drop the ended ones as new ones come.
    if (this.throttledUntil.size >= 64)
      for (const [who, until] of this.throttledUntil) if (until <= now) this.throttledUntil.delete(who);
    const until = now + retryAfterSeconds * 1000;
    this.throttledUntil.set(caller, Math.max(this.throttledUntil.get(caller) ?? 0, until));
  }

  /** A request made while the server's Retry-After runs: throttled, with the seconds left. */
  private stillThrottled(until: number): ClusterUnavailableError {
    const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    return new ClusterUnavailableError(
      this.name,
      `the API server answered 429 Too Many Requests and asked not to be called again yet (retry after ${seconds} s)`,
      { httpStatus: 429, retryAfterSeconds: seconds },
    );
  }

  /** Says why the breaker opened: health.lastError and every failing answer show the root cause. */
  private circuitOpen(): ClusterUnavailableError {
    const retryAt = this.breaker.retryAt;
    const when = retryAt === undefined ? "" : `; next probe at ${new Date(retryAt).toISOString()}`;
    const cause = this.failure;
    const after = cause === undefined ? "" : ` after: ${cause.summary}`;
    return new ClusterUnavailableError(this.name, `circuit breaker open${after}${when}`, {
      ...(cause !== undefined ? { cause } : {}),
    });
  }
}

/**
 * A request's route for telemetry, with a bounded set of values: "list pods", "get
 * deployments.apps", "watch events" — never names or namespaces; "/readyz", "/apis/..." for
 * the rest (discovery and health paths, query strings dropped).
 */
function routeOf(method: string, path: string): string {
  const target = apiRequestTarget(path);
  if (target) return `${method === "GET" ? target.verb : method.toLowerCase()} ${target.resource}`;
  const query = path.indexOf("?");
  return query === -1 ? path : path.slice(0, query);
}
