/**
 * The log lines of a cluster connection's state changes: its circuit breaker opening and closing
 * and its health status. One line per transition, never per request: a cluster that stays down
 * re-opens its breaker after every failed half-open probe (each cool-down), and that is logged at
 * debug only, so a long outage is one warning and one recovery line.
 */
import type { Logger } from "pino";
import type { BreakerState } from "./circuit-breaker.js";
import type { ClusterConnection } from "./cluster-connection.js";
import type { ClusterHealth } from "./health.js";

/** Logs `connection`'s breaker transitions until the connection closes (which drops listeners). */
export function logBreakerTransitions(connection: ClusterConnection, logger: Logger): void {
  let openedAt: number | undefined;
  connection.on("breaker", (state: BreakerState, previous: BreakerState) => {
    const cluster = connection.name;
    if (state === "open" && previous === "closed") {
      openedAt = Date.now();
      const retryAt = connection.breaker.retryAt;
      logger.warn(
        {
          cluster,
          failures: connection.breaker.consecutiveFailures,
          cause: connection.lastFailure?.summary,
          retryInMs: retryAt === undefined ? undefined : retryAt - openedAt,
        },
        `cluster ${cluster}: circuit breaker open after: ${connection.lastFailure?.summary ?? "repeated failures"}`,
      );
    } else if (state === "closed") {
      const openForMs = openedAt === undefined ? undefined : Date.now() - openedAt;
      openedAt = undefined;
      logger.info(
        { cluster, openForMs },
        `cluster ${cluster}: circuit breaker closed: the cluster answers again`,
      );
    } else {
      // half-open (a probe goes out), or open again after a failed probe: the outage goes on.
      logger.debug({ cluster, state, previous, cause: connection.lastFailure?.summary }, "circuit breaker");
    }
  });
}

/** One line per change of a cluster's health status; UNREACHABLE and DEGRADED are warnings. */
export function logHealthChange(
  logger: Logger,
  cluster: string,
  health: ClusterHealth,
  previous: ClusterHealth,
): void {
  const fields = {
    cluster,
    status: health.status,
    previous: previous.status,
    latencyMs: health.latencyMs,
    ...(health.lastError ? { error: health.lastError.summary } : {}),
  };
  const message = `cluster ${cluster}: health ${previous.status} -> ${health.status}`;
  if (health.status === "UNREACHABLE" || health.status === "DEGRADED") logger.warn(fields, message);
  // A first probe that finds the cluster well is the start-up, not news.
  else if (previous.status === "UNKNOWN") logger.debug(fields, message);
  else logger.info(fields, message);
}
