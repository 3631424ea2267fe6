/**
 * The `backstage` peer's process: Backstage's Kubernetes backend (bench/peers/backstage/server.mjs)
 * over the simulated fleet. Its packages are installed on first use with `npm ci` from the folder's
 * own lockfile (they bring cloud SDKs the gateway must not depend on), then it is started like the
 * other peers, configured as a Backstage app-config's `kubernetes` section would configure it.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "./child.js";
import { PeerServer } from "./peer-servers.js";
import type { FleetFile } from "./simulator.js";

export const BACKSTAGE_DIR = join(ROOT, "bench/peers/backstage");
const PLUGIN = "@backstage/plugin-kubernetes-backend";

export interface BackstageInstall {
  /** The plugin's version as installed. */
  version: string;
  /** Seconds `npm ci` took; null when the folder was already installed at the locked version. */
  install_s: number | null;
}

async function lockedVersion(): Promise<string> {
  const lock = JSON.parse(await readFile(join(BACKSTAGE_DIR, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${PLUGIN}`]?.version;
  if (!version) throw new Error(`bench/peers/backstage/package-lock.json locks no ${PLUGIN}`);
  return version;
}

async function installedVersion(): Promise<string | undefined> {
  const file = join(BACKSTAGE_DIR, "node_modules", PLUGIN, "package.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(await readFile(file, "utf8")) as { version: string }).version;
}

function npmCi(): Promise<void> {
  return new Promise((resolve, reject) => {
    // Install scripts stay off: nothing the peer runs needs one.
    const child = spawn("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], {
      cwd: BACKSTAGE_DIR,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.once("error", (error) => reject(new Error(`cannot run npm ci: ${error.message}`)));
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`npm ci in bench/peers/backstage exited with code ${code}:\n${stderr.trim()}`)),
    );
  });
}

/** Installs the peer's packages when they are missing or not at the locked version. */
export async function installBackstage(log: (message: string) => void): Promise<BackstageInstall> {
  const locked = await lockedVersion();
  if ((await installedVersion()) === locked) return { version: locked, install_s: null };
  log(`installing the backstage peer (${PLUGIN} ${locked}): npm ci in bench/peers/backstage`);
  const startedAt = performance.now();
  await npmCi();
  const installed = await installedVersion();
  if (installed !== locked)
    throw new Error(`npm ci installed ${PLUGIN} ${installed ?? "nothing"}, the lockfile says ${locked}`);
  return { version: locked, install_s: Math.round((performance.now() - startedAt) / 100) / 10 };
}

/**
 * The `kubernetes` section of a Backstage app-config for the fleet: every cluster from config,
 * with the token `user` sends (the one the gateway's kubeconfig carries) as its service-account
 * token and the cluster's CA. Metrics lookups are off: the question is the objects, not usage.
 */
export function backstageKubernetesConfig(fleet: FleetFile, user = "admin"): Record<string, unknown> {
  const token = fleet.users.find((u) => u.name === user)?.token;
  if (!token) throw new Error(`the fleet file has no user "${user}"`);
  return {
    serviceLocatorMethod: { type: "multiTenant" },
    clusterLocatorMethods: [
      {
        type: "config",
        clusters: fleet.clusters.map((c) => ({
          name: c.name,
          url: c.server,
          authProvider: "serviceAccount",
          serviceAccountToken: token,
          ...(c.caPem ? { caData: Buffer.from(c.caPem).toString("base64") } : {}),
          skipMetricsLookup: true,
        })),
      },
    ],
  };
}

/** Starts the peer; its url is the plugin's base (`.../api/kubernetes`). */
export async function startBackstage(fleet: FleetFile, dir: string): Promise<PeerServer> {
  const configPath = join(dir, "backstage-kubernetes.json");
  // It holds tokens: readable by this user only, like the kubeconfig.
  await writeFile(configPath, JSON.stringify(backstageKubernetesConfig(fleet)), { mode: 0o600 });
  return PeerServer.start("backstage", "bench/peers/backstage/server.mjs", [configPath]);
}
