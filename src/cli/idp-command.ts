/**
 * `fleetgraph idp`: the demo OpenID provider on its own, the one `npm start` runs inside the
 * gateway for the built-in demo fleet. docker-compose.yml runs it as a service, so a gateway
 * with a config file (and real clusters, or the simulator's) can still log in the demo users.
 * Prints one ready line to stdout and stops on SIGINT / SIGTERM.
 */
import { LOG_REDACTION } from "../telemetry/log-redaction.js";
import { pino } from "pino";
import { stopOnSignals } from "../http/shutdown.js";
import { integerFlag, logLevelFlag, parseFlags } from "./flags.js";
import { UsageError } from "./usage.js";

export const IDP_USAGE = `Usage: fleetgraph idp [flags]

Runs the demo OpenID provider whose people are the simulated fleet's users (admin, alice, bob,
carol, mallory; password <name>-demo) and whose clients are the gateway (fleetgraph /
fleetgraph-demo-secret) and automation (fleetgraph-automation / fleetgraph-automation-demo-secret).

Flags:
  --port N            listening port (default 4001)
  --host ADDRESS      listening address (default 127.0.0.1)
  --issuer URL        the issuer as browsers and the gateway reach it (default http://127.0.0.1:<port>);
                      the gateway's auth.oidc.issuer must be the same URL
  --gateway URL       the gateway's public URL: logins return to URL/auth/callback
                      (default http://localhost:4000)
  --log-level LEVEL   trace, debug, info, warn, error or silent (default info; logs go to stderr)
  -h, --help          show this help

Keys, sessions and codes live in memory: a restart signs with a new key (the gateway fetches it)
and ends the provider's own sessions, not the gateway's.
`;

function urlFlag(name: string, raw: string): string {
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol))
    throw new UsageError(`--${name} must be an http:// or https:// URL, got "${raw}"`);
  // Issuer and redirect URIs are compared as strings: one spelling, without a trailing slash.
  return raw.replace(/\/+$/, "");
}

/** Runs until a signal stops it; resolves with the exit code. */
export async function runIdp(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    port: { type: "string" },
    host: { type: "string" },
    issuer: { type: "string" },
    gateway: { type: "string" },
    "log-level": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (flags.help) {
    process.stdout.write(IDP_USAGE);
    return 0;
  }
  const port = integerFlag("port", flags.port, 4001, 1, 65535);
  const gateway = urlFlag("gateway", flags.gateway ?? "http://localhost:4000");
  const issuer = flags.issuer === undefined ? undefined : urlFlag("issuer", flags.issuer);
  const logger = pino(
    { name: "fleetgraph-idp", level: logLevelFlag(flags["log-level"]), redact: LOG_REDACTION },
    pino.destination(2),
  );

  const { startDemoIdentity } = await import("../demo-identity/index.js");
  const idp = await startDemoIdentity({
    port,
    host: flags.host ?? "127.0.0.1",
    ...(issuer !== undefined ? { issuer } : {}),
    redirectUri: `${gateway}/auth/callback`,
    postLogoutRedirectUris: [`${gateway}/`],
  });
  logger.info(
    { issuer: idp.issuer, users: idp.accounts.map((a) => a.username), gateway },
    "demo identity provider ready",
  );
  process.stdout.write(`fleetgraph idp: ready; issuer=${idp.issuer}\n`);
  return stopOnSignals(() => idp.stop(), logger);
}
