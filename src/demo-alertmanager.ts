/**
 * The demo's Alertmanager: when the machine has one (Debian's `prometheus-alertmanager`, or an
 * `alertmanager` on the PATH), the built-in demo runs it as a child process beside its Prometheus
 * (src/demo-process.ts), which sends it the alerts of the default rules. Without it the demo's
 * alerts are Prometheus's alone — firing and pending, but no silences, inhibitions or suppressed
 * state — and the demo says how to get the rest.
 */
import { join } from "node:path";
import type { Logger } from "pino";
import { findExecutable, startDemoProcess, type DemoProcess } from "./demo-process.js";

export interface DemoAlertmanagerOptions {
  logger: Logger;
  /** Where to look for the binary; default $PATH. */
  searchPath?: string;
  /** How long Alertmanager may take to answer /-/ready; default 20 s. */
  readyTimeoutMs?: number;
}

export type DemoAlertmanager = DemoProcess;

/** Debian's binary first (package prometheus-alertmanager), then upstream's name. */
export const ALERTMANAGER_BINARIES = ["prometheus-alertmanager", "alertmanager"] as const;

/**
 * Every alert to a receiver that sends nothing. The gateway reads the alerts from Alertmanager's
 * API (and polls it for alertChanges); a receiver pushing to the gateway's /alertmanager/webhook
 * would need `notifications.webhook`'s secret, which the demo — no config file — has none of, so
 * every push would be refused.
 */
export const DEMO_ALERTMANAGER_CONFIG = `route:
  receiver: "null"
receivers:
  - name: "null"
`;

/** Its command line: the config written in `dir`, storage beside it, listening on `address`. */
export function demoAlertmanagerArgs(dir: string, address: string): string[] {
  return [
    `--config.file=${join(dir, "alertmanager.yml")}`,
    `--storage.path=${join(dir, "data")}`,
    `--web.listen-address=${address}`,
    // One instance: no gossip port to pick, open or collide on.
    "--cluster.listen-address=",
    "--log.level=warn",
  ];
}

/**
 * Starts Alertmanager and waits until it is ready. Undefined when there is no binary, or when it
 * would not start (the reason is logged).
 */
export async function startDemoAlertmanager(
  options: DemoAlertmanagerOptions,
): Promise<DemoAlertmanager | undefined> {
  const { logger } = options;
  const binary = ALERTMANAGER_BINARIES.map((name) => findExecutable(name, options.searchPath)).find(
    (found) => found !== undefined,
  );
  if (binary === undefined) {
    logger.info(
      `demo Alertmanager is off: no ${ALERTMANAGER_BINARIES.join(" or ")} on the PATH, so the demo's alerts come from Prometheus alone ` +
        "(no silences, no suppressed state). Install it (apt-get install prometheus-alertmanager) and restart to get them; " +
        "a gateway over real clusters reads the Alertmanager named by alerts.alertmanager in its config (docs/alerts.md)",
    );
    return undefined;
  }
  return startDemoProcess({
    title: "Alertmanager",
    binary,
    files: { "alertmanager.yml": DEMO_ALERTMANAGER_CONFIG },
    args: demoAlertmanagerArgs,
    readyPath: "/-/ready",
    ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    offWhenFailed: "demo Alertmanager is off",
    afterExit: "alerts now answer ALERTMANAGER_UNAVAILABLE",
    logger,
  });
}
