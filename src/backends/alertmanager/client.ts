/**
 * One Alertmanager's API v2 as the gateway asks it: the alerts (filtered by matchers, with or
 * without the silenced and inhibited ones) and its status. Every request passes, in order:
 *   deadline (timeoutMs, waiting for a slot included) -> concurrency limit -> circuit breaker -> GET.
 */
import type { PrometheusSettings } from "../../config/index.js";
import type { BackendCallObserver } from "../../telemetry/backend-call.js";
import type { BreakerState, CircuitBreakerOptions } from "../../fleet/circuit-breaker.js";
import { BearerAuth } from "../bearer-auth.js";
import { RequestGuard } from "../request-guard.js";
import { PrometheusTransport, type Answer } from "../prometheus/transport.js";
import { AnswerShapeError } from "../prometheus/samples.js";
import {
  alertmanagerAlerts,
  alertmanagerStatus,
  type AlertmanagerAlert,
  type AlertmanagerStatus,
} from "./answers.js";
import { AlertmanagerError, deadlineMissed, notAlertmanager, refusal, unreachable } from "./errors.js";

export type { AlertmanagerAlert, AlertmanagerStatus } from "./answers.js";

/** An Alertmanager is reached as a Prometheus is: URL, TLS, auth, deadline, concurrency. */
export type AlertmanagerEndpoint = Omit<PrometheusSettings, "clusterLabel">;

export interface AlertmanagerClientOptions {
  breaker?: CircuitBreakerOptions;
  now?: () => number;
  observer?: BackendCallObserver;
}

/** Which alerts GET /api/v2/alerts returns. */
export interface AlertQuery {
  /** Alertmanager matchers (`name="value"`), all of which an alert matches. */
  matchers: readonly string[];
  /** Include silenced and inhibited alerts (default true). */
  suppressed?: boolean;
}

const ALERTS_PATH = "/api/v2/alerts";
const STATUS_PATH = "/api/v2/status";

/** A matcher `name="value"` with the value quoted as Alertmanager's matcher parser reads it. */
export function equalityMatcher(name: string, value: string): string {
  return `${name}=${JSON.stringify(value)}`;
}

export class AlertmanagerClient {
  readonly backend: string;
  private readonly transport: PrometheusTransport;
  private readonly guard: RequestGuard;
  private readonly bearer: BearerAuth;
  private closed = false;

  constructor(
    private readonly endpoint: AlertmanagerEndpoint,
    options: AlertmanagerClientOptions = {},
  ) {
    this.transport = new PrometheusTransport(endpoint.url, endpoint.tls, endpoint.maxConcurrentRequests);
    this.backend = this.transport.backend;
    const now = options.now ?? Date.now;
    this.guard = new RequestGuard({
      timeoutMs: endpoint.timeoutMs,
      slots: endpoint.maxConcurrentRequests,
      now,
      ...(options.breaker ? { breaker: options.breaker } : {}),
      deadlineMissed: (wait) => deadlineMissed(this.backend, endpoint.timeoutMs, wait),
      circuitOpen: () => this.circuitOpen(),
      answered: (error) => error instanceof AlertmanagerError && error.code === "ALERTMANAGER_BAD_QUERY",
      ...(options.observer ? { observer: options.observer } : {}),
    });
    this.bearer = new BearerAuth(endpoint.auth, now);
  }

  /** Requests sent so far. */
  get requests(): number {
    return this.guard.requests;
  }

  get breakerState(): BreakerState {
    return this.guard.breaker.state;
  }

  /** The active alerts matching every matcher (silenced and inhibited ones too, unless told). */
  alerts(query: AlertQuery, signal?: AbortSignal): Promise<AlertmanagerAlert[]> {
    const suppressed = String(query.suppressed ?? true);
    const params = new URLSearchParams({ active: "true", silenced: suppressed, inhibited: suppressed });
    for (const matcher of query.matchers) params.append("filter", matcher);
    return this.get(ALERTS_PATH, params, signal, alertmanagerAlerts);
  }

  status(signal?: AbortSignal): Promise<AlertmanagerStatus> {
    return this.get(STATUS_PATH, new URLSearchParams(), signal, alertmanagerStatus);
  }

  close(): void {
    this.closed = true;
    this.transport.close();
  }

  private get<T>(
    path: string,
    params: URLSearchParams,
    callerSignal: AbortSignal | undefined,
    read: (parsed: unknown) => T,
  ): Promise<T> {
    if (this.closed)
      return Promise.reject(
        new AlertmanagerError(
          "ALERTMANAGER_UNAVAILABLE",
          this.backend,
          `Alertmanager at ${this.backend}: the client was closed (configuration reloaded)`,
          true,
        ),
      );
    return this.guard.run(callerSignal, {
      call: { backend: "alertmanager", method: "GET", route: path },
      prepare: () => this.authorization(),
      send: async (headers, { signal }) => {
        let answer: Answer;
        try {
          answer = await this.transport.get(path, params, headers, signal);
        } catch (error) {
          throw unreachable(this.backend, error);
        }
        if (answer.status < 200 || answer.status >= 300)
          throw refusal(this.backend, path, answer.status, answer.body);
        try {
          return read(JSON.parse(answer.body) as unknown);
        } catch (error) {
          const why = error instanceof AnswerShapeError ? error.message : "the body is not JSON";
          throw notAlertmanager(this.backend, path, answer.status, why);
        }
      },
    });
  }

  private authorization(): Promise<Record<string, string>> {
    return this.bearer.headers(
      (why) =>
        new AlertmanagerError(
          "ALERTMANAGER_UNAVAILABLE",
          this.backend,
          `Alertmanager at ${this.backend}: ${why}`,
          false,
        ),
    );
  }

  private circuitOpen(): AlertmanagerError {
    return new AlertmanagerError(
      "ALERTMANAGER_UNAVAILABLE",
      this.backend,
      `Alertmanager at ${this.backend} is not being asked: ${this.guard.openCircuitReason("request")}`,
      true,
      undefined,
      this.guard.lastFailure,
    );
  }
}
