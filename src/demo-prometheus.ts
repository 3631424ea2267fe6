/**
 * The demo's Prometheus: when the machine has a `prometheus` binary (Debian's package), the
 * built-in demo fleet gets one as a child process (src/demo-process.ts: a free port on 127.0.0.1,
 * its storage in a temporary directory, stopped and removed with the demo) so `npm start` answers
 * metrics — and evaluates the alert rules — without anything to configure. Without the binary the
 * demo runs without metrics and says how to get them. Knows nothing of the simulator: it is handed
 * a ready config.
 */
import { join } from "node:path";
import type { Logger } from "pino";
import { findExecutable, startDemoProcess, type DemoProcess } from "./demo-process.js";

export interface DemoPrometheusOptions {
  /** The prometheus.yml to run with (the simulator's scrape config of the demo fleet). */
  configYaml: string;
  /**
   * Files written beside prometheus.yml, by name: the config names them relative to itself
   * (`rule_files: [alert-rules.yml]`), which Prometheus resolves against the config's directory.
   */
  files?: Readonly<Record<string, string>>;
  logger: Logger;
  /** Where to look for the binary; default $PATH. */
  searchPath?: string;
  /** How long Prometheus may take to answer /-/ready; default 20 s. */
  readyTimeoutMs?: number;
}

export type DemoPrometheus = DemoProcess;

/** Debian's package name and binary: what the info line tells a user to install. */
export const PROMETHEUS_BINARY = "prometheus";

/**
 * Starts Prometheus and waits until it is ready. Undefined when there is no binary, or when it
 * would not start (the reason is logged): the demo then serves everything but metrics.
 */
export async function startDemoPrometheus(
  options: DemoPrometheusOptions,
): Promise<DemoPrometheus | undefined> {
  const { logger } = options;
  const binary = findExecutable(PROMETHEUS_BINARY, options.searchPath);
  if (binary === undefined) {
    logger.info(
      `demo metrics are off: no ${PROMETHEUS_BINARY} on the PATH. Install it (apt-get install prometheus) and restart to get them; ` +
        "a gateway over real clusters reads them from the Prometheus named by metrics.prometheus in its config (docs/metrics.md)",
    );
    return undefined;
  }
  return startDemoProcess({
    title: "Prometheus",
    binary,
    files: { ...options.files, "prometheus.yml": options.configYaml },
    args: (dir, address) => [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      // A demo that runs for days should not fill the disk.
      "--storage.tsdb.retention.time=1d",
      `--web.listen-address=${address}`,
      "--log.level=warn",
    ],
    readyPath: "/-/ready",
    ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    offWhenFailed: "demo metrics are off",
    afterExit: "metrics now answer PROMETHEUS_UNAVAILABLE",
    logger,
  });
}
