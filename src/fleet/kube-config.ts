/**
 * One KubeConfig per cluster, built from the gateway's ClusterConfig with `loadFromOptions`.
 * Each cluster gets its own user name: client-node caches credentials and agents by user and
 * cluster, so two clusters sharing a user name ("admin" in every kubeconfig) would share them.
 * No context is ever switched on a shared KubeConfig.
 */
import type { RequestOptions } from "node:https";
import { KubeConfig, type User } from "@kubernetes/client-node";

/** client-node does not export its Authenticator interface from the package root. */
type Authenticator = Parameters<KubeConfig["addAuthenticator"]>[0];
import type { ClusterConfig } from "../config/index.js";
import { RotatingTokenFile } from "./token-file.js";

const TOKEN_FILE_PROVIDER = "fleetgraph-token-file";

interface TokenFileProviderConfig {
  path: string;
}

/**
 * Reads a bearer token from a file and re-reads it once a minute. client-node's own file
 * authenticator does not trim the trailing newline most token files end with (an invalid header).
 */
class TokenFileAuthenticator implements Authenticator {
  private file: RotatingTokenFile | undefined;

  isAuthProvider(user: User): boolean {
    return (user.authProvider as { name?: string } | undefined)?.name === TOKEN_FILE_PROVIDER;
  }

  async applyAuthentication(user: User, opts: RequestOptions): Promise<void> {
    const config = (user.authProvider as { config: TokenFileProviderConfig }).config;
    if (this.file?.path !== config.path) this.file = new RotatingTokenFile(config.path);
    opts.headers = { ...opts.headers, Authorization: `Bearer ${await this.file.read()}` };
  }
}

export function userNameFor(cluster: string): string {
  return `fleetgraph@${cluster}`;
}

export function buildKubeConfig(config: ClusterConfig): KubeConfig {
  const kc = new KubeConfig();
  kc.addAuthenticator(new TokenFileAuthenticator());
  const user = userNameFor(config.name);
  kc.loadFromOptions({
    clusters: [
      {
        name: config.name,
        server: config.server,
        caData: config.tls.caData === undefined ? undefined : toBase64(config.tls.caData),
        // client-node refuses plain http:// unless verification is off; there is nothing to verify.
        skipTLSVerify: config.tls.insecureSkipVerify || config.server.startsWith("http:"),
      },
    ],
    users: [
      {
        name: user,
        certData: config.tls.certData === undefined ? undefined : toBase64(config.tls.certData),
        keyData: config.tls.keyData === undefined ? undefined : toBase64(config.tls.keyData),
        token: config.auth.token,
        authProvider:
          config.auth.tokenFile === undefined
            ? undefined
            : {
                name: TOKEN_FILE_PROVIDER,
                config: { path: config.auth.tokenFile } satisfies TokenFileProviderConfig,
              },
      },
    ],
    contexts: [{ name: config.name, cluster: config.name, user }],
    currentContext: config.name,
  });
  return kc;
}

/** KubeConfig's *Data fields are base64 (as in a kubeconfig file); the gateway config holds PEM. */
function toBase64(pem: string): string {
  return Buffer.from(pem, "utf8").toString("base64");
}
