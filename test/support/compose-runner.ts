/**
 * Runs a docker-compose topology as processes, inside the network and mount namespaces of
 * `unshare --map-root-user --net --mount` (test/project/compose-topology.test.ts starts it so):
 * the services share one loopback, as compose's `network_mode: service:sim` makes them, and
 * each volume is mounted at the path the containers see, so the commands and config files of
 * docker-compose.yml run unchanged. Then it runs the client steps (log in, query) and prints
 * their outcome as one `RESULT <json>` line.
 *
 * Self-contained (Node built-ins only) so Node runs it as it is, by type stripping.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface PlannedService {
  name: string;
  argv: string[];
  cwd: string;
  /** The compose healthcheck's CMD, run here as a process; absent: started is enough. */
  healthcheck?: string[];
  /** Services to wait for, and whether they must be healthy or only started. */
  dependsOn: { name: string; healthy: boolean }[];
}

export interface Mount {
  source: string;
  target: string;
}

export interface Plan {
  /** Where each service's stdout and stderr go (<name>.log). */
  logDir: string;
  /** A scratch directory for the overlays' upper and work directories. */
  scratch: string;
  mounts: Mount[];
  services: PlannedService[];
  /** Prints the token on stdout, as `TOKEN=$(fleetgraph login --user admin)` reads it. */
  login: string[];
  query: { url: string; body: string };
  /** Prometheus's /api/v1/targets: what it discovered and scrapes. */
  prometheusTargets: string;
  timeoutMs: number;
}

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: "inherit" });
}

function deepestExisting(path: string): string {
  let dir = path;
  while (!existsSync(dir)) dir = dirname(dir);
  return dir;
}

/**
 * Paths the containers see that this machine lacks (/etc/fleetgraph, /var/lib/fleetgraph) are
 * made in an overlay over their nearest existing directory: visible to these processes only,
 * nothing written to the machine's own /etc or /var/lib.
 */
function mountVolumes(plan: Plan): void {
  run("ip", ["link", "set", "lo", "up"]);
  const overlays = [
    ...new Set(plan.mounts.filter((m) => !existsSync(m.target)).map((m) => deepestExisting(m.target))),
  ];
  overlays.sort((a, b) => a.length - b.length);
  overlays.forEach((dir, i) => {
    const upper = join(plan.scratch, `overlay-${i}`, "upper");
    const work = join(plan.scratch, `overlay-${i}`, "work");
    mkdirSync(upper, { recursive: true });
    mkdirSync(work, { recursive: true });
    run("mount", [
      "-t",
      "overlay",
      "overlay",
      "-o",
      `lowerdir=${dir},upperdir=${upper},workdir=${work}`,
      dir,
    ]);
  });
  for (const m of plan.mounts) {
    if (!existsSync(m.target)) {
      if (statSync(m.source).isDirectory()) mkdirSync(m.target, { recursive: true });
      else {
        mkdirSync(dirname(m.target), { recursive: true });
        writeFileSync(m.target, "");
      }
    }
    run("mount", ["--bind", m.source, m.target]);
  }
}

function exitCode(argv: string[], timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: "ignore", timeout: timeoutMs });
    child.on("exit", (code) => resolve(code ?? 1));
    child.on("error", () => resolve(1));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(service: PlannedService, deadline: number): Promise<void> {
  if (!service.healthcheck) return;
  while (Date.now() < deadline) {
    if ((await exitCode(service.healthcheck, 3000)) === 0) return;
    await sleep(500);
  }
  throw new Error(`${service.name} did not become healthy (its log: ${service.name}.log)`);
}

interface ActiveTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
}

/** Once service discovery has answered: the targets and their labels (not their health yet). */
async function activeTargets(url: string, deadline: number): Promise<ActiveTarget[]> {
  let targets: ActiveTarget[] = [];
  while (Date.now() < deadline) {
    const answer = (await (await fetch(url)).json()) as { data: { activeTargets: ActiveTarget[] } };
    targets = answer.data.activeTargets;
    if (targets.some((t) => t.labels.job === "fleetgraph-sim")) break;
    await sleep(500);
  }
  return targets.map((t) => ({ labels: t.labels, scrapeUrl: t.scrapeUrl }));
}

async function main(): Promise<void> {
  const plan = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Plan;
  const deadline = Date.now() + plan.timeoutMs;
  mountVolumes(plan);
  const children: ChildProcess[] = [];
  const started = new Map<string, Promise<void>>();
  const start = (service: PlannedService): Promise<void> => {
    let done = started.get(service.name);
    if (done) return done;
    done = (async () => {
      for (const dependency of service.dependsOn) {
        const other = plan.services.find((s) => s.name === dependency.name)!;
        await start(other);
        if (dependency.healthy) await waitHealthy(other, deadline);
      }
      const log = openSync(join(plan.logDir, `${service.name}.log`), "a");
      const child = spawn(service.argv[0]!, service.argv.slice(1), {
        cwd: service.cwd,
        stdio: ["ignore", log, log],
      });
      child.on("exit", (code, signal) => {
        if (!stopping) process.stderr.write(`${service.name} exited early (${code ?? signal})\n`);
      });
      children.push(child);
    })();
    started.set(service.name, done);
    return done;
  };
  let stopping = false;
  try {
    await Promise.all(plan.services.map(start));
    await Promise.all(plan.services.map((s) => waitHealthy(s, deadline)));
    const token = execFileSync(plan.login[0]!, plan.login.slice(1), { encoding: "utf8" }).trim();
    const response = await fetch(plan.query.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: plan.query.body,
    });
    const body: unknown = await response.json();
    const targets = await activeTargets(plan.prometheusTargets, deadline);
    process.stdout.write(`RESULT ${JSON.stringify({ status: response.status, body, targets })}\n`);
  } finally {
    stopping = true;
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
          }),
      ),
    );
  }
}

await main();
