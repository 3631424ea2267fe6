/**
 * The demo as `npm start` serves it, for the demo's tests: the built CLI's `fleetgraph serve`
 * spawned with nothing configured (no kubeconfig, no config file, a scratch HOME), its output
 * kept, and every process it started stopped with SIGTERM at the end — a gateway killed outright
 * would leave its Prometheus and Alertmanager running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/built-cli.js";

export interface DemoRun {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The exit code. */
  readonly exited: Promise<number | null>;
}

export interface DemoServeFixture {
  /** Someone with no kubeconfig and no fleetgraph config; `path` replaces $PATH when given. */
  env(path?: string): NodeJS.ProcessEnv;
  /**
   * `fleetgraph <args>` from the build; with `terminal`, in a process group of its own, as a shell
   * runs a command, so that `process.kill(-pid, "SIGINT")` is the Ctrl-C a terminal sends.
   */
  run(args: string[], env: NodeJS.ProcessEnv, options?: { terminal?: boolean }): DemoRun;
  /** SIGTERM to every process still running (SIGKILL after 15 s), the scratch HOME removed. */
  stop(): Promise<void>;
}

export async function demoServeFixture(): Promise<DemoServeFixture> {
  const home = await mkdtemp(join(tmpdir(), "fleetgraph-home-"));
  const children: ChildProcess[] = [];
  return {
    env(path) {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
      delete env.KUBECONFIG;
      delete env.FLEETGRAPH_CONFIG;
      delete env.LOG_LEVEL;
      delete env.NODE_ENV;
      if (path !== undefined) env.PATH = path;
      return env;
    },
    run(args, env, options) {
      const child = spawn(process.execPath, ["dist/src/main.js", ...args], {
        cwd: ROOT,
        env,
        detached: options?.terminal === true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      return { child, stdout: () => stdout, stderr: () => stderr, exited };
    },
    async stop() {
      const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
      for (const child of running) child.kill("SIGTERM");
      await Promise.all(
        running.map(
          (child) =>
            new Promise<void>((resolve) => {
              const killed = setTimeout(() => {
                child.kill("SIGKILL");
                resolve();
              }, 15_000);
              child.once("exit", () => {
                clearTimeout(killed);
                resolve();
              });
            }),
        ),
      );
      await rm(home, { recursive: true, force: true });
    },
  };
}

export interface Answer<D> {
  data?: D;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { warnings?: { code: string; cluster?: string }[] };
}

/** One GraphQL operation over HTTP, as a client sends it. */
export async function query<D>(
  url: string,
  text: string,
  token?: string,
  variables?: Record<string, unknown>,
): Promise<Answer<D>> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: text, ...(variables ? { variables } : {}) }),
  });
  return (await response.json()) as Answer<D>;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
