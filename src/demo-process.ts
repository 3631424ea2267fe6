/**
 * A child process of the built-in demo (Debian's `prometheus`, `prometheus-alertmanager`): its
 * files and storage in a temporary directory, a free port on 127.0.0.1, awaited until it answers
 * its ready path, stopped and its directory removed with the demo. What the demo's Prometheus and
 * Alertmanager share; each says what it runs with and what is off when it will not start.
 */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { Logger } from "pino";
import { freeLoopbackPort } from "./free-port.js";

export interface DemoProcessOptions {
  /** What the logs call it ("Prometheus"); also names its temporary directory. */
  title: string;
  /** The executable, as findExecutable found it. */
  binary: string;
  /** Files written into its directory before it starts (its config, rule files), by name. */
  files: Readonly<Record<string, string>>;
  /** Its command line, given its directory and the `127.0.0.1:<port>` it is to listen on. */
  args(dir: string, address: string): string[];
  /** The path that answers 200 once it serves. */
  readyPath: string;
  /** How long it may take to be ready; default 20 s. */
  readyTimeoutMs?: number;
  /** What the demo goes without when it will not start ("demo metrics are off"). */
  offWhenFailed: string;
  /** What answers differently once it has exited under the demo ("metrics now answer ..."). */
  afterExit: string;
  logger: Logger;
}

export interface DemoProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** 127.0.0.1:<port>, as Prometheus's configs name a target. */
  readonly address: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** How much of the child's stderr is kept to explain a failure. */
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
 * Starts the process and waits until it is ready. Undefined when it would not start (the reason
 * is logged): the demo then runs without what it serves.
 */
export async function startDemoProcess(options: DemoProcessOptions): Promise<DemoProcess | undefined> {
  const { logger, binary, title } = options;
  const dir = await mkdtemp(join(tmpdir(), `fleetgraph-demo-${title.toLowerCase()}-`));
  for (const [name, text] of Object.entries(options.files)) await writeFile(join(dir, name), text);
  const port = await freeLoopbackPort();
  const address = `127.0.0.1:${port}`;
  const url = `http://${address}`;
  const child = spawn(binary, options.args(dir, address), { stdio: ["ignore", "ignore", "pipe"] });
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
        `the demo's ${title} exited: ${options.afterExit}`,
      );
  });
  // A gateway that exits without stopping (an uncaught error) must not leave the child behind.
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
        `${options.offWhenFailed}: ${binary} would not start (${failure})`,
      );
      await stop();
      return undefined;
    }
    const ready = await fetch(`${url}${options.readyPath}`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, address, pid: child.pid!, stop };
}
