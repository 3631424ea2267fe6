/** Where the gateway's clusters come from when it starts: flags, then environment, then home. */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { ConfigError } from "./errors.js";
import { configFromKubeconfig } from "./kubeconfig.js";
import { loadConfigFile } from "./load.js";
import { resolvePath } from "./credentials.js";
import type { GatewayConfig } from "./types.js";
import { DEFAULT_PORT, DEFAULT_SETTINGS, DEFAULT_WORKSPACE_LABEL } from "./types.js";

export interface ResolveOptions {
  /** `--config FILE` */
  configFile?: string;
  /** `--kubeconfig FILE` */
  kubeconfig?: string;
  /** Defaults to process.env; tests pass their own (HOME included). */
  env?: NodeJS.ProcessEnv;
  /** `--port`, which wins over the file's `port`. */
  port?: number;
}

/**
 * Precedence: --config, $FLEETGRAPH_CONFIG, --kubeconfig, $KUBECONFIG (its first path),
 * ~/.kube/config when it exists; otherwise a demo config without clusters, for which the caller
 * starts the embedded demo fleet.
 */
export function resolveConfig(options: ResolveOptions): GatewayConfig {
  const env = options.env ?? process.env;
  const home = env.HOME || homedir();
  const path = (p: string) => resolvePath(p, process.cwd(), home);
  const config = pick();
  if (options.port === undefined) return config;
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)
    throw new ConfigError(`must be an integer between 1 and 65535, not ${options.port}`, { field: "--port" });
  return { ...config, port: options.port };

  function pick(): GatewayConfig {
    if (options.configFile) return loadConfigFile(path(options.configFile));
    if (env.FLEETGRAPH_CONFIG) return loadConfigFile(path(env.FLEETGRAPH_CONFIG));
    if (options.kubeconfig) return configFromKubeconfig(path(options.kubeconfig));
    // Like kubectl, $KUBECONFIG may list several files; contexts are taken from the first only.
    const fromEnv = env.KUBECONFIG?.split(delimiter).find((p) => p !== "");
    if (fromEnv !== undefined) return configFromKubeconfig(path(fromEnv));
    const inHome = join(home, ".kube", "config");
    if (existsSync(inHome)) return configFromKubeconfig(inHome);
    return demoConfig();
  }
}

export function demoConfig(): GatewayConfig {
  return {
    port: DEFAULT_PORT,
    workspaceLabel: DEFAULT_WORKSPACE_LABEL,
    clusters: [],
    defaults: { ...DEFAULT_SETTINGS },
    source: { kind: "demo" },
  };
}
