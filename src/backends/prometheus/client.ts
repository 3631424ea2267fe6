/**
 * One Prometheus-compatible query API (Prometheus, Thanos Query, VictoriaMetrics) as the gateway
 * asks it. Every query passes, in order:
 *   deadline (timeoutMs, waiting for a slot included) -> concurrency limit -> circuit breaker -> POST.
 * Queries are POSTed form-encoded, as Prometheus documents for both endpoints: selectors with long
 * label regexes (one alternative per pod) would exceed URL length limits in a GET.
 */
import type { ClusterAuth, ClusterTls } from "../../config/index.js";
import type { BackendCallObserver } from "../../telemetry/backend-call.js";
import type { BreakerState, CircuitBreakerOptions } from "../../fleet/circuit-breaker.js";
import { BearerAuth } from "../bearer-auth.js";
import { RequestGuard } from "../request-guard.js";
import {
  PrometheusError,
  deadlineMissed,
  errorEnvelopeOf,
  notPrometheus,
  refusal,
  unreachable,
} from "./errors.js";
import {
  AnswerShapeError,
  matrixSeries,
  queryData,
  scalarSamples,
  vectorSamples,
  warningsOf,
  type InstantSample,
  type QueryData,
  type RangeSeries,
  type RangeWindow,
} from "./samples.js";
import { PrometheusTransport, type Answer } from "./transport.js";
import { activeAlerts, alertingRules, type AlertingRule, type RuleAlert } from "./rules.js";

export type { InstantSample, RangeSeries, RangeWindow } from "./samples.js";
export type { AlertingRule, RuleAlert } from "./rules.js";
export type { BreakerState } from "../../fleet/circuit-breaker.js";

export interface PrometheusEndpoint {
  /** http(s)://host:port, optionally with a path prefix, without a trailing slash. */
  url: string;
  tls: ClusterTls;
  auth: ClusterAuth;
  timeoutMs: number;
  maxConcurrentRequests: number;
}

export interface PrometheusClientOptions {
  breaker?: CircuitBreakerOptions;
  /** The clock of the breaker's cool-down and the token file's refresh (epoch ms). */
  now?: () => number;
  /** Warnings Prometheus attached to a successful answer (a partial answer, dropped series). */
  onWarnings?: (warnings: string[], query: string) => void;
  /** Told of every query (the gateway's telemetry). */
  observer?: BackendCallObserver;
}

const INSTANT_PATH = "/api/v1/query";
const RANGE_PATH = "/api/v1/query_range";
const RULES_PATH = "/api/v1/rules";
const ALERTS_PATH = "/api/v1/alerts";

export class PrometheusClient {
  /** The base URL without credentials, as errors name it. */
  readonly backend: string;
  private readonly transport: PrometheusTransport;
  private readonly guard: RequestGuard;
  private readonly bearer: BearerAuth;
  private readonly now: () => number;
  private closed = false;

  constructor(
    private readonly endpoint: PrometheusEndpoint,
    private readonly options: PrometheusClientOptions = {},
  ) {
    this.transport = new PrometheusTransport(endpoint.url, endpoint.tls, endpoint.maxConcurrentRequests);
    this.backend = this.transport.backend;
    this.now = options.now ?? Date.now;
    this.guard = new RequestGuard({
      timeoutMs: endpoint.timeoutMs,
      slots: endpoint.maxConcurrentRequests,
      now: this.now,
      ...(options.breaker ? { breaker: options.breaker } : {}),
      deadlineMissed: (wait) => deadlineMissed(this.backend, endpoint.timeoutMs, wait),
      circuitOpen: () => this.circuitOpen(),
      // It answered, and sensibly.
      answered: (error) => error instanceof PrometheusError && error.code === "PROMETHEUS_BAD_QUERY",
      ...(options.observer ? { observer: options.observer } : {}),
    });
    this.bearer = new BearerAuth(endpoint.auth, this.now);
  }

  /** Queries sent to Prometheus so far (refused ones included; those failed at once are not). */
  get queries(): number {
    return this.guard.requests;
  }

  get breakerState(): BreakerState {
    return this.guard.breaker.state;
  }

  /** Evaluates `query` at `time` (unix seconds; Prometheus's current time when left out). */
  async instant(query: string, time?: number, signal?: AbortSignal): Promise<InstantSample[]> {
    this.checkQuery(query);
    if (time !== undefined && !Number.isFinite(time))
      throw this.badInput(`the time ${time} is not a number of seconds`);
    const form = new URLSearchParams({ query });
    if (time !== undefined) form.set("time", String(time));
    return this.post(INSTANT_PATH, form, signal, (data) => {
      if (data.resultType === "vector") return vectorSamples(data.result);
      if (data.resultType === "scalar") return scalarSamples(data.result);
      throw this.badInput(
        `the query gives a ${data.resultType === "matrix" ? "range vector" : data.resultType}, but an instant query needs an instant vector or a scalar (drop the [range], or wrap it in a function such as rate())`,
      );
    });
  }

  /** Evaluates `query` at every step from `window.start` to `window.end`. */
  async range(query: string, window: RangeWindow, signal?: AbortSignal): Promise<RangeSeries[]> {
    this.checkQuery(query);
    const { start, end, step } = window;
    if (![start, end, step].every(Number.isFinite))
      throw this.badInput(
        `the window (start ${start}, end ${end}, step ${step}) must be finite numbers of seconds`,
      );
    if (step <= 0) throw this.badInput(`the step must be more than 0 seconds, not ${step}`);
    if (end < start) throw this.badInput(`the window ends (${end}) before it starts (${start})`);
    const form = new URLSearchParams({ query, start: String(start), end: String(end), step: String(step) });
    return this.post(RANGE_PATH, form, signal, (data) => {
      if (data.resultType === "matrix") return matrixSeries(data.result);
      throw new AnswerShapeError(`a range query answered with a ${data.resultType}`);
    });
  }

  /** The alerting rules Prometheus evaluates, with their health, last evaluation and alerts. */
  rules(signal?: AbortSignal): Promise<AlertingRule[]> {
    return this.getJson(RULES_PATH, new URLSearchParams({ type: "alert" }), signal, alertingRules);
  }

  /** Every pending and firing alert of Prometheus's rules. */
  alerts(signal?: AbortSignal): Promise<RuleAlert[]> {
    return this.getJson(ALERTS_PATH, new URLSearchParams(), signal, activeAlerts);
  }

  /** Destroys the keep-alive sockets; later queries fail with PROMETHEUS_UNAVAILABLE. */
  close(): void {
    this.closed = true;
    this.transport.close();
  }

  /** deadline -> limit -> breaker -> POST (request-guard.ts). */
  private post<T>(
    path: string,
    form: URLSearchParams,
    callerSignal: AbortSignal | undefined,
    read: (data: QueryData) => T,
  ): Promise<T> {
    if (this.closed)
      return Promise.reject(this.unavailable("the client was closed (configuration reloaded)", true));
    return this.guard.run(callerSignal, {
      call: { backend: "prometheus", method: "POST", route: path },
      prepare: () => this.authorization(),
      send: (headers, { signal, remainingMs }) => {
        // What is left of the deadline: Prometheus stops evaluating when the gateway stops waiting.
        form.set("timeout", `${remainingMs}ms`);
        return this.send(path, form, headers, signal, read);
      },
    });
  }

  /** deadline -> limit -> breaker -> GET, for the endpoints that are not queries. */
  private getJson<T>(
    path: string,
    query: URLSearchParams,
    callerSignal: AbortSignal | undefined,
    read: (envelope: unknown) => T,
  ): Promise<T> {
    if (this.closed)
      return Promise.reject(this.unavailable("the client was closed (configuration reloaded)", true));
    return this.guard.run(callerSignal, {
      call: { backend: "prometheus", method: "GET", route: path },
      prepare: () => this.authorization(),
      send: async (headers, { signal }) => {
        let answer: Answer;
        try {
          answer = await this.transport.get(path, query, headers, signal);
        } catch (error) {
          throw unreachable(this.backend, error);
        }
        try {
          return read(this.envelope(path, answer));
        } catch (error) {
          throw error instanceof AnswerShapeError
            ? notPrometheus(this.backend, path, answer.status, error.message)
            : error;
        }
      },
    });
  }

  private async send<T>(
    path: string,
    form: URLSearchParams,
    headers: Record<string, string>,
    signal: AbortSignal,
    read: (data: QueryData) => T,
  ): Promise<T> {
    let answer: Answer;
    try {
      answer = await this.transport.post(path, form, headers, signal);
    } catch (error) {
      throw unreachable(this.backend, error);
    }
    try {
      const envelope = this.envelope(path, answer);
      const result = read(queryData(envelope));
      const warnings = warningsOf(envelope);
      if (warnings.length > 0) this.options.onWarnings?.(warnings, form.get("query") ?? "");
      return result;
    } catch (error) {
      throw error instanceof AnswerShapeError
        ? notPrometheus(this.backend, path, answer.status, error.message)
        : error;
    }
  }

  private envelope(path: string, answer: Answer): unknown {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      parsed = undefined;
    }
    if (answer.status >= 200 && answer.status < 300) {
      if (parsed === undefined) throw new AnswerShapeError("the body is not JSON");
      return parsed;
    }
    throw refusal(this.backend, path, answer.status, errorEnvelopeOf(parsed), this.endpoint.timeoutMs);
  }

  private authorization(): Promise<Record<string, string>> {
    return this.bearer.headers((why) => this.unavailable(why, false));
  }

  private checkQuery(query: string): void {
    if (typeof query !== "string" || query.trim() === "") throw this.badInput("the query is empty");
  }

  private badInput(why: string): PrometheusError {
    return new PrometheusError(
      "PROMETHEUS_BAD_QUERY",
      this.backend,
      `Prometheus at ${this.backend}: ${why}`,
      {
        retryable: false,
      },
    );
  }

  private unavailable(why: string, retryable: boolean): PrometheusError {
    return new PrometheusError(
      "PROMETHEUS_UNAVAILABLE",
      this.backend,
      `Prometheus at ${this.backend}: ${why}`,
      {
        retryable,
      },
    );
  }

  /** Says why the breaker opened, so every answer while it is open shows the root cause. */
  private circuitOpen(): PrometheusError {
    const lastFailure = this.guard.lastFailure;
    return new PrometheusError(
      "PROMETHEUS_UNAVAILABLE",
      this.backend,
      `Prometheus at ${this.backend} is not being asked: ${this.guard.openCircuitReason("query")}`,
      { retryable: true, ...(lastFailure !== undefined ? { cause: lastFailure } : {}) },
    );
  }
}
