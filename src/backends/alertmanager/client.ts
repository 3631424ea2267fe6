/**
 * One Alertmanager's API v2 as the gateway asks it: the alerts (filtered by matchers, with or
 * without the silenced and inhibited ones), its status, and its silences (listed, read, created,
 * expired). Every request passes, in order:
 *   deadline (timeoutMs, waiting for a slot included) -> concurrency limit -> circuit breaker -> send.
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
  alertmanagerSilence,
  alertmanagerSilences,
  alertmanagerStatus,
  createdSilenceId,
  type AlertmanagerAlert,
  type AlertmanagerSilence,
  type AlertmanagerStatus,
  type PostableSilence,
} from "./answers.js";
import { AlertmanagerError, deadlineMissed, notAlertmanager, refusal, unreachable } from "./errors.js";

export type {
  AlertmanagerAlert,
  AlertmanagerSilence,
  AlertmanagerStatus,
  PostableSilence,
  SilenceMatcher,
} from "./answers.js";

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
const SILENCES_PATH = "/api/v2/silences";
/** One silence: GET reads it, DELETE expires it (Alertmanager keeps expired ones for its retention). */
const SILENCE_ROUTE = "/api/v2/silence/{id}";
const silencePath = (id: string) => `/api/v2/silence/${encodeURIComponent(id)}`;

type Method = "GET" | "POST" | "DELETE";

/**
 * How one request is sent and its answer read; `absent` answers a 404 (a silence that does not
 * exist), or another answer `isAbsent` recognises as one.
 */
interface Exchange<T> {
  method: Method;
  path: string;
  /** The route the telemetry is told (no ids in it). */
  route?: string;
  send: (headers: Record<string, string>, signal: AbortSignal) => Promise<Answer>;
  read: (parsed: unknown) => T;
  absent?: () => T;
  isAbsent?: (answer: Answer) => boolean;
}

/**
 * Alertmanager (0.25 at least) answers the expiry of an unknown silence 500 "silence not found"
 * rather than the 404 its API declares: told apart by that text, it is no failure of the backend.
 */
const unknownSilence = (answer: Answer): boolean =>
  answer.status === 500 && /silence not found/i.test(answer.body);

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

  /**
   * Every silence Alertmanager keeps (active, pending, and expired ones within its retention)
   * whose matchers include each of `matchers` (`name="value"`: Alertmanager's filter compares
   * matchers, it does not match labels).
   */
  silences(matchers: readonly string[] = [], signal?: AbortSignal): Promise<AlertmanagerSilence[]> {
    const params = new URLSearchParams();
    for (const matcher of matchers) params.append("filter", matcher);
    return this.get(SILENCES_PATH, params, signal, alertmanagerSilences);
  }

  /** One silence; undefined when Alertmanager has none of that id (404). */
  silence(id: string, signal?: AbortSignal): Promise<AlertmanagerSilence | undefined> {
    const path = silencePath(id);
    return this.exchange(signal, {
      method: "GET",
      path,
      route: SILENCE_ROUTE,
      send: (headers, s) => this.transport.get(path, new URLSearchParams(), headers, s),
      read: alertmanagerSilence,
      absent: () => undefined,
    });
  }

  /** Creates a silence; resolves with the id Alertmanager gave it. */
  createSilence(silence: PostableSilence, signal?: AbortSignal): Promise<string> {
    return this.exchange(signal, {
      method: "POST",
      path: SILENCES_PATH,
      send: (headers, s) => this.transport.postJson(SILENCES_PATH, silence, headers, s),
      read: createdSilenceId,
    });
  }

  /**
   * Expires a silence now (API v2's DELETE: the silence is kept, its endsAt set to now). False
   * when Alertmanager has none of that id (404).
   */
  expireSilence(id: string, signal?: AbortSignal): Promise<boolean> {
    const path = silencePath(id);
    return this.exchange(signal, {
      method: "DELETE",
      path,
      route: SILENCE_ROUTE,
      send: (headers, s) => this.transport.delete(path, headers, s),
      // Alertmanager answers an empty 200.
      read: () => true,
      absent: () => false,
      isAbsent: unknownSilence,
    });
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
    return this.exchange(callerSignal, {
      method: "GET",
      path,
      send: (headers, signal) => this.transport.get(path, params, headers, signal),
      read,
    });
  }

  private exchange<T>(callerSignal: AbortSignal | undefined, exchange: Exchange<T>): Promise<T> {
    const { method, path } = exchange;
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
      call: { backend: "alertmanager", method, route: exchange.route ?? path },
      prepare: () => this.authorization(),
      send: async (headers, { signal }) => {
        let answer: Answer;
        try {
          answer = await exchange.send(headers, signal);
        } catch (error) {
          throw unreachable(this.backend, error);
        }
        if (exchange.absent && (answer.status === 404 || exchange.isAbsent?.(answer) === true))
          return exchange.absent();
        if (answer.status < 200 || answer.status >= 300)
          throw refusal(this.backend, `${method} ${path}`, answer.status, answer.body);
        try {
          const body = answer.body.trim();
          return exchange.read(body === "" ? undefined : (JSON.parse(body) as unknown));
        } catch (error) {
          const why = error instanceof AnswerShapeError ? error.message : "the body is not JSON";
          throw notAlertmanager(this.backend, `${method} ${path}`, answer.status, why);
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
