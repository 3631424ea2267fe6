import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url).pathname;

interface ComposeService {
  depends_on?: unknown;
  image?: string;
  network_mode?: string;
  command?: string[];
  entrypoint?: string[];
  volumes?: string[];
  ports?: string[];
}

describe("docker-compose.yml", () => {
  const config = () =>
    parse(
      execFileSync("docker-compose", ["-f", "docker-compose.yml", "config"], { cwd: root, encoding: "utf8" }),
    ) as { services: Record<string, ComposeService> };
  const dependencies = (service: ComposeService): string[] =>
    (Array.isArray(service.depends_on)
      ? (service.depends_on as string[])
      : Object.keys(service.depends_on as object)
    ).sort();

  it("passes docker-compose config and runs the simulated fleet, Prometheus, the gateway and Redis", () => {
    const { services } = config();
    expect(Object.keys(services).sort()).toEqual(["gateway", "prometheus", "redis", "sim"]);
    expect(dependencies(services.gateway!)).toEqual(["prometheus", "redis", "sim"]);
    expect(dependencies(services.prometheus!)).toEqual(["sim"]);
  });

  it("has Prometheus scrape the simulator with the scrape config its admin endpoint serves", () => {
    const { services } = config();
    const sim = services.sim!;
    const adminPort = sim.command![sim.command!.indexOf("--admin-port") + 1];
    // Its metrics ports and API servers listen on 127.0.0.1: the others join its network.
    expect(services.prometheus!.network_mode).toBe("service:sim");
    expect(services.gateway!.network_mode).toBe("service:sim");
    expect(services.prometheus!.entrypoint!.join(" ")).toContain(
      `http://127.0.0.1:${adminPort}/prometheus.yml?interval=15s&label=cluster`,
    );
    expect(sim.ports).toEqual(expect.arrayContaining(["127.0.0.1:4000:4000/tcp", "127.0.0.1:9090:9090/tcp"]));
  });

  it("gives the gateway a config naming the simulator's clusters and that Prometheus", () => {
    const { services } = config();
    const gateway = services.gateway!;
    const configPath = gateway.command![gateway.command!.indexOf("--config") + 1];
    const mount = gateway.volumes!.find((v) => v.endsWith(`:${configPath}:ro`))!;
    expect(mount).toBeDefined();
    const file = parse(readFileSync(mount.split(":")[0]!, "utf8")) as {
      clusters: { name: string; kubeconfig: { path: string; context: string } }[];
      metrics: { prometheus: { url: string; clusterLabel: string } };
      logs: { elasticsearch: { url: string; clusterField: string } };
    };
    const sim = services.sim!;
    const kubeconfig = sim.command![sim.command!.indexOf("--kubeconfig-out") + 1];
    expect(sim.command![sim.command!.indexOf("--seed") + 1]).toBe("demo");
    expect(file.clusters.map((c) => c.name)).toEqual([
      "prod-ap-northeast-1",
      "prod-us-east-1",
      "prod-us-west-2",
    ]);
    for (const c of file.clusters) expect(c.kubeconfig).toEqual({ path: kubeconfig, context: c.name });
    expect(file.metrics.prometheus).toEqual({ url: "http://127.0.0.1:9090", clusterLabel: "cluster" });
    // The simulator's shared log store, on the port its command fixes.
    const storePort = sim.command![sim.command!.indexOf("--log-store-port") + 1];
    expect(sim.command).not.toContain("per-cluster");
    expect(file.logs.elasticsearch).toEqual({
      url: `http://127.0.0.1:${storePort}`,
      clusterField: "cluster",
    });
    expect(sim.ports).toEqual(expect.arrayContaining([`127.0.0.1:${storePort}:${storePort}/tcp`]));
  });
});

describe("package.json", () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
    engines: { node: string };
    devDependencies: Record<string, string>;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
  };

  it("runs on Node 24 through npm and declares the CLI", () => {
    expect(pkg.engines.node).toBe(">=22");
    expect(pkg.devDependencies.node).toMatch(/^\^?24\./);
    expect(process.versions.node.split(".")[0]).toBe("24");
    expect(pkg.bin.fleetgraph).toBe("bin/fleetgraph.mjs");
  });
});
