/**
 * The real Prometheus (Debian's `prometheus`, installed by scripts/test.sh) scrapes two simulated
 * clusters: every target is up (so the exposition parses), the cluster label comes from the
 * scrape config, and PromQL's answers match the simulator's stores.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { findResource } from "../../sim/kinds.js";
import { EXPOSITION_CONTENT_TYPE } from "../../sim/metrics/exposition.js";

const POD = findResource("", "pods")!;
const DEPLOYMENT = findResource("apps", "deployments")!;
let fleet: SimFleet;
let prometheus: ChildProcess | undefined;
let dir: string;
let api: string;
let stderr = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(promql: string): Promise<VectorSample[]> {
  const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: VectorSample[] }; error?: string };
  if (body.status !== "success") throw new Error(`${promql}: ${body.error}`);
  return body.data.result;
}

function byCluster(samples: VectorSample[]): Record<string, number> {
  return Object.fromEntries(samples.map((s) => [s.metric.cluster ?? "", Number(s.value[1])]));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet: Prometheus still starting
    }
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out waiting for ${what}\n${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  fleet = await startFleet({ clusters: 2, nodes: 2, pods: 30, seed: "metrics-prom", http: true });
  dir = await mkdtemp(join(tmpdir(), "fleetgraph-prom-"));
  // The config comes from the admin endpoint, as a user of `fleetgraph sim` would fetch it.
  const config = await fetch(`${fleet.adminUrl}/prometheus.yml?interval=1s`);
  if (!config.ok) throw new Error(`GET /prometheus.yml: ${config.status} ${await config.text()}`);
  await writeFile(join(dir, "prometheus.yml"), await config.text());
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  prometheus.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await until("Prometheus ready", async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined));
}, 25_000);

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((r) => prometheus!.once("exit", r));
    prometheus.kill("SIGTERM");
    await exited;
  }
  await fleet?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("Prometheus scraping the simulated fleet", () => {
  it("serves the exposition with its content type, and promtool finds nothing to lint but the real names", async () => {
    const res = await fetch(fleet.metricsUrl(fleet.clusters[0]!.name)!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(EXPOSITION_CONTENT_TYPE);
    const text = await res.text();
    const lint = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    // node-exporter's meminfo names are camelCase in the real exporter too; promtool says so of it.
    const complaints = (lint.stdout + lint.stderr)
      .split("\n")
      .filter(
        (line) =>
          line !== "" && !/^node_memory_\w+ metric names should be written in 'snake_case'/.test(line),
      );
    expect(complaints).toEqual([]);
  });

  it("refuses a malformed scrape interval or label name on /prometheus.yml", async () => {
    expect((await fetch(`${fleet.adminUrl}/prometheus.yml?interval=soon`)).status).toBe(400);
    expect((await fetch(`${fleet.adminUrl}/prometheus.yml?label=__name__`)).status).toBe(400);
    const custom = await (await fetch(`${fleet.adminUrl}/prometheus.yml?label=k8s_cluster`)).text();
    expect(custom).toContain(`{"k8s_cluster":"${fleet.clusters[0]!.name}"}`);
  });

  it("scrapes every cluster as one target, up, labelled by the scrape config", async () => {
    const up = await until("both targets scraped", async () => {
      const result = byCluster(await query("up"));
      return Object.keys(result).length === 2 ? result : undefined;
    });
    expect(up).toEqual(Object.fromEntries(fleet.clusters.map((c) => [c.name, 1])));
  });

  it("answers count(kube_pod_info) by (cluster) with the simulator's pod counts", async () => {
    const expected = Object.fromEntries(fleet.clusters.map((c) => [c.name, c.store.count(POD)]));
    const counts = await until("pod counts", async () => {
      const result = byCluster(await query("count(kube_pod_info) by (cluster)"));
      return Object.keys(result).length === 2 ? result : undefined;
    });
    expect(counts).toEqual(expected);
  });

  it("sees CPU counters grow: a positive rate for every running container", async () => {
    const running = Object.fromEntries(
      fleet.clusters.map((c) => [
        c.name,
        c.store.all(POD).reduce((n, p) => {
          const s = p.status as { phase?: string; containerStatuses?: unknown[] };
          return n + (s.phase === "Running" ? (s.containerStatuses?.length ?? 0) : 0);
        }, 0),
      ]),
    );
    const rates = await until("two scrapes for rate()", async () => {
      const result = byCluster(
        await query('count(rate(container_cpu_usage_seconds_total{container!=""}[5s]) > 0) by (cluster)'),
      );
      return Object.keys(result).length === 2 ? result : undefined;
    });
    expect(rates).toEqual(running);
  });

  it("follows the fleet: a scaled-up Deployment's new pods reach Prometheus", async () => {
    const c = fleet.clusters[0]!;
    const deployments = c.store.all(DEPLOYMENT).filter((d) => (d.spec as { replicas?: number }).replicas);
    const target = deployments[0]!;
    const { namespace, name } = target.metadata;
    const replicas = (target.spec as { replicas: number }).replicas + 3;
    c.store.update(DEPLOYMENT, { ...target, spec: { ...(target.spec as object), replicas } });
    c.controllers.runUntilIdle();
    const promql = `sum(kube_deployment_status_replicas_available{cluster="${c.name}",namespace="${namespace}",deployment="${name}"})`;
    const available = await until("the scaled Deployment scraped", async () => {
      const v = Number((await query(promql))[0]?.value[1]);
      return v === replicas ? v : undefined;
    });
    expect(available).toBe(replicas);
    // kube_pod_info comes from the same scrape as the Deployment's status: the store's pods now
    const counts = byCluster(await query("count(kube_pod_info) by (cluster)"));
    expect(counts[c.name]).toBe(c.store.count(POD));
  });
});
