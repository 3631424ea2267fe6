/**
 * The gateway's life after start: reloads of the fleet configuration (SIGHUP, an edit of the
 * config file, or a call) and the ordered stop (drain HTTP, then caches and connections).
 */
import type { ApolloServer } from "@apollo/server";
import type { Logger } from "pino";
import { watchConfig, type ClusterDiff, type GatewayConfig } from "../config/index.js";
import type { FleetRegistry } from "../fleet/registry.js";
import type { Fleet } from "./fleet.js";
import type { GatewayContext } from "./graphql.js";

// Properties, not methods: the gateway hands them out unbound.
export interface Lifecycle {
  readonly config: () => GatewayConfig;
  readonly reload: (config: GatewayConfig) => ClusterDiff;
  readonly stop: () => Promise<void>;
  readonly stopping: () => boolean;
}

export interface LifecycleOptions {
  config: GatewayConfig;
  /** Closed first on stop: upgraded sockets (subscriptions) would hold the HTTP drain open. */
  sockets?: { close(): Promise<void> };
  fleet: Pick<Fleet, "stop"> & { registry: Pick<FleetRegistry, "replace" | "names"> };
  logger: Logger;
  /** Reload on SIGHUP and when the config's file changes. */
  watch: boolean;
  /** Told every config that took effect (the metrics backends follow it). */
  onReload?: (config: GatewayConfig) => void;
}

export function createLifecycle(
  options: LifecycleOptions,
): Lifecycle & { attach(apollo: ApolloServer<GatewayContext>): void } {
  const { fleet, logger } = options;
  let config = options.config;
  let apollo: ApolloServer<GatewayContext> | undefined;
  let stopping = false;

  const reload = (next: GatewayConfig): ClusterDiff => {
    const diff = fleet.registry.replace(next.clusters);
    config = { ...next, port: config.port };
    options.onReload?.(config);
    logger.info(
      {
        added: diff.added.map((c) => c.name),
        removed: diff.removed.map((c) => c.name),
        changed: diff.changed.map((c) => c.name),
        clusters: fleet.registry.names().length,
      },
      "configuration reloaded",
    );
    return diff;
  };
  const stopWatching = !options.watch
    ? () => {}
    : watchConfig(
        config,
        (next) => {
          try {
            reload(next);
          } catch (error) {
            logger.error(
              { err: error },
              "configuration reload failed part-way; the rest of the fleet is unchanged",
            );
          }
        },
        (error) => logger.error({ err: error }, `configuration not reloaded: ${error.message}`),
      );

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      logger.info("stopping: draining in-flight requests");
      stopWatching();
      await options.sockets?.close();
      // Apollo's drain plugin closes the listener, lets in-flight requests finish (up to the
      // grace period) and closes idle keep-alive connections.
      await apollo?.stop();
      await fleet.stop();
      logger.info("stopped");
    })();
    return stopped;
  };

  return {
    config: () => config,
    reload,
    stop,
    stopping: () => stopping,
    attach(server) {
      apollo = server;
    },
  };
}
