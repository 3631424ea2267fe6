/**
 * A real Alertmanager for tests: Debian's `prometheus-alertmanager` (installed by scripts/test.sh)
 * on a free loopback port, clustering off, its own scratch storage, awaited until /-/ready. Its
 * stderr is kept so a failure can say what it complained of; `stop()` takes it down for good.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeLoopbackPort } from "../../src/free-port.js";

export const ALERTMANAGER_BINARY = "/usr/bin/prometheus-alertmanager";

/** Every alert to a receiver that sends nothing: the API is what the tests read. */
const QUIET_CONFIG = `route:
  receiver: "null"
  group_wait: 1s
  group_interval: 1s
receivers:
  - name: "null"
`;

/**
 * A config sending every group to one webhook with bearer credentials, at once (no group wait),
 * resolved alerts too: the gateway's /alertmanager/webhook.
 */
export function webhookConfig(url: string, secret: string, groupBy: readonly string[]): string {
  return `route:
  receiver: fleetgraph
  group_by: [${groupBy.join(", ")}]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: fleetgraph
    webhook_configs:
      - url: ${url}
        send_resolved: true
        http_config:
          authorization:
            credentials: ${secret}
`;
}

export interface RunningAlertmanager {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** host:port, as Prometheus's alerting config names a target. */
  readonly target: string;
  readonly logs: () => string;
  stop(): Promise<void>;
}

export async function startAlertmanager(configYaml = QUIET_CONFIG): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), "fleetgraph-am-"));
  await writeFile(join(dir, "alertmanager.yml"), configYaml);
  const port = await freeLoopbackPort();
  const target = `127.0.0.1:${port}`;
  const url = `http://${target}`;
  let stderr = "";
  const child = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=${target}`,
      "--cluster.listen-address=",
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let spawnError: Error | undefined;
  child.once("error", (error) => (spawnError = error));
  const stop = async (): Promise<void> => {
    if (spawnError === undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const started = Date.now();
  for (;;) {
    if (spawnError !== undefined) {
      await stop();
      throw new Error(
        `cannot start ${ALERTMANAGER_BINARY} (scripts/test.sh installs it): ${spawnError.message}`,
      );
    }
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`alertmanager exited (${child.exitCode})\n${stderr.slice(-2000)}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() - started > 20_000) {
      await stop();
      throw new Error(`alertmanager not ready after 20 s\n${stderr.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, target, logs: () => stderr, stop };
}
