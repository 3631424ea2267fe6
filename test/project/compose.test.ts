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

  const flag = (service: ComposeService, name: string): string => {
    const i = service.command!.indexOf(name);
    expect(i, `${name} in ${service.command!.join(" ")}`).toBeGreaterThanOrEqual(0);
    return service.command![i + 1]!;
  };
  const mountedFile = (service: ComposeService, target: string): string => {
    const mount = service.volumes!.find((v) => v.endsWith(`:${target}:ro`));
    expect(mount, `a read-only mount at ${target}`).toBeDefined();
    return mount!.split(":")[0]!;
  };

  it("passes docker-compose config and runs the fleet, the identity provider, Redis, Prometheus and the gateway", () => {
    const { services } = config();
    expect(Object.keys(services).sort()).toEqual(["gateway", "idp", "prometheus", "redis", "sim"]);
    expect(dependencies(services.gateway!)).toEqual(["idp", "prometheus", "redis", "sim"]);
    for (const name of ["idp", "prometheus", "redis"]) expect(dependencies(services[name]!)).toEqual(["sim"]);
    // The simulator listens on 127.0.0.1: everyone joins its network namespace, which publishes
    // the gateway, the identity provider and Prometheus.
    for (const name of ["gateway", "idp", "prometheus", "redis"])
      expect(services[name]!.network_mode).toBe("service:sim");
    expect(services.sim!.ports).toEqual(
      expect.arrayContaining([
        "127.0.0.1:4000:4000/tcp",
        "127.0.0.1:4001:4001/tcp",
        "127.0.0.1:9090:9090/tcp",
      ]),
    );
    expect(services.gateway!.image).toBe(services.sim!.image);
    expect(services.idp!.image).toBe(services.sim!.image);
  });

  it("has Prometheus find the simulator through its admin endpoint and scrape the gateway's /metrics", () => {
    const { services } = config();
    const prometheus = services.prometheus!;
    const configFile = prometheus.command!.find((a) => a.startsWith("--config.file="))!.split("=")[1]!;
    const file = parse(readFileSync(mountedFile(prometheus, configFile), "utf8")) as {
      scrape_configs: {
        job_name: string;
        http_sd_configs?: { url: string }[];
        static_configs?: { targets: string[] }[];
        metrics_path?: string;
      }[];
    };
    const jobs = Object.fromEntries(file.scrape_configs.map((j) => [j.job_name, j]));
    expect(jobs["fleetgraph-sim"]!.http_sd_configs![0]!.url).toBe(
      `http://127.0.0.1:${flag(services.sim!, "--admin-port")}/targets.json?label=cluster`,
    );
    const gatewayConfig = parse(
      readFileSync(mountedFile(services.gateway!, flag(services.gateway!, "--config")), "utf8"),
    ) as { port: number };
    expect(jobs["fleetgraph-gateway"]!.static_configs![0]!.targets).toEqual([
      `127.0.0.1:${gatewayConfig.port}`,
    ]);
    expect(jobs["fleetgraph-gateway"]!.metrics_path ?? "/metrics").toBe("/metrics");
  });

  it("gives the gateway a config naming the simulator's clusters, Prometheus, the log store, the provider and Redis", () => {
    const { services } = config();
    const { gateway, sim, idp, redis } = services;
    const file = parse(readFileSync(mountedFile(gateway!, flag(gateway!, "--config")), "utf8")) as {
      port: number;
      clusters: { name: string; kubeconfig: { path: string; context: string } }[];
      metrics: { prometheus: { url: string; clusterLabel: string } };
      logs: { elasticsearch: { url: string; clusterField: string } };
      auth: { publicUrl: string; oidc: { issuer: string; clientId: string }; redis: { url: string } };
    };
    const kubeconfig = flag(sim!, "--kubeconfig-out");
    expect(flag(sim!, "--seed")).toBe("demo");
    // The gateway reads the fleet as a member cluster lets it: read and impersonate, nothing more.
    expect(flag(sim!, "--kubeconfig-user")).toBe("fleetgraph-gateway");
    expect(file.clusters.map((c) => c.name)).toEqual([
      "prod-ap-northeast-1",
      "prod-us-east-1",
      "prod-us-west-2",
    ]);
    for (const c of file.clusters) expect(c.kubeconfig).toEqual({ path: kubeconfig, context: c.name });
    expect(gateway!.volumes).toContain(`fleet:${kubeconfig.slice(0, kubeconfig.lastIndexOf("/"))}:ro`);
    expect(file.metrics.prometheus).toEqual({ url: "http://127.0.0.1:9090", clusterLabel: "cluster" });
    expect(sim!.command).not.toContain("per-cluster");
    expect(file.logs.elasticsearch).toEqual({
      url: `http://127.0.0.1:${flag(sim!, "--log-store-port")}`,
      clusterField: "cluster",
    });
    // The provider's issuer and redirect are the gateway's, and both are published on the host.
    expect(file.auth.oidc.issuer).toBe(flag(idp!, "--issuer"));
    expect(file.auth.oidc.issuer).toBe(`http://127.0.0.1:${flag(idp!, "--port")}`);
    expect(file.auth.publicUrl).toBe(flag(idp!, "--gateway"));
    expect(file.auth.publicUrl).toBe(`http://localhost:${file.port}`);
    expect(file.auth.redis.url).toBe(`redis://127.0.0.1:${flag(redis!, "--port")}/0`);
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync(`${root}Dockerfile`, "utf8");
  const instructions = dockerfile
    .split("\n")
    .filter((l) => /^[A-Z]+\s/.test(l))
    .map((l) => l.trim());
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const last = stages.at(-1)!;

  it("builds on Node 24 in two stages and runs the compiled CLI's serve as a non-root user", () => {
    expect(stages).toHaveLength(2);
    for (const stage of stages) expect(stage).toMatch(/^node:24[-.\w]*/);
    expect(stages[0]).toMatch(/RUN npm ci\b/);
    expect(stages[0]).toMatch(/npm run build/);
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
    const user = instructions.filter((i) => i.startsWith("USER ")).at(-1);
    expect(user).toBeDefined();
    expect(["USER root", "USER 0"]).not.toContain(user);
    expect(last).toMatch(/^EXPOSE 4000$/m);
    expect(last).toMatch(/^ENTRYPOINT \["node", "dist\/src\/main\.js"\]$/m);
    expect(last).toMatch(/^CMD \["serve"\]$/m);
    // Kubernetes probes /livez and /readyz; compose has its own healthchecks.
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
    // Only production dependencies and the build reach the last stage.
    expect(last).not.toMatch(/npm (ci|install)/);
    expect(last).toMatch(/COPY --from=build \/app\/dist/);
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
