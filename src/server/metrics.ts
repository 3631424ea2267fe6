/**
 * The metrics layer of the composition root: the Prometheus backends of the config in force
 * (rebuilt on reload, keeping the clients whose settings did not change) and the range cache in
 * the shared store. Requests read it through MetricsSetup, so a reload is seen by the next one.
 */
import type { BackendCallObserver } from "../telemetry/backend-call.js";
import type { Logger } from "pino";
import { PrometheusBackends } from "../backends/prometheus/backends.js";
import type { GatewayConfig } from "../config/index.js";
import { RangeCache } from "../metrics/range-cache.js";
import type { MetricsSetup } from "../metrics/sources.js";
import { MemoryStore } from "../store/memory-store.js";
import type { SharedStore } from "../store/shared-store.js";

export interface MetricsLayer {
  readonly setup: MetricsSetup;
  /** The Prometheus backends in force (the alerts layer asks their rules API). */
  backends(): PrometheusBackends;
  /** Queries sent to every Prometheus so far (tests and benchmarks). */
  queries(): number;
  reload(config: GatewayConfig): void;
  /** Range answers go to `store` from now on (the shared store, once identity has made it). */
  useStore(store: SharedStore): void;
  stop(): void;
}

export function startMetrics(
  config: GatewayConfig,
  logger: Logger,
  observer?: BackendCallObserver,
): MetricsLayer {
  let backends = PrometheusBackends.fromConfig(config, observer ? { observer } : {});
  const describe = (b: PrometheusBackends) =>
    b.configured ? "Prometheus configured" : "no Prometheus configured";
  logger.info({ metrics: describe(backends) }, `metrics: ${describe(backends)}`);
  const setup: { sources: MetricsSetup["sources"]; rangeCache: RangeCache } = {
    sources: { forCluster: (cluster) => backends.forCluster(cluster) },
    rangeCache: new RangeCache(new MemoryStore()),
  };
  return {
    setup,
    backends: () => backends,
    queries: () => backends.queries,
    reload(next) {
      backends = backends.reload(next);
    },
    useStore(store) {
      setup.rangeCache = new RangeCache(store);
    },
    stop() {
      backends.close();
    },
  };
}
