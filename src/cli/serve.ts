/**
 * `fleetgraph serve`: resolves the configuration (flags, environment, ~/.kube/config, or the
 * built-in demo fleet), starts the gateway, logs to stderr and stops gracefully on SIGTERM/SIGINT.
 * Usage errors and unusable configuration exit 2 with the reason on stderr.
 */
import { pino } from "pino";
import { ConfigError, resolveConfig } from "../config/index.js";
import { stopOnSignals } from "../http/shutdown.js";
import { startGateway } from "../server/gateway.js";
import { IdentityConfigError } from "../server/identity.js";
import { LOG_REDACTION } from "../telemetry/log-redaction.js";
import { ManifestError } from "../trusted-documents/index.js";
import { integerFlag, logLevelFlag, parseFlags } from "./flags.js";

export const SERVE_USAGE = `Usage: fleetgraph serve [flags]

Runs the GraphQL gateway: POST and GET /graphql, /healthz (or /livez), /readyz.

Flags:
  --config FILE       fleetgraph config file (YAML; see docs/configuration.md)
  --kubeconfig FILE   serve every context of this kubeconfig
  --port N            listening port (default 4000, or the config file's port)
  --host ADDRESS      listening address (default: every interface; 127.0.0.1 with --no-auth)
  --public-url URL    the URL browsers reach the gateway at through a proxy, such as the example
                      dashboard's server (default http://localhost:PORT): the login's callback
                      and the tokens' issuer; the config's auth.publicUrl wins over it
  --no-auth           run without authentication: every request is anonymous and reads every
                      cluster (a warning is logged; see docs/security.md)
  --subgraph          serve the schema as an Apollo Federation 2 subgraph for a router
                      (_service, _entities, @key; see docs/federation.md); the config's
                      graphql.subgraph does the same
  --log-level LEVEL   trace, debug, info, warn, error or silent (default info; logs go to stderr)
  -h, --help          show this help

Clusters come from --config, $FLEETGRAPH_CONFIG, --kubeconfig, $KUBECONFIG or ~/.kube/config,
in that order; with none of them the gateway serves a built-in demo fleet of simulated clusters.
SIGHUP (or a change of the file) reloads the clusters; SIGTERM or SIGINT stops gracefully.
`;

function parse(argv: string[]) {
  return parseFlags(argv, {
    config: { type: "string" },
    kubeconfig: { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    "public-url": { type: "string" },
    "no-auth": { type: "boolean" },
    subgraph: { type: "boolean" },
    "log-level": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
}

/** Runs until a signal stops it; resolves with the exit code. */
export async function runServe(argv: string[]): Promise<number> {
  const flags = parse(argv);
  if (flags.help) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  const port = flags.port === undefined ? undefined : integerFlag("port", flags.port, 0, 1, 65535);
  const level = logLevelFlag(flags["log-level"]);
  const logger = pino({ name: "fleetgraph", level, redact: LOG_REDACTION }, pino.destination(2));

  let config;
  try {
    config = resolveConfig({
      ...(flags.config !== undefined ? { configFile: flags.config } : {}),
      ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
      ...(port !== undefined ? { port } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`fleetgraph serve: configuration error:\n${error.message}\n`);
    return 2;
  }

  const authentication = flags["no-auth"] !== true;
  if (!authentication) {
    logger.warn(
      "--no-auth: running without authentication; every request is anonymous and reads every cluster",
    );
  }
  const host = flags.host;
  const publicUrl = flags["public-url"];
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    process.stderr.write(`fleetgraph serve: --public-url must be an http(s) URL, got "${publicUrl}"\n`);
    return 2;
  }

  let gateway;
  try {
    gateway = await startGateway({
      config,
      logger,
      authentication,
      ...(flags.subgraph === true ? { subgraph: true } : {}),
      ...(host !== undefined ? { listen: { host } } : {}),
      ...(publicUrl !== undefined ? { publicUrl } : {}),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      process.stderr.write(
        `fleetgraph serve: port ${config.port} is already in use; choose another with --port\n`,
      );
      return 1;
    }
    if (error instanceof IdentityConfigError || error instanceof ManifestError) {
      process.stderr.write(`fleetgraph serve: configuration error:\n${error.message}\n`);
      return 2;
    }
    throw error;
  }
  return stopOnSignals(() => gateway.stop(), logger);
}
