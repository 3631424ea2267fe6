/**
 * A real Prometheus for tests: Debian's `prometheus` binary (installed by scripts/test.sh) on a free
 * loopback port with its own scratch storage, started from the given prometheus.yml and awaited
 * until /-/ready. Its stderr is kept so a test's failure can say what Prometheus complained of.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { PrometheusError } from "../../src/backends/prometheus/errors.js";
import { freeLoopbackPort } from "../../src/free-port.js";

/** One series of an instant vector, as /api/v1/query writes it. */
export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One series of a range answer, as /api/v1/query_range writes it. */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export interface RunningPrometheus {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Everything Prometheus wrote to stderr so far. */
  readonly logs: () => string;
  /** An instant query through Prometheus's own HTTP API (GET), for expectations; at `time` (unix seconds) when given. */
  query(promql: string, time?: number): Promise<VectorSample[]>;
  /** A range query through /api/v1/query_range (GET), times in unix seconds. */
  queryRange(promql: string, window: { start: number; end: number; step: number }): Promise<MatrixSeries[]>;
  /** Polls `probe` until it returns a value; the timeout error carries the end of `logs()`. */
  until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  configYaml: string;
  /** More command-line flags (e.g. `--query.timeout=1s`). */
  args?: string[];
  readyTimeoutMs?: number;
}

/** A free loopback port (src/free-port.ts), under the name the tests use. */
export const freePort = freeLoopbackPort;

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), "fleetgraph-prom-"));
  await writeFile(join(dir, "prometheus.yml"), options.configYaml);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let stderr = "";
  const child = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
      ...(options.args ?? []),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let spawnError: Error | undefined;
  child.once("error", (error) => (spawnError = error));

  const until = async <T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs = 15_000,
  ): Promise<T> => {
    const start = Date.now();
    for (;;) {
      if (spawnError !== undefined)
        throw new Error(`cannot start prometheus (scripts/test.sh installs it): ${spawnError.message}`);
      if (child.exitCode !== null)
        throw new Error(
          `prometheus exited (${child.exitCode}) while waiting for ${what}\n${stderr.slice(-2000)}`,
        );
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch {
        // not yet: still starting, or the data not scraped yet
      }
      if (Date.now() - start > timeoutMs)
        throw new Error(`timed out waiting for ${what}\n${stderr.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const stop = async (): Promise<void> => {
    if (spawnError === undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await until(
      "Prometheus ready",
      async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      options.readyTimeoutMs ?? 20_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    logs: () => stderr,
    until,
    stop,
    query: (promql, time) =>
      apiGet<VectorSample[]>(url, "/api/v1/query", {
        query: promql,
        ...(time === undefined ? {} : { time: String(time) }),
      }),
    queryRange: (promql, { start, end, step }) =>
      apiGet<MatrixSeries[]>(url, "/api/v1/query_range", {
        query: promql,
        start: String(start),
        end: String(end),
        step: String(step),
      }),
  };
}

/** The `data.result` of a successful answer; Prometheus's own error otherwise. */
async function apiGet<T>(url: string, path: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(`${url}${path}?${new URLSearchParams(params).toString()}`);
  const body = (await res.json()) as { status: string; data?: { result: T }; error?: string };
  if (body.status !== "success" || body.data === undefined) throw new Error(`${params.query}: ${body.error}`);
  return body.data.result;
}

/** The PrometheusError `promise` rejects with (failing the test when it resolves or rejects otherwise). */
export async function prometheusFailure(promise: Promise<unknown>): Promise<PrometheusError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PrometheusError);
  return error as PrometheusError;
}
