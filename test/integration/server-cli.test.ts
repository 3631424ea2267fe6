/**
 * `fleetgraph serve` as a person runs it from a fresh checkout (`npm start` = build + this
 * command): no config anywhere, so it serves the built-in demo fleet and its identity provider,
 * refuses a query without a token, answers one with the token `fleetgraph login` prints, and stops
 * cleanly on SIGTERM; `--no-auth` answers anyone, but only on 127.0.0.1. Wrong flags and unusable config exit 2 with the reason on stderr.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, ROOT } from "../support/built-cli.js";
import { eventually } from "../support/eventually.js";
import { freeLoopbackPort } from "../../src/free-port.js";

let home: string;
const children: ChildProcess[] = [];

/** The environment of someone with no kubeconfig and no fleetgraph config. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.KUBECONFIG;
  delete env.FLEETGRAPH_CONFIG;
  delete env.LOG_LEVEL;
  // vitest sets NODE_ENV=test, which changes Apollo's defaults (signal handling among them).
  delete env.NODE_ENV;
  return env;
}

function serve(args: string[]): {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ["dist/src/main.js", "serve", ...args], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

beforeAll(() => buildCli(), 120_000);

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "fleetgraph-home-"));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  if (home) await rm(home, { recursive: true, force: true });
});

/** Every IPv4 address of this machine other than loopback (where a 127.0.0.1 listener is not). */
function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === "IPv4" && !a.internal)
    .map((a) => a!.address);
}

/** `fleetgraph login` as a person runs it: prints the gateway's access token alone. */
function login(
  user: string,
  gateway: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["dist/src/main.js", "login", "--user", user, "--gateway", gateway], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

const DEMO_QUERY = `{ clusters { totalCount nodes { name health { status } } } pods(first: 2) { totalCount nodes { name clusterName } } }`;

function query(url: string, token?: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: DEMO_QUERY }),
  });
}

interface DemoAnswer {
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
  data: {
    clusters: { totalCount: number; nodes: { name: string; health: { status: string } }[] };
    pods: { totalCount: number; nodes: { name: string; clusterName: string }[] };
  };
}

function expectTheDemoFleet(body: DemoAnswer): void {
  expect(body.errors).toBeUndefined();
  expect(body.data.clusters.totalCount).toBe(3);
  expect(body.data.pods.totalCount).toBeGreaterThan(300);
  expect(body.data.pods.nodes).toHaveLength(2);
}

describe("fleetgraph serve", () => {
  it("serves the built-in demo fleet when nothing is configured, to a user logged in with fleetgraph login, and stops on SIGTERM", async () => {
    const port = await freeLoopbackPort();
    const run = serve(["--port", String(port)]);
    const url = `http://localhost:${port}/graphql`;
    await eventually(() => run.stderr().includes(`listening on ${url}`), 30_000);
    expect(run.stderr()).toContain(
      "no clusters configured: serving the built-in demo fleet (3 simulated clusters)",
    );
    expect(run.stderr()).toContain("demo identity provider started");

    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000);
    const anonymous = await query(`http://127.0.0.1:${port}/graphql`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const refused = (await anonymous.json()) as DemoAnswer;
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "missing" });

    const admin = await login("admin", `http://localhost:${port}`);
    expect(admin.stderr).toBe("");
    expect(admin.code).toBe(0);
    const token = admin.stdout.trim();
    expect(token.split(".")).toHaveLength(3);
    const response = await query(`http://127.0.0.1:${port}/graphql`, token);
    expect(response.status).toBe(200);
    expectTheDemoFleet((await response.json()) as DemoAnswer);
    // With authentication on it listens on every interface.
    for (const address of externalAddresses())
      expect((await fetch(`http://${address}:${port}/healthz`)).status).toBe(200);

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain('"msg":"stopped"');
  }, 60_000);

  it("with --no-auth answers without a token, warns, and listens on 127.0.0.1 only", async () => {
    const port = await freeLoopbackPort();
    const run = serve(["--no-auth", "--port", String(port)]);
    await eventually(() => run.stderr().includes(`listening on http://127.0.0.1:${port}/graphql`), 30_000);
    expect(run.stderr()).toContain("--no-auth: running without authentication");
    expect(run.stderr()).not.toContain("demo identity provider started");

    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000);
    const response = await query(`http://127.0.0.1:${port}/graphql`);
    expect(response.status).toBe(200);
    expectTheDemoFleet((await response.json()) as DemoAnswer);
    for (const address of externalAddresses())
      await expect(fetch(`http://${address}:${port}/healthz`)).rejects.toThrow(TypeError);

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  }, 60_000);

  it("with --subgraph serves the schema as a Federation 2 subgraph, its SDL at _service", async () => {
    const port = await freeLoopbackPort();
    const run = serve(["--subgraph", "--no-auth", "--port", String(port)]);
    await eventually(() => run.stderr().includes(`listening on http://127.0.0.1:${port}/graphql`), 30_000);
    expect(run.stderr()).toContain('"federation":"subgraph"');
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ _service { sdl } }" }),
    });
    const body = (await response.json()) as { data: { _service: { sdl: string } } };
    expect(body.data._service.sdl).toContain(
      'type Cluster implements Node @key(fields: "id") @key(fields: "name")',
    );
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  }, 60_000);

  it("exits 2 with the flag named when a flag is wrong", async () => {
    const bogus = serve(["--bogus"]);
    expect(await bogus.exited).toBe(2);
    expect(bogus.stderr()).toMatch(/--bogus/);

    const port = serve(["--port", "99999"]);
    expect(await port.exited).toBe(2);
    expect(port.stderr()).toMatch(/--port must be a whole number between 1 and 65535/);
  });

  it("exits 2 with the file and the reason when the config cannot be used", async () => {
    const missing = join(home, "nope.yaml");
    const run = serve(["--config", missing]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain("configuration error");
    expect(run.stderr()).toContain(missing);
  });
});
