/**
 * The real Prometheus (Debian's `prometheus`, installed by scripts/test.sh) scrapes two simulated
 * clusters: every target is up (so the exposition parses), the cluster label comes from the
 * scrape config, and PromQL's answers match the simulator's stores.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type SimFleet } from "../../sim/fleet.js";
import { findResource } from "../../sim/kinds.js";
import { EXPOSITION_CONTENT_TYPE } from "../../sim/metrics/exposition.js";
import { startPrometheus, type RunningPrometheus, type VectorSample } from "../support/prometheus.js";

const POD = findResource("", "pods")!;
const DEPLOYMENT = findResource("apps", "deployments")!;
let fleet: SimFleet;
let prometheus: RunningPrometheus;

function byCluster(samples: VectorSample[]): Record<string, number> {
  return Object.fromEntries(samples.map((s) => [s.metric.cluster ?? "", Number(s.value[1])]));
}

const query = (promql: string) => prometheus.query(promql);
const until = <T>(what: string, probe: () => Promise<T | undefined>) => prometheus.until(what, probe);

beforeAll(async () => {
  fleet = await startFleet({ clusters: 2, nodes: 2, pods: 30, seed: "metrics-prom", http: true });
  // The config comes from the admin endpoint, as a user of `fleetgraph sim` would fetch it.
  const config = await fetch(`${fleet.adminUrl}/prometheus.yml?interval=1s`);
  if (!config.ok) throw new Error(`GET /prometheus.yml: ${config.status} ${await config.text()}`);
  prometheus = await startPrometheus({ configYaml: await config.text() });
}, 25_000);

afterAll(async () => {
  await prometheus?.stop();
  await fleet?.stop();
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
