/**
 * The `fleetgraph` command line: `fleetgraph <command> [flags]`. Wrong usage prints the usage and
 * exits 2; a failure while running exits 1.
 */
import { USAGE, UsageError } from "./cli/usage.js";

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "sim": {
      // Loaded on demand: the simulator is not part of the gateway's own start-up.
      const { runSim } = await import("./cli/sim-command.js");
      return runSim(rest, USAGE);
    }
    case "serve": {
      const { runServe } = await import("./cli/serve.js");
      return runServe(rest);
    }
    case "login": {
      const { runLogin } = await import("./cli/login.js");
      return runLogin(rest);
    }
    case "idp": {
      const { runIdp } = await import("./cli/idp-command.js");
      return runIdp(rest);
    }
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(USAGE);
      return 0;
    case undefined:
      process.stderr.write(`fleetgraph: missing command\n\n${USAGE}`);
      return 2;
    default:
      process.stderr.write(`fleetgraph: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`fleetgraph: ${error.message}\n\nRun "fleetgraph --help" for usage.\n`);
    process.exitCode = 2;
  } else if (error instanceof RangeError) {
    process.stderr.write(`fleetgraph: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(
      `fleetgraph: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
