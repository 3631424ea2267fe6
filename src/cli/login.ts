/**
 * `fleetgraph login`: signs in at a running gateway's /auth/login as a browser would (headless:
 * cookie jar, redirects, the provider's login form) and prints the gateway's access token alone,
 * so `TOKEN=$(npm run --silent fleetgraph -- login --user alice)` works.
 */
import { HeadlessLoginError, headlessLogin } from "../../auth/identity/headless-login.js";
import { demoPasswordOf } from "../demo-identity/demo-password.js";
import { parseFlags } from "./flags.js";
import { UsageError } from "./usage.js";

export const LOGIN_USAGE = `Usage: fleetgraph login --user NAME [flags]

Logs in at a running gateway through its identity provider and prints the gateway's access token.

Flags:
  --user NAME         the user to log in as (required)
  --password SECRET   the user's password (default: the demo provider's, NAME + "-demo")
  --gateway URL       the gateway's base URL (default $FLEETGRAPH_GATEWAY or http://localhost:4000)
  --json              print every token (access, refresh, expiry, session) as JSON
  -h, --help          show this help
`;

export interface LoginOutput {
  write(text: string): unknown;
}

/** Resolves with the exit code: 0 logged in, 1 the login failed, 2 wrong usage. */
export async function runLogin(
  argv: string[],
  out: LoginOutput = process.stdout,
  err: LoginOutput = process.stderr,
): Promise<number> {
  const flags = parseFlags(argv, {
    user: { type: "string" },
    password: { type: "string" },
    gateway: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (flags.help) {
    out.write(LOGIN_USAGE);
    return 0;
  }
  if (!flags.user) throw new UsageError("login needs --user NAME");
  const gateway = flags.gateway ?? process.env.FLEETGRAPH_GATEWAY ?? "http://localhost:4000";
  if (!URL.canParse(gateway)) throw new UsageError(`--gateway must be a URL, got "${gateway}"`);
  try {
    const tokens = await headlessLogin(gateway, flags.user, flags.password ?? demoPasswordOf(flags.user));
    out.write(flags.json ? `${JSON.stringify(tokens, null, 2)}\n` : `${tokens.accessToken}\n`);
    return 0;
  } catch (error) {
    if (error instanceof HeadlessLoginError) {
      err.write(`fleetgraph login: ${error.message}\n`);
      return 1;
    }
    if (error instanceof TypeError) {
      err.write(
        `fleetgraph login: cannot reach ${gateway} (${String((error.cause as Error | undefined)?.message ?? error.message)})\n`,
      );
      return 1;
    }
    throw error;
  }
}
