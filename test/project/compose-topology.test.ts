/**
 * docker-compose.yml as processes: no Docker engine runs here, so the services `docker-compose
 * config` resolves are started with the same commands and the same config files — the image's
 * `node dist/src/main.js <command>`, Debian's redis-server and prometheus — in a network and
 * mount namespace of their own (unshare), where they share one loopback as `network_mode:
 * service:sim` makes them and see their volumes at the containers' paths. Then the README's first
 * query is asked as the README asks it: log in as admin, POST the query with the token.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildCli, ROOT } from "../support/built-cli.js";
import type { Plan, PlannedService } from "../support/compose-runner.js";

interface ComposeService {
  image: string;
  command: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const scratch = mkdtempSync(join(tmpdir(), "fleetgraph-compose-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => buildCli(), 120_000);

/** The image's command line for a service, as this machine runs it. */
function argvOf(service: ComposeService): string[] {
  if (service.image === "fleetgraph:dev")
    return [process.execPath, join(ROOT, "dist/src/main.js"), ...service.command];
  if (service.image.startsWith("redis:")) return service.command; // redis-server ...
  if (service.image.startsWith("prom/prometheus:")) return ["prometheus", ...service.command];
  throw new Error(`no local stand-in for the image ${service.image}`);
}

/** `CMD node ...` healthchecks run with this Node (the image's is 24, the machine's may be older). */
function healthcheckOf(service: ComposeService): string[] | undefined {
  const test = service.healthcheck?.test;
  if (!test) return undefined;
  expect(test[0]).toBe("CMD");
  return test.slice(1).map((arg, i) => (i === 0 && arg === "node" ? process.execPath : arg));
}

function planOf(services: Record<string, ComposeService>): Plan {
  const mounts = new Map<string, string>();
  const planned: PlannedService[] = Object.entries(services).map(([name, service]) => {
    for (const volume of service.volumes ?? []) {
      const [source, target] = volume.split(":") as [string, string];
      // A named volume is a directory of its own; every service sees the same one.
      const named = join(scratch, "volumes", source);
      if (!source.startsWith("/")) mkdirSync(named, { recursive: true });
      mounts.set(target, source.startsWith("/") ? source : named);
    }
    const cwd = join(scratch, "cwd", name);
    mkdirSync(cwd, { recursive: true });
    return {
      name,
      argv: argvOf(service),
      // The Prometheus image keeps its data in its working directory; the others use absolute paths.
      cwd: service.image === "fleetgraph:dev" ? ROOT : cwd,
      ...(healthcheckOf(service) ? { healthcheck: healthcheckOf(service)! } : {}),
      dependsOn: Object.entries(service.depends_on ?? {}).map(([other, d]) => ({
        name: other,
        healthy: d.condition === "service_healthy",
      })),
    };
  });
  return {
    logDir: scratch,
    scratch,
    mounts: [...mounts].map(([target, source]) => ({ source, target })),
    services: planned,
    login: [process.execPath, join(ROOT, "dist/src/main.js"), "login", "--user", "admin"],
    query: { url: "http://localhost:4000/graphql", body: readmeFirstQuery() },
    prometheusTargets: "http://127.0.0.1:9090/api/v1/targets",
    timeoutMs: 90_000,
  };
}

/** The body of the README's first `curl ... -d '...'`, exactly as a reader would paste it. */
function readmeFirstQuery(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const body = /curl -s localhost:4000\/graphql[^\n]*\n\s*-d '([^']+)'/.exec(readme)?.[1];
  expect(body).toBeDefined();
  return body!;
}

function runTopology(plan: Plan): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const planFile = join(scratch, "plan.json");
  writeFileSync(planFile, JSON.stringify(plan));
  return new Promise((resolve, reject) => {
    const child = spawn(
      "unshare",
      [
        "--map-root-user",
        "--net",
        "--mount",
        process.execPath,
        join(ROOT, "test/support/compose-runner.ts"),
        planFile,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

interface FirstQuery {
  clusters: {
    nodes: { name: string; label: string; health: { status: string; kubernetesVersion: string } }[];
  };
  pods: {
    totalCount: number;
    outcomes: { clusterName: string; synced: boolean; error: unknown }[];
    nodes: { clusterName: string; namespaceName: string; namespace: { workspace: { name: string } } }[];
  };
}

describe("docker-compose.yml run as processes", () => {
  it("answers the README's first query after logging in as admin", { timeout: 180_000 }, async () => {
    const compose = parse(
      execFileSync("docker-compose", ["-f", "docker-compose.yml", "config"], { cwd: ROOT, encoding: "utf8" }),
    ) as { services: Record<string, ComposeService> };
    const run = await runTopology(planOf(compose.services));
    const line = run.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    const logs = () =>
      ["sim", "idp", "gateway", "prometheus", "redis"]
        .map((s) => `--- ${s}\n${readFileSync(join(scratch, `${s}.log`), "utf8").slice(-3000)}`)
        .join("\n");
    expect(line, `${run.stderr}\n${logs()}`).toBeDefined();
    const { status, body, targets } = JSON.parse(line!.slice("RESULT ".length)) as {
      status: number;
      body: { data: FirstQuery; errors?: unknown };
      targets: { labels: Record<string, string>; scrapeUrl: string }[];
    };
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const { clusters, pods } = body.data;
    expect(clusters.nodes.map((c) => [c.name, c.label])).toEqual([
      ["prod-ap-northeast-1", "ap-northeast-1"],
      ["prod-us-east-1", "us-east-1"],
      ["prod-us-west-2", "us-west-2"],
    ]);
    for (const c of clusters.nodes)
      expect(c.health).toEqual({ status: "READY", kubernetesVersion: "v1.32.4-sim" });
    expect(pods.outcomes.map((o) => [o.clusterName, o.synced, o.error])).toEqual(
      clusters.nodes.map((c) => [c.name, true, null]),
    );
    expect(pods.totalCount).toBeGreaterThan(3);
    expect(pods.nodes).toHaveLength(3);
    for (const p of pods.nodes) {
      expect(p.namespaceName).toBe("monitoring");
      expect(p.namespace.workspace.name).toBe("platform");
    }
    // Prometheus found the simulated clusters through the admin endpoint, and scrapes the gateway.
    const scraped = targets.map((t) => [t.labels.job, t.labels.cluster ?? null]).sort();
    expect(scraped).toEqual([
      ["fleetgraph-gateway", null],
      ["fleetgraph-sim", "prod-ap-northeast-1"],
      ["fleetgraph-sim", "prod-us-east-1"],
      ["fleetgraph-sim", "prod-us-west-2"],
    ]);
    expect(targets.find((t) => t.labels.job === "fleetgraph-gateway")!.scrapeUrl).toBe(
      "http://127.0.0.1:4000/metrics",
    );
    expect(run.code).toBe(0);
  });
});
