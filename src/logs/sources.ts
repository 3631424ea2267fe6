/**
 * What the log services need of the log-store backends (src/backends/logstore): for each cluster,
 * its store and, when one store holds several clusters, the field that tells them apart.
 */
import type { LogSource } from "../backends/logstore/backends.js";
import type { LiveLogReader } from "./live-logs.js";

export type { LogSource };

export interface LogSources {
  /** Undefined: no log store is configured for the cluster. */
  forCluster(cluster: string): LogSource | undefined;
}

export const NO_LOG_STORES: LogSources = Object.freeze({ forCluster: () => undefined });

/** What every request's log searches share: the stores, and the API servers' pods/log. */
export interface LogsSetup {
  sources: LogSources;
  live?: LiveLogReader;
}

export const NO_LOGS: LogsSetup = Object.freeze({ sources: NO_LOG_STORES });
