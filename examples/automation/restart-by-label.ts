/**
 * Restarts (as `kubectl rollout restart`) every Deployment with a label across the clusters a
 * cluster selector picks — the production clusters by default — with an API token.
 *
 * It always asks for a dry run first and prints what it selects; with --yes it then restarts
 * exactly those Deployments (by the ids the dry run answered, so nothing that appeared in
 * between is restarted unseen), under an idempotency key, so running it again with the same key
 * after a failure restarts only what had not restarted. See README.md beside it.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { GatewayUnreachableError, graphqlRequest } from "./client.ts";
import type { RestartWorkloadsMutation, WorkloadRestartInput } from "./gql/graphql.ts";
import { RestartWorkloads } from "./operations.ts";

const USAGE = `Usage: node examples/automation/restart-by-label.ts --selector LABELS [flags]

Restarts every Deployment whose labels match LABELS on the clusters --clusters selects: first a
dry run that lists them, then, with --yes, the restart itself.

Flags:
  --selector LABELS        label selector over the Deployments (required), e.g. "app.kubernetes.io/part-of=checkout"
  --clusters SELECTOR      label selector over the clusters' labels (default "environment=prod")
  --namespace NAME         only this namespace (repeat for several)
  --yes                    restart them; without it, only the dry run
  --idempotency-key KEY    the restart's key: rerun with the key printed to retry safely (default: a new one)
  -h, --help               show this help

Environment:
  FLEETGRAPH_TOKEN         the bearer token (an API token, fgt_...): required
  FLEETGRAPH_GATEWAY       the gateway's base URL (default http://localhost:4000)

Output: one line per Deployment on stdout, tab-separated: STATUS CLUSTER NAMESPACE/NAME DETAIL.
Exit codes: 0 every Deployment restarted (or, without --yes, would); 1 one or more did not (their
lines say why; after a failed dry run nothing is restarted); 2 nothing was done: wrong usage, no
token, the gateway refused the request (userErrors, GraphQL errors) or could not be reached.
`;

type Outcome = RestartWorkloadsMutation["workloadRestart"]["outcomes"][number];

/** Wrong usage or a refused request: nothing was done. */
class Abort extends Error {}

const EXIT_OK = 0;
const EXIT_TARGET_FAILED = 1;
const EXIT_NOTHING_DONE = 2;

/** A dry run's success is DRY_RUN; a restart's is APPLIED (or UNCHANGED: already as asked). */
const SUCCESS = new Set(["DRY_RUN", "APPLIED", "UNCHANGED"]);

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      selector: { type: "string" },
      clusters: { type: "string", default: "environment=prod" },
      namespace: { type: "string", multiple: true },
      yes: { type: "boolean", default: false },
      "idempotency-key": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  return values;
}

async function restart(endpoint: string, token: string, input: WorkloadRestartInput): Promise<Outcome[]> {
  const answer = await graphqlRequest(endpoint, token, RestartWorkloads, { input });
  // Whole-request failures (a bad token: HTTP 401 UNAUTHENTICATED; a query over the limits) come
  // as errors without data. Per-cluster trouble never does: it is in each target's outcome.
  if (!answer.data) {
    const reasons = (answer.errors ?? []).map((e) => `${e.extensions?.code ?? "ERROR"}: ${e.message}`);
    throw new Abort(`the gateway refused the request (HTTP ${answer.status}): ${reasons.join("; ")}`);
  }
  for (const e of answer.errors ?? []) process.stderr.write(`warning: ${e.extensions?.code}: ${e.message}\n`);
  const { outcomes, userErrors } = answer.data.workloadRestart;
  // A mistake in the input (LIMIT_EXCEEDED when the filter selects more than the target limit,
  // a reused idempotency key with another input) means nothing at all was done.
  if (userErrors.length > 0) {
    const reasons = userErrors.map((e) => `${e.code} at ${e.field.join(".")}: ${e.message}`);
    throw new Abort(`the gateway refused the input: ${reasons.join("; ")}`);
  }
  return outcomes;
}

function print(outcomes: Outcome[]): number {
  let failed = 0;
  for (const o of outcomes) {
    const detail = o.error ? `${o.error.code}: ${o.error.message}` : o.replayed ? "replayed" : "";
    process.stdout.write(`${o.status}\t${o.cluster}\t${o.target.namespace}/${o.target.name}\t${detail}\n`);
    if (!SUCCESS.has(o.status)) failed++;
  }
  return failed;
}

async function main(argv: string[]): Promise<number> {
  const flags = options(argv);
  if (flags.help) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (!flags.selector) throw new Abort("--selector LABELS is required");
  const token = process.env.FLEETGRAPH_TOKEN;
  if (!token) throw new Abort("set FLEETGRAPH_TOKEN to an API token (apiTokenCreate, see docs/clients.md)");
  const endpoint = new URL("/graphql", process.env.FLEETGRAPH_GATEWAY ?? "http://localhost:4000").href;

  const filter = {
    kinds: ["DEPLOYMENT" as const],
    labelSelector: flags.selector,
    clusterSelector: flags.clusters,
    ...(flags.namespace ? { namespaces: flags.namespace } : {}),
  };
  const planned = await restart(endpoint, token, { filter, dryRun: true });
  const dryRunFailures = print(planned);
  process.stderr.write(
    `dry run: ${planned.length - dryRunFailures} of ${planned.length} Deployments would restart` +
      ` (labels ${flags.selector}, clusters ${flags.clusters})\n`,
  );
  if (dryRunFailures > 0) {
    process.stderr.write(`${dryRunFailures} would not: nothing restarted\n`);
    return EXIT_TARGET_FAILED;
  }
  if (!flags.yes || planned.length === 0) return EXIT_OK;

  const key = flags["idempotency-key"] ?? `restart-by-label-${randomUUID()}`;
  process.stderr.write(`restarting, idempotency key ${key} (rerun with --idempotency-key ${key} to retry)\n`);
  const ids = planned.map((o) => o.target.id).filter((id): id is string => id !== null && id !== undefined);
  const done = await restart(endpoint, token, { ids, idempotencyKey: key });
  const failures = print(done);
  process.stderr.write(`restarted ${done.length - failures} of ${done.length}\n`);
  return failures > 0 ? EXIT_TARGET_FAILED : EXIT_OK;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof Abort || error instanceof GatewayUnreachableError;
    // parseArgs throws TypeErrors with an ERR_PARSE_ARGS_* code for unknown or malformed flags.
    const usage = (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true;
    process.stderr.write(`restart-by-label: ${error instanceof Error ? error.message : String(error)}\n`);
    if (usage) process.stderr.write(USAGE);
    if (!known && !usage) process.stderr.write(`${(error as Error).stack ?? ""}\n`);
    process.exitCode = EXIT_NOTHING_DONE;
  },
);
