/**
 * The health probe of one cluster: GET /readyz, then /version, every `intervalMs` (more often
 * while the cluster is unreachable, so its return is noticed quickly). Probes go through the
 * connection like any request, so a probe is also what lets an open circuit breaker try again.
 * A probe that times out while the server still answers other requests (a busy server serving
 * the caches' list pages) finds it DEGRADED, not UNREACHABLE: slow is not gone.
 */
import type { ClusterConnection } from "./cluster-connection.js";
import type { ClusterError } from "./errors.js";
import { toClusterError } from "./errors.js";

/** UNKNOWN only until the first probe ends. */
export type HealthStatus = "READY" | "DEGRADED" | "UNREACHABLE" | "UNKNOWN";

export interface ClusterHealth {
  status: HealthStatus;
  lastProbeAt: Date | null;
  /** Round trip of the /readyz request of the last probe; null when it got no answer. */
  latencyMs: number | null;
  /** /version's gitVersion, kept from the last probe that got it. */
  kubernetesVersion: string | null;
  /** What made the last probe less than READY; null after a clean probe. */
  lastError: ClusterError | null;
  /** When `status` last changed. */
  since: Date;
}

export interface HealthProbeOptions {
  /** Between probes. Default 10 s. */
  intervalMs?: number;
  /** Between probes while UNREACHABLE. Default min(2 s, intervalMs). */
  unreachableIntervalMs?: number;
  /** A /readyz slower than this makes the cluster DEGRADED. Default 1 s. */
  slowMs?: number;
  /**
   * A probe that times out is DEGRADED when the server answered another request this recently.
   * Default max(30 s, 2 intervals).
   */
  answeredWithinMs?: number;
  onChange?: (health: ClusterHealth, previous: ClusterHealth) => void;
}

export class HealthProbe {
  private current: ClusterHealth;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight: Promise<ClusterHealth> | undefined;
  private readonly intervalMs: number;
  private readonly unreachableIntervalMs: number;
  private readonly slowMs: number;
  private readonly answeredWithinMs: number;

  constructor(
    private readonly connection: ClusterConnection,
    private readonly options: HealthProbeOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 10_000;
    this.unreachableIntervalMs = options.unreachableIntervalMs ?? Math.min(2000, this.intervalMs);
    this.slowMs = options.slowMs ?? 1000;
    this.answeredWithinMs = options.answeredWithinMs ?? Math.max(30_000, 2 * this.intervalMs);
    this.current = {
      status: "UNKNOWN",
      lastProbeAt: null,
      latencyMs: null,
      kubernetesVersion: null,
      lastError: null,
      since: new Date(),
    };
  }

  get health(): Readonly<ClusterHealth> {
    return this.current;
  }

  /** Probes now and then on the interval. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One probe (joined with the one in flight, if any). */
  probe(): Promise<ClusterHealth> {
    this.inFlight ??= this.measure().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async tick(): Promise<void> {
    await this.probe();
    if (!this.running) return;
    const delay = this.current.status === "UNREACHABLE" ? this.unreachableIntervalMs : this.intervalMs;
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }

  private async measure(): Promise<ClusterHealth> {
    const started = performance.now();
    let ready = false;
    let latencyMs: number | null = null;
    let error: ClusterError | null = null;
    try {
      const body = await this.connection.requestText("/readyz", { accept: "text/plain" });
      latencyMs = Math.round(performance.now() - started);
      ready = body.trim() === "ok";
    } catch (raw) {
      error = toClusterError(this.connection.name, raw);
      // An HTTP answer (a 500 listing failed checks, a 403) means reachable but not ready.
      if (error.httpStatus !== undefined) latencyMs = Math.round(performance.now() - started);
      else if (this.slowNotGone(error))
        return this.update("DEGRADED", null, this.current.kubernetesVersion, error);
      else return this.update("UNREACHABLE", null, this.current.kubernetesVersion, error);
    }
    let version = this.current.kubernetesVersion;
    try {
      const info = await this.connection.request<{ gitVersion?: string }>("/version");
      version = info.gitVersion ?? version;
    } catch (raw) {
      const versionError = toClusterError(this.connection.name, raw);
      if (versionError.httpStatus === undefined && !this.slowNotGone(versionError))
        return this.update("UNREACHABLE", latencyMs, version, versionError);
      error ??= versionError;
    }
    const slow = latencyMs !== null && latencyMs > this.slowMs;
    return this.update(ready && !slow && error === null ? "READY" : "DEGRADED", latencyMs, version, error);
  }

  private slowNotGone(error: ClusterError): boolean {
    if (error.code !== "CLUSTER_TIMEOUT") return false;
    const answered = this.connection.lastAnswerAt;
    return answered > 0 && Date.now() - answered <= this.answeredWithinMs;
  }

  private update(
    status: HealthStatus,
    latencyMs: number | null,
    kubernetesVersion: string | null,
    lastError: ClusterError | null,
  ): ClusterHealth {
    const previous = this.current;
    this.current = {
      status,
      lastProbeAt: new Date(),
      latencyMs,
      kubernetesVersion,
      lastError,
      since: status === previous.status ? previous.since : new Date(),
    };
    if (status !== previous.status) this.options.onChange?.(this.current, previous);
    return this.current;
  }
}
