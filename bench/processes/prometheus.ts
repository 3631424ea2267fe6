/**
 * A real Prometheus for the metrics scenario: Debian's `prometheus` (scripts/test.sh installs it)
 * on a free loopback port, its storage in the run's scratch folder, scraping the simulated fleet
 * with the scrape config the simulator's admin endpoint writes. Awaited until /-/ready, then
 * until rate() has data for every cluster, since the gateway's CPU figures are rates.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, getJson, getText, waitUntil } from "../http-client.js";
import { Child } from "./child.js";

export interface PrometheusOptions {
  /** The simulator's admin endpoint, which writes a prometheus.yml scraping every cluster. */
  simulatorAdmin: string;
  /** Prometheus duration, e.g. "5s". */
  scrapeInterval: string;
  /** Where its config and storage go. */
  dir: string;
}

interface ApiAnswer<T> {
  status: string;
  data: T;
  error?: string;
}

export class BenchPrometheus {
  private constructor(
    readonly child: Child,
    /** http://127.0.0.1:<port> */
    readonly url: string,
  ) {}

  static async start(options: PrometheusOptions): Promise<BenchPrometheus> {
    const dir = join(options.dir, "prometheus");
    await mkdir(dir, { recursive: true });
    const config = await getText(
      `${options.simulatorAdmin}/prometheus.yml?interval=${encodeURIComponent(options.scrapeInterval)}`,
    );
    await writeFile(join(dir, "prometheus.yml"), config);
    const port = await freePort();
    const child = new Child({
      name: "prometheus",
      program: "prometheus",
      args: [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
    });
    const prometheus = new BenchPrometheus(child, `http://127.0.0.1:${port}`);
    try {
      await waitUntil(
        async () => (await fetch(`${prometheus.url}/-/ready`).catch(() => undefined))?.ok === true,
        {
          timeoutMs: 60_000,
          intervalMs: 100,
          stillAlive: () => child.running,
          what: "prometheus /-/ready",
        },
      );
    } catch (error) {
      await child.stop(2000);
      throw child.failure((error as Error).message);
    }
    return prometheus;
  }

  get pid(): number {
    return this.child.pid;
  }

  /** An instant query through Prometheus's own API: the harness's checks, never measured. */
  async query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const answer = await getJson<
      ApiAnswer<{ result: { metric: Record<string, string>; value: [number, string] }[] }>
    >(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    if (answer.status !== "success") throw this.child.failure(`${promql}: ${answer.error}`);
    return answer.data.result;
  }

  /**
   * Until every cluster has a CPU rate: rate() needs two scrapes of a counter, so the first
   * answers after about two scrape intervals. `clusterLabel` is the scrape config's target label.
   */
  async waitForRates(clusters: readonly string[], clusterLabel: string, timeoutMs = 120_000): Promise<void> {
    const promql = `count by (${clusterLabel}) (rate(container_cpu_usage_seconds_total[5m]))`;
    try {
      await waitUntil(
        async () => {
          const found = new Set((await this.query(promql)).map((s) => s.metric[clusterLabel]));
          return clusters.every((c) => found.has(c));
        },
        {
          timeoutMs,
          intervalMs: 500,
          stillAlive: () => this.child.running,
          what: "CPU rates of every cluster",
        },
      );
    } catch (error) {
      throw this.child.failure((error as Error).message);
    }
  }

  /** Its version and the series in its head block, for the result's method. */
  async describe(): Promise<{ version: string; series: number }> {
    const build = await getJson<ApiAnswer<{ version: string }>>(`${this.url}/api/v1/status/buildinfo`);
    const tsdb = await getJson<ApiAnswer<{ headStats: { numSeries: number } }>>(
      `${this.url}/api/v1/status/tsdb`,
    );
    return { version: build.data.version, series: tsdb.data.headStats.numSeries };
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
