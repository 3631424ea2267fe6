/**
 * The logs layer of the composition root: the log-store backends of the config in force (rebuilt
 * on reload, keeping the clients whose settings did not change) and the API servers' pods/log as
 * the live fallback. Requests read it through LogsSetup, so a reload is seen by the next one.
 */
import type { BackendCallObserver } from "../telemetry/backend-call.js";
import type { Logger } from "pino";
import { LogStoreBackends } from "../backends/logstore/backends.js";
import type { GatewayConfig } from "../config/index.js";
import type { LiveLogReader } from "../logs/live-logs.js";
import type { LogsSetup } from "../logs/sources.js";

export interface LogsLayer {
  readonly setup: LogsSetup;
  /** Requests sent to every log store so far (tests and benchmarks). */
  requests(): number;
  reload(config: GatewayConfig): void;
  stop(): Promise<void>;
}

export function startLogs(
  config: GatewayConfig,
  live: LiveLogReader,
  logger: Logger,
  observer?: BackendCallObserver,
): LogsLayer {
  let backends = LogStoreBackends.fromConfig(config, observer ? { observer } : {});
  const describe = (b: LogStoreBackends) =>
    b.configured ? "log store configured" : "no log store configured (pod logs from the API servers)";
  logger.info({ logs: describe(backends) }, `logs: ${describe(backends)}`);
  const setup: LogsSetup = {
    sources: { forCluster: (cluster) => backends.forCluster(cluster) },
    live,
  };
  return {
    setup,
    requests: () => backends.requests,
    reload(next) {
      backends = backends.reload(next);
    },
    stop: () => backends.close(),
  };
}
