/**
 * The demo's child processes (src/demo-process.ts) when the gateway does not stop them itself: a
 * gateway killed outright takes its Prometheus and Alertmanager with it (the kernel's parent-death
 * signal, through setpriv) and the next demo removes the directories it left; a Ctrl-C at the
 * terminal reaches the gateway alone, which stops them in order; and a port taken between the
 * pick and the bind costs a second try, not the demo's alerts.
 */
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ALERTMANAGER_CONFIG, demoAlertmanagerArgs } from "../../src/demo-alertmanager.js";
import { findExecutable, removeOrphanedDemoDirs, startDemoProcess } from "../../src/demo-process.js";
import { freeLoopbackPort } from "../../src/free-port.js";
import { buildCli } from "../support/built-cli.js";
import { eventually } from "../support/eventually.js";
import { demoServeFixture, isRunning, type DemoRun, type DemoServeFixture } from "./demo-serve-fixture.js";

let demo: DemoServeFixture;

beforeAll(() => buildCli(), 120_000);
beforeAll(async () => {
  demo = await demoServeFixture();
});
afterAll(() => demo?.stop(), 30_000);

const silent = pino({ level: "silent" });

/** The demo directories in the temporary directory that the gateway `pid` made. */
async function dirsOf(pid: number): Promise<string[]> {
  const owned: string[] = [];
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith("fleetgraph-demo-")) continue;
    const owner = await readFile(join(tmpdir(), name, "gateway.pid"), "utf8").catch(() => "");
    if (owner === String(pid)) owned.push(name);
  }
  return owned.sort();
}

/** `fleetgraph serve` of the demo, once it listens: its Prometheus's and Alertmanager's pids. */
async function serveDemo(terminal: boolean): Promise<{ serve: DemoRun; pids: number[] }> {
  const port = await freeLoopbackPort();
  const serve = demo.run(["serve", "--no-auth", "--port", String(port)], demo.env(), { terminal });
  await eventually(() => serve.stderr().includes(`listening on http://127.0.0.1:${port}/graphql`), 60_000);
  const pids = [
    /demo alerts: Alertmanager \(pid (\d+)\)/.exec(serve.stderr()),
    /demo metrics: Prometheus \(pid (\d+)\)/.exec(serve.stderr()),
  ].map((found) => {
    expect(found, serve.stderr()).not.toBeNull();
    return Number(found![1]);
  });
  expect(pids.map(isRunning)).toEqual([true, true]);
  expect(await dirsOf(serve.child.pid!)).toEqual([
    expect.stringMatching(/^fleetgraph-demo-alertmanager-/),
    expect.stringMatching(/^fleetgraph-demo-prometheus-/),
  ]);
  return { serve, pids };
}

describe("the demo's child processes", () => {
  it("die with a gateway killed outright, and the next demo removes the directories it left", async () => {
    const { serve, pids } = await serveDemo(false);
    serve.child.kill("SIGKILL");
    await serve.exited;
    await eventually(() => pids.every((pid) => !isRunning(pid)), 5000);
    expect(await dirsOf(serve.child.pid!)).toHaveLength(2);
    await removeOrphanedDemoDirs(silent);
    expect(await dirsOf(serve.child.pid!)).toEqual([]);
  }, 90_000);

  it("hear nothing of a Ctrl-C at the terminal: the gateway stops them in order and removes their directories", async () => {
    const { serve, pids } = await serveDemo(true);
    process.kill(-serve.child.pid!, "SIGINT");
    expect(await serve.exited).toBe(0);
    expect(pids.map(isRunning)).toEqual([false, false]);
    // Neither exited under the demo (which would say what now answers UNAVAILABLE).
    expect(serve.stderr()).not.toMatch(/the demo's \w+ exited/);
    expect(await dirsOf(serve.child.pid!)).toEqual([]);
  }, 90_000);

  it("stop the Alertmanager that started when Prometheus then would not, and run without both", async () => {
    const alertmanager = findExecutable("prometheus-alertmanager");
    expect(
      alertmanager,
      "prometheus-alertmanager is not on the PATH: scripts/test.sh installs it",
    ).toBeDefined();
    // A PATH with Alertmanager and a `prometheus` that fails at once.
    const path = await mkdtemp(join(tmpdir(), "fleetgraph-path-"));
    try {
      await symlink(alertmanager!, join(path, "prometheus-alertmanager"));
      await writeFile(join(path, "prometheus"), "#!/bin/sh\necho 'err=\"no storage\"' >&2\nexit 1\n", {
        mode: 0o755,
      });
      const port = await freeLoopbackPort();
      const serve = demo.run(["serve", "--no-auth", "--port", String(port)], demo.env(path));
      await eventually(
        () => serve.stderr().includes(`listening on http://127.0.0.1:${port}/graphql`),
        60_000,
      );
      const started = /demo alerts: Alertmanager \(pid (\d+)\)/.exec(serve.stderr());
      expect(started, serve.stderr()).not.toBeNull();
      expect(serve.stderr()).toContain("demo metrics are off");
      expect(serve.stderr()).toContain("would not start (it exited)");
      expect(serve.stderr()).toContain("alerts: no Alertmanager configured");
      expect(isRunning(Number(started![1]))).toBe(false);
      expect(await dirsOf(serve.child.pid!)).toEqual([]);
      serve.child.kill("SIGTERM");
      expect(await serve.exited).toBe(0);
    } finally {
      await rm(path, { recursive: true, force: true });
    }
  }, 90_000);

  it("take another port when the one picked was taken before the child bound it", async () => {
    const binary = findExecutable("prometheus-alertmanager");
    expect(binary, "prometheus-alertmanager is not on the PATH: scripts/test.sh installs it").toBeDefined();
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const takenPort = (taken.address() as { port: number }).port;
    const picked: number[] = [];
    try {
      const started = await startDemoProcess({
        title: "Alertmanager",
        binary: binary!,
        files: { "alertmanager.yml": DEMO_ALERTMANAGER_CONFIG },
        args: demoAlertmanagerArgs,
        port: async () => {
          picked.push(picked.length === 0 ? takenPort : await freeLoopbackPort());
          return picked.at(-1)!;
        },
        readyPath: "/-/ready",
        offWhenFailed: "test Alertmanager is off",
        afterExit: "gone",
        logger: silent,
      });
      expect(started, "it gave up on the taken port").toBeDefined();
      expect(picked).toHaveLength(2);
      expect(started!.address).toBe(`127.0.0.1:${picked[1]}`);
      expect((await fetch(`${started!.url}/-/ready`)).status).toBe(200);
      await started!.stop();
      expect(isRunning(started!.pid)).toBe(false);
    } finally {
      taken.close();
    }
  }, 60_000);
});
