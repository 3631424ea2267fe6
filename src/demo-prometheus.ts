/**
 * The demo's Prometheus: when the machine has a `prometheus` binary (Debian's package), the
 * built-in demo fleet gets one as a child process — a free port on 127.0.0.1, its storage in a
 * temporary directory, stopped and removed with the demo — so `npm start` answers metrics without
 * anything to configure. Without the binary the demo runs without metrics and says how to get
 * them. Knows nothing of the simulator: it is handed a ready scrape config.
 */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { Logger } from "pino";
import { freeLoopbackPort } from "./free-port.js";

export interface DemoPrometheusOptions {
  /** The prometheus.yml to run with (the simulator's scrape config of the demo fleet). */
  configYaml: string;
  logger: Logger;
  /** Where to look for the binary; default $PATH. */
  searchPath?: string;
  /** How long Prometheus may take to answer /-/ready; default 20 s. */
  readyTimeoutMs?: number;
}

export interface DemoPrometheus {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Debian's package name and binary: what the info line tells a user to install. */
export const PROMETHEUS_BINARY = "prometheus";

/** How much of Prometheus's stderr is kept to explain a failure. */
const STDERR_TAIL = 4000;

/** The first executable `name` on a PATH-style list of directories, like the shell would run. */
export function findExecutable(
  name: string,
  searchPath: string = process.env.PATH ?? "",
): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; the next directory
    }
  }
  return undefined;
}

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
  const dir = await mkdtemp(join(tmpdir(), "fleetgraph-demo-prometheus-"));
  const configFile = join(dir, "prometheus.yml");
  await writeFile(configFile, options.configYaml);
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      // A demo that runs for days should not fill the disk.
      "--storage.tsdb.retention.time=1d",
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  let spawnError: Error | undefined;
  child.once("error", (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopping = false;
  child.once("exit", (code, signal) => {
    if (!stopping)
      logger.warn(
        { code, signal, stderr: stderr.trim() },
        "the demo's Prometheus exited: metrics now answer PROMETHEUS_UNAVAILABLE",
      );
  });
  // A gateway that exits without stopping (an uncaught error) must not leave Prometheus behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async (): Promise<void> => {
    stopping = true;
    process.off("exit", killOnExit);
    if (spawnError === undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killed = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killed);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    const failure =
      spawnError?.message ??
      (child.exitCode !== null || child.signalCode !== null ? "it exited" : undefined) ??
      (Date.now() > deadline ? "it was not ready in time" : undefined);
    if (failure !== undefined) {
      stopping = true;
      logger.warn(
        { binary, stderr: stderr.trim() },
        `demo metrics are off: ${binary} would not start (${failure})`,
      );
      await stop();
      return undefined;
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, pid: child.pid!, stop };
}
