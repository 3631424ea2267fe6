/**
 * Reading clusters out of a kubeconfig: each context names a cluster (server, CA) and a user
 * (token or client certificate). Only static credentials are supported; exec and auth-provider
 * plugins run programs and refresh tokens, which the gateway does not do.
 */
import { KubeConfig } from "@kubernetes/client-node";
import type { Cluster, User } from "@kubernetes/client-node";
import { ConfigError } from "./errors.js";
import { kubeconfigClusterLabels } from "./kubeconfig-labels.js";
import { CredentialProblem, decodePemData, readPemFile, resolvePath } from "./credentials.js";
import type { ClusterAuth, ClusterConfig, ClusterTls, GatewayConfig } from "./types.js";
import { DEFAULT_PORT, DEFAULT_SETTINGS, DEFAULT_WORKSPACE_LABEL } from "./types.js";

/** What a kubeconfig context gives a cluster: where it is and how to authenticate. */
export interface KubeconfigConnection {
  server: string;
  tls: ClusterTls;
  auth: ClusterAuth;
}

/** A kubeconfig that cannot be used; `context` is set when one context is at fault. */
export class KubeconfigProblem extends Error {
  override readonly name = "KubeconfigProblem";
  constructor(
    message: string,
    readonly context?: string,
    options?: ErrorOptions,
  ) {
    super(context === undefined ? message : `context "${context}": ${message}`, options);
  }
}

export class Kubeconfig {
  private constructor(
    readonly path: string,
    private readonly kc: KubeConfig,
    private readonly clusterLabels: ReadonlyMap<string, Record<string, string>>,
  ) {}

  /** Loads an absolute path; relative certificate paths inside are taken from its directory. */
  static read(path: string): Kubeconfig {
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === "ENOENT" ? "file not found" : (e as Error).message;
      throw new KubeconfigProblem(`cannot load: ${reason}`, undefined, { cause: e });
    }
    let labels: Map<string, Record<string, string>>;
    try {
      labels = kubeconfigClusterLabels(path);
    } catch (e) {
      throw new KubeconfigProblem((e as Error).message, undefined, { cause: e });
    }
    return new Kubeconfig(path, kc, labels);
  }

  get contexts(): string[] {
    return this.kc.getContexts().map((c) => c.name);
  }

  /** The `current-context`, when set. */
  get currentContext(): string | undefined {
    const name = this.kc.getCurrentContext() as string | null | undefined;
    return name ? name : undefined;
  }

  /** The context's cluster labels from the `fleetgraph.dev/cluster` extension ({} without one). */
  labels(contextName: string): Record<string, string> {
    const context = this.kc.getContexts().find((c) => c.name === contextName);
    return { ...(context ? this.clusterLabels.get(context.cluster) : undefined) };
  }

  connection(contextName: string): KubeconfigConnection {
    const context = this.kc.getContexts().find((c) => c.name === contextName);
    if (context === undefined) {
      const known = this.contexts.map((c) => `"${c}"`).join(", ") || "none";
      throw new KubeconfigProblem(`no context "${contextName}" (contexts: ${known})`);
    }
    const fail = (message: string, cause?: unknown) =>
      new KubeconfigProblem(message, contextName, cause === undefined ? undefined : { cause });
    const cluster = this.kc.getCluster(context.cluster);
    if (cluster === null) throw fail(`cluster "${context.cluster}" is not defined in the kubeconfig`);
    const user = context.user === undefined ? null : this.kc.getUser(context.user);
    if (context.user !== undefined && user === null)
      throw fail(`user "${context.user}" is not defined in the kubeconfig`);
    try {
      return { server: serverOf(cluster), tls: tlsOf(cluster, user), auth: authOf(user) };
    } catch (e) {
      if (e instanceof CredentialProblem || e instanceof UnsupportedSetting) throw fail(e.message, e);
      throw e;
    }
  }
}

class UnsupportedSetting extends Error {}

function serverOf(cluster: Cluster): string {
  const server = cluster.server;
  const ok =
    URL.canParse(server) &&
    ["https:", "http:"].includes(new URL(server).protocol) &&
    new URL(server).hostname !== "";
  if (!ok)
    throw new UnsupportedSetting(
      `cluster "${cluster.name}": server ${JSON.stringify(server)} is not an https:// or http:// URL`,
    );
  // A proxy or a TLS server name we silently ignored would connect somewhere else or fail obscurely.
  if (cluster.proxyUrl) throw new UnsupportedSetting(`cluster "${cluster.name}": proxy-url is not supported`);
  if (cluster.tlsServerName)
    throw new UnsupportedSetting(`cluster "${cluster.name}": tls-server-name is not supported`);
  return server.replace(/\/+$/, "");
}

function tlsOf(cluster: Cluster, user: User | null): ClusterTls {
  const tls: ClusterTls = { insecureSkipVerify: cluster.skipTLSVerify === true };
  if (cluster.caData) tls.caData = decodePemData(cluster.caData, "certificate");
  else if (cluster.caFile) tls.caData = readPemFile(cluster.caFile, "certificate");
  if (user?.certData) tls.certData = decodePemData(user.certData, "certificate");
  else if (user?.certFile) tls.certData = readPemFile(user.certFile, "certificate");
  if (user?.keyData) tls.keyData = decodePemData(user.keyData, "private key");
  else if (user?.keyFile) tls.keyData = readPemFile(user.keyFile, "private key");
  if ((tls.certData === undefined) !== (tls.keyData === undefined))
    throw new UnsupportedSetting(`user "${user?.name}": a client certificate needs both certificate and key`);
  return tls;
}

function authOf(user: User | null): ClusterAuth {
  if (user === null) return {};
  const plugin = pluginOf(user);
  if (plugin !== undefined)
    throw new UnsupportedSetting(
      `user "${user.name}" authenticates with ${plugin}, which fleetgraph does not support; ` +
        "give the cluster a token or client certificate in a fleetgraph config file instead",
    );
  if (user.username || user.password)
    throw new UnsupportedSetting(`user "${user.name}": basic authentication is not supported`);
  if (user.impersonateUser)
    throw new UnsupportedSetting(`user "${user.name}": impersonation (as) is not supported`);
  const token = user.token?.trim();
  return token ? { token } : {};
}

function pluginOf(user: User): string | undefined {
  const exec = user.exec as { command?: unknown } | null | undefined;
  if (exec) return typeof exec.command === "string" ? `an exec plugin (${exec.command})` : "an exec plugin";
  const provider = user.authProvider as { name?: unknown } | null | undefined;
  if (provider)
    return typeof provider.name === "string"
      ? `the ${provider.name} auth-provider plugin`
      : "an auth-provider plugin";
  return undefined;
}

/** Every context of the kubeconfig at `path` becomes a cluster named after the context. */
export function configFromKubeconfig(path: string): GatewayConfig {
  const absolute = resolvePath(path, process.cwd());
  const clusters: ClusterConfig[] = [];
  try {
    const kubeconfig = Kubeconfig.read(absolute);
    if (kubeconfig.contexts.length === 0) throw new KubeconfigProblem("has no contexts");
    for (const name of kubeconfig.contexts) {
      clusters.push({
        name,
        displayName: name,
        labels: kubeconfig.labels(name),
        ...kubeconfig.connection(name),
        requestTimeoutMs: DEFAULT_SETTINGS.requestTimeoutMs,
        maxConcurrentRequests: DEFAULT_SETTINGS.maxConcurrentRequests,
        source: "kubeconfig",
      });
    }
  } catch (e) {
    if (e instanceof KubeconfigProblem) throw new ConfigError(e.message, { path: absolute, cause: e });
    throw e;
  }
  return {
    port: DEFAULT_PORT,
    workspaceLabel: DEFAULT_WORKSPACE_LABEL,
    clusters,
    defaults: { ...DEFAULT_SETTINGS },
    source: { kind: "kubeconfig", path: absolute },
  };
}
