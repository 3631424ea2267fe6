/**
 * Metrics in the demo as `npm start` serves them: `fleetgraph serve` with nothing configured
 * starts Debian's `prometheus` (installed by scripts/test.sh) scraping the demo fleet, so the
 * admin sees cluster numbers once two scrapes are in, every query docs/metrics.md shows answers,
 * and stopping the gateway stops that Prometheus. Without the binary the demo says how to get
 * metrics and answers nulls with a warning.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExecutable } from "../../src/demo-process.js";
import { buildCli, ROOT } from "../support/built-cli.js";
import { eventually } from "../support/eventually.js";
import { freeLoopbackPort } from "../../src/free-port.js";
import { demoServeFixture, isRunning, query, type DemoServeFixture } from "./demo-serve-fixture.js";

let demo: DemoServeFixture;

beforeAll(() => buildCli(), 120_000);

beforeAll(async () => {
  demo = await demoServeFixture();
});

afterAll(() => demo?.stop(), 30_000);

/** Some leaf of the answer is a number: the query found metrics, not only nulls. */
function someNumber(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(someNumber);
  if (value !== null && typeof value === "object") return Object.values(value).some(someNumber);
  return typeof value === "number";
}

type ClusterUsage = { clusters: { nodes: { name: string; usage: { cpuUsage: number | null } | null }[] } };
const CLUSTER_CPU = "{ clusters { nodes { name usage { cpuUsage } } } }";

describe("the demo's metrics", () => {
  it("start Prometheus, answer the admin's cluster CPU and every query of docs/metrics.md, and stop with the gateway", async () => {
    expect(
      findExecutable("prometheus"),
      "prometheus is not on the PATH: scripts/test.sh installs it",
    ).toBeDefined();
    const port = await freeLoopbackPort();
    const serve = demo.run(["serve", "--port", String(port)], demo.env());
    const url = `http://127.0.0.1:${port}/graphql`;
    await eventually(() => serve.stderr().includes(`listening on http://localhost:${port}/graphql`), 60_000);
    const started =
      /demo metrics: Prometheus \(pid (\d+)\) on (http:\/\/127\.0\.0\.1:\d+) scrapes the 3 simulated clusters every 5s/.exec(
        serve.stderr(),
      );
    expect(started, serve.stderr()).not.toBeNull();
    const prometheusPid = Number(started![1]);
    expect(isRunning(prometheusPid)).toBe(true);
    expect(serve.stderr()).toContain("metrics: Prometheus configured");

    const login = demo.run(["login", "--user", "admin", "--gateway", `http://localhost:${port}`], demo.env());
    expect(await login.exited).toBe(0);
    const token = login.stdout().trim();

    // Two scrapes 5 s apart give rate() its first value.
    const answer = await eventually(
      async () => {
        const got = await query<ClusterUsage>(url, CLUSTER_CPU, token);
        const nodes = got.data?.clusters.nodes ?? [];
        return nodes.length === 3 && nodes.every((n) => (n.usage?.cpuUsage ?? 0) > 0) ? got : undefined;
      },
      45_000,
      500,
    );
    expect(answer.errors).toBeUndefined();

    const page = await readFile(join(ROOT, "docs/metrics.md"), "utf8");
    const examples = [...page.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(6);
    const since = new Date(Date.now() - 10 * 60_000).toISOString();
    for (const example of examples) {
      const got = await query(url, example, token, example.includes("$since") ? { since } : undefined);
      expect(got.errors, `${example}\n${JSON.stringify(got.errors)}`).toBeUndefined();
      expect(someNumber(got.data), example).toBe(true);
    }

    // A query Prometheus refuses is the caller's input to fix, with Prometheus's own words.
    const refused = await query(
      url,
      '{ promQuery(cluster: "prod-us-east-1", query: "sum(") { resultType } }',
      token,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "query" });
    expect(refused.errors?.[0]?.message).toMatch(/parse error/);

    // A cluster the fleet does not have has no Prometheus, shared or not.
    const unknown = await query(url, '{ promQuery(cluster: "nowhere", query: "up") { resultType } }', token);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "cluster" });

    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    expect(isRunning(prometheusPid)).toBe(false);
  }, 120_000);

  it("without prometheus on the PATH, say how to get metrics and answer nulls with METRICS_NOT_CONFIGURED", async () => {
    const emptyPath = await mkdtemp(join(tmpdir(), "fleetgraph-path-"));
    try {
      const port = await freeLoopbackPort();
      const serve = demo.run(["serve", "--no-auth", "--port", String(port)], demo.env(emptyPath));
      await eventually(
        () => serve.stderr().includes(`listening on http://127.0.0.1:${port}/graphql`),
        60_000,
      );
      expect(serve.stderr()).toContain("demo metrics are off: no prometheus on the PATH");
      expect(serve.stderr()).toContain("apt-get install prometheus");
      expect(serve.stderr()).toContain("metrics.prometheus");
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000);

      const got = await query<ClusterUsage>(`http://127.0.0.1:${port}/graphql`, CLUSTER_CPU);
      expect(got.errors).toBeUndefined();
      expect(got.data!.clusters.nodes.map((n) => n.usage?.cpuUsage)).toEqual([null, null, null]);
      expect(got.extensions?.warnings?.map((w) => w.code)).toEqual([
        "METRICS_NOT_CONFIGURED",
        "METRICS_NOT_CONFIGURED",
        "METRICS_NOT_CONFIGURED",
      ]);

      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
    } finally {
      await rm(emptyPath, { recursive: true, force: true });
    }
  }, 90_000);
});
