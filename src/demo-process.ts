/**
 * A child process of the built-in demo (Debian's `prometheus`, `prometheus-alertmanager`): its
 * files and storage in a temporary directory, a free port on 127.0.0.1, awaited until it answers
 * its ready path, stopped and its directory removed with the demo. What the demo's Prometheus and
 * Alertmanager share; each says what it runs with and what is off when it will not start.
 *
 * A gateway that dies without stopping it (SIGKILL, a crash, Ctrl-C while it starts) must not
 * leave it running: on Linux it is started through util-linux's `setpriv --pdeathsig KILL`, so
 * the kernel kills it with the gateway, and the next demo removes the directories such gateways
 * left behind. It then runs in a process group of its own, so a Ctrl-C at the terminal reaches
 * the gateway only, which stops it in order rather than watching it exit under the demo.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
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
  /** Picks the port to listen on; default a free one on 127.0.0.1 (tests hand out a taken one). */
  port?: () => Promise<number>;
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

/** The start of every demo process's temporary directory name. */
const DIR_PREFIX = "fleetgraph-demo-";

/** In each directory: the pid of the gateway that made it, so a later demo knows whose it is. */
const OWNER_FILE = "gateway.pid";

/**
 * Tries on a fresh port when the child could not bind the one picked (another process took it
 * between the pick and the bind).
 */
const PORT_ATTEMPTS = 3;

/** Where `setpriv` is looked for besides the PATH (it is a system tool, the PATH may be narrow). */
const SYSTEM_BIN = ["/usr/bin", "/bin"].join(delimiter);

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
  await removeOrphanedDemoDirs(options.logger);
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce(options);
    if (started.process !== undefined) return started.process;
    const portTaken = /address already in use/i.test(started.stderr);
    if (!portTaken || attempt === PORT_ATTEMPTS) {
      options.logger.warn(
        { binary: options.binary, stderr: started.stderr.trim() },
        `${options.offWhenFailed}: ${options.binary} would not start (${started.failure})`,
      );
      return undefined;
    }
    options.logger.debug({ attempt }, `the demo's ${options.title}'s port was taken: another port`);
  }
}

interface StartAttempt {
  process?: DemoProcess;
  failure?: string;
  stderr: string;
}

/**
 * How to run `binary` so that it dies with this process: through setpriv (Linux), then in a
 * process group of its own. Without setpriv it stays in the gateway's group, where a Ctrl-C
 * during the start (before the gateway handles signals) still reaches it.
 */
function spawnPlan(binary: string, args: string[]): { command: string; args: string[]; ownGroup: boolean } {
  const setpriv =
    process.platform === "linux"
      ? findExecutable("setpriv", [process.env.PATH ?? "", SYSTEM_BIN].join(delimiter))
      : undefined;
  return setpriv === undefined
    ? { command: binary, args, ownGroup: false }
    : { command: setpriv, args: ["--pdeathsig", "KILL", "--", binary, ...args], ownGroup: true };
}

async function startOnce(options: DemoProcessOptions): Promise<StartAttempt> {
  const dir = await mkdtemp(join(tmpdir(), `${DIR_PREFIX}${options.title.toLowerCase()}-`));
  try {
    await writeFile(join(dir, OWNER_FILE), String(process.pid));
    for (const [name, text] of Object.entries(options.files)) await writeFile(join(dir, name), text);
    const port = await (options.port ?? freeLoopbackPort)();
    const address = `127.0.0.1:${port}`;
    const plan = spawnPlan(options.binary, options.args(dir, address));
    const child = spawn(plan.command, plan.args, {
      stdio: ["ignore", "ignore", "pipe"],
      detached: plan.ownGroup,
    });
    return await awaitReady(options, child, dir, address);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function awaitReady(
  options: DemoProcessOptions,
  child: ChildProcess,
  dir: string,
  address: string,
): Promise<StartAttempt> {
  const { logger, title } = options;
  const url = `http://${address}`;
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
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
      await stop();
      return { failure, stderr };
    }
    // Bounded: a process that accepts but never answers must not hold the start past the deadline.
    const ready = await fetch(`${url}${options.readyPath}`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { process: { url, address, pid: child.pid!, stop }, stderr };
}

/**
 * The directories of demo processes whose gateway died without removing them (their process
 * died with it): the ones whose owner is no longer running. A directory without an owner file is
 * being made, or is not ours: left alone.
 */
export async function removeOrphanedDemoDirs(logger: Logger): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const owner = Number(await readFile(join(dir, OWNER_FILE), "utf8").catch(() => ""));
    if (!Number.isInteger(owner) || owner <= 0 || isRunning(owner)) continue;
    await rm(dir, { recursive: true, force: true }).then(
      () => logger.debug({ dir, owner }, "removed a demo directory its stopped gateway left behind"),
      () => {},
    );
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: running, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
