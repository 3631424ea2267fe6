import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url).pathname;

describe("docker-compose.yml", () => {
  it("passes docker-compose config and describes the gateway with Redis and Prometheus", () => {
    const out = execFileSync("docker-compose", ["-f", "docker-compose.yml", "config"], {
      cwd: root,
      encoding: "utf8",
    });
    const config = parse(out) as { services: Record<string, { depends_on?: unknown; image?: string }> };
    expect(Object.keys(config.services).sort()).toEqual(["gateway", "prometheus", "redis"]);
    const dependsOn = config.services.gateway!.depends_on;
    const deps = Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn as object);
    expect(deps.sort()).toEqual(["prometheus", "redis"]);
  });

  it("points Prometheus at a scrape config that exists", () => {
    const prom = parse(readFileSync(`${root}deploy/prometheus.yml`, "utf8")) as {
      scrape_configs: { job_name: string }[];
    };
    expect(prom.scrape_configs.map((s) => s.job_name)).toContain("fleetgraph");
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
