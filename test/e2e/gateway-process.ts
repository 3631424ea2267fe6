/**
 * `fleetgraph serve` as real processes for end-to-end tests: the built CLI spawned with a config
 * file written here, over a simulated fleet started in the test process, and a GraphQL client
 * that shows what a caller sees (status, headers, body).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "../support/built-cli.js";
import type { SimFleet } from "../../sim/fleet.js";
import {
  GATEWAY_AUDIENCE,
  GATEWAY_CLIENT_ID,
  GATEWAY_CLIENT_SECRET,
  type DemoIdentity,
} from "../../src/demo-identity/index.js";
import { eventually } from "../support/eventually.js";

export { buildCli } from "../support/built-cli.js";

import { freePort } from "../../bench/http-client.js";

export { freePort };

/**
 * The `auth.oidc` section (as a config file has it) of a gateway whose provider is the demo
 * identity provider: its gateway client, over plain http.
 */
export function demoOidcSection(idp: Pick<DemoIdentity, "issuer">) {
  return {
    issuer: idp.issuer,
    clientId: GATEWAY_CLIENT_ID,
    clientSecret: GATEWAY_CLIENT_SECRET,
    audiences: [GATEWAY_CLIENT_ID, GATEWAY_AUDIENCE],
    scopes: ["openid", "profile", "groups"],
    allowInsecureHttp: true,
  };
}

/** The config's clusters: every cluster of the simulated fleet, by its kubeconfig context. */
export function fleetClusters(
  fleet: SimFleet,
): { name: string; kubeconfig: { path: string; context: string } }[] {
  return fleet.clusters.map((c) => ({
    name: c.name,
    kubeconfig: { path: fleet.kubeconfigPath, context: c.name },
  }));
}

/** The environment of a server process: nothing of the developer's (kubeconfig, config, level). */
export function serverEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.KUBECONFIG;
  delete env.FLEETGRAPH_CONFIG;
  delete env.LOG_LEVEL;
  // vitest sets NODE_ENV=test, which changes Apollo's defaults (signal handling among them).
  delete env.NODE_ENV;
  return env;
}

export interface GatewayProcess {
  /** http://127.0.0.1:<port> */
  readonly base: string;
  readonly port: number;
  readonly child: ChildProcess;
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

export interface GatewayProcessOptions {
  /** The config file's content (JSON is YAML). */
  config: Record<string, unknown>;
  /** Where the config file is written, and the process's HOME. */
  dir: string;
  port?: number;
}

/** Spawns `fleetgraph serve --config ...` and resolves once it listens and /readyz says ready. */
export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const port = options.port ?? (await freePort());
  const configFile = join(options.dir, `fleetgraph-${port}.yaml`);
  await writeFile(configFile, JSON.stringify(options.config, null, 2));
  const child = spawn(
    process.execPath,
    ["dist/src/main.js", "serve", "--config", configFile, "--port", String(port)],
    {
      cwd: ROOT,
      env: serverEnv(options.dir),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const gateway: GatewayProcess = {
    base,
    port,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await eventually(() => {
      if (child.exitCode !== null) throw new Error(`the gateway exited ${child.exitCode}:\n${stderr}`);
      return stderr.includes("fleetgraph gateway listening on");
    }, 30_000);
    await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, 30_000);
  } catch (error) {
    await gateway.stop();
    throw Object.assign(new Error(`gateway on port ${port} did not start:\n${stderr}`), { cause: error });
  }
  return gateway;
}

export interface GraphQLAnswer {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/** POST /graphql with `Authorization` as given (a bearer token, or a whole header value). */
export async function graphqlAt(
  base: string,
  query: string,
  auth?: { token: string } | { header: string },
): Promise<GraphQLAnswer> {
  const authorization =
    auth === undefined ? undefined : "token" in auth ? `Bearer ${auth.token}` : auth.header;
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(authorization !== undefined ? { authorization } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLAnswer["body"],
  };
}

/** The reason a refused request gives (`extensions.reason`), with its code and challenge. */
export function refusal(answer: GraphQLAnswer): {
  status: number;
  code: unknown;
  reason: unknown;
  challenge: string | null;
} {
  const extensions = answer.body.errors?.[0]?.extensions ?? {};
  return {
    status: answer.status,
    code: extensions.code,
    reason: extensions.reason,
    challenge: answer.headers.get("www-authenticate"),
  };
}
