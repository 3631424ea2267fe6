/**
 * One child process of a benchmark run (simulator, gateway, peer, load generator, Prometheus):
 * node scripts started with the harness's own Node binary, other programs from PATH; its stdout
 * read line by line, the tail of its stderr kept for error messages, and stopped with SIGTERM
 * (SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The repository root: the nearest folder up with a package.json (works from bench/ and dist/bench/). */
export const ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

export class ChildFailedError extends Error {
  constructor(
    readonly child: string,
    message: string,
    readonly stderrTail: string,
  ) {
    super(`${child}: ${message}${stderrTail ? `\n--- last stderr of ${child} ---\n${stderrTail}` : ""}`);
    this.name = "ChildFailedError";
  }
}

interface CommonOptions {
  /** For messages: "simulator", "gateway", "passthrough", ... */
  name: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Called with every stderr chunk (the gateway's logs carry its sync timings). */
  onStderr?: (chunk: string) => void;
}

interface NodeScript extends CommonOptions {
  /** Script path relative to the repository root, e.g. dist/src/main.js. */
  script: string;
  /** Flags for node itself (--max-old-space-size=..., --expose-gc). */
  nodeFlags?: string[];
}

interface Program extends CommonOptions {
  /** A program that is not node, found on PATH (e.g. prometheus), run with `args`. */
  program: string;
}

export type ChildOptions = NodeScript | Program;

const STDERR_TAIL = 4000;

export class Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  private stderr = "";
  private spawnError: Error | undefined;
  private readonly lines: string[] = [];
  private readonly lineWaiters = new Set<() => void>();

  constructor(options: ChildOptions) {
    this.name = options.name;
    const [file, argv] =
      "program" in options
        ? [options.program, options.args ?? []]
        : [process.execPath, [...(options.nodeFlags ?? []), options.script, ...(options.args ?? [])]];
    this.process = spawn(file, argv, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.exited = new Promise((resolve) => {
      this.process.once("exit", (code) => resolve(code));
      // A program missing from PATH never starts and never exits: its error ends it instead.
      this.process.once("error", (error) => {
        this.spawnError = error;
        this.stderr += `cannot start ${file}: ${error.message}\n`;
        resolve(null);
      });
    });
    this.process.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
      options.onStderr?.(chunk);
    });
    createInterface({ input: this.process.stdout! }).on("line", (line) => {
      this.lines.push(line);
      for (const wake of [...this.lineWaiters]) wake();
    });
    void this.exited.then(() => {
      for (const wake of [...this.lineWaiters]) wake();
    });
  }

  get pid(): number {
    const pid = this.process.pid;
    if (pid === undefined) throw this.failure("did not start");
    return pid;
  }

  get running(): boolean {
    return (
      this.spawnError === undefined && this.process.exitCode === null && this.process.signalCode === null
    );
  }

  stdoutLines(): readonly string[] {
    return this.lines;
  }

  failure(message: string): ChildFailedError {
    return new ChildFailedError(this.name, message, this.stderr.trim());
  }

  /** The first stdout line matching `pattern`; rejects when the child exits or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const line = this.lines.find((l) => pattern.test(l));
        if (line !== undefined) return done(() => resolve(line));
        if (!this.running)
          done(() => reject(this.failure(`exited (code ${this.process.exitCode}) before ${pattern}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(this.failure(`no line matching ${pattern} within ${timeoutMs} ms`))),
        timeoutMs,
      );
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        this.lineWaiters.delete(check);
        settle();
      };
      this.lineWaiters.add(check);
      check();
    });
  }

  /** Resolves with the whole stdout once the child exits; rejects on a non-zero exit. */
  async output(timeoutMs: number): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.failure(`still running after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const code = await Promise.race([this.exited, timeout]);
      if (code !== 0) throw this.failure(`exited with code ${code}`);
      return this.lines.join("\n");
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM, then SIGKILL when it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.process.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.running) this.process.kill("SIGKILL");
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    await this.exited;
  }
}
