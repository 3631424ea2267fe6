/**
 * What the log services need of the log-store backends (src/backends/logstore): for each cluster,
 * its store and, when one store holds several clusters, the field that tells them apart.
 */
import type { LogSource } from "../backends/logstore/backends.js";

export type { LogSource };

export interface LogSources {
  /** Undefined: no log store is configured for the cluster. */
  forCluster(cluster: string): LogSource | undefined;
}

export const NO_LOG_STORES: LogSources = Object.freeze({ forCluster: () => undefined });
