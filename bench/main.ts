/**
 * `npm run bench -- <scenario> [--clusters N] [--pods M] [--duration S] [--out FILE]`
 *
 * Orchestrates one scenario: the simulator, the gateway, the peers and the load generator each run
 * in their own process; this one only starts them, measures them and writes the JSON result.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./processes/child.js";
import { machine, type BenchResult } from "./results.js";
import { scenarios } from "./scenarios/index.js";

const USAGE = `Usage: npm run bench -- <scenario> [flags]

Scenarios: pods-query, node-lookup, dashboard, sync, scale, churn, churn-query, throughput,
           subscriptions, metrics, logs, entity-objects (installs the backstage peer on first
           use), soak

Flags:
  --clusters N      clusters in the fleet (sync: a comma list of sizes, default 5,20,50; metrics 10;
                    logs 50; entity-objects 10)
  --pods M          pods per cluster (default 2000; metrics 500; scale 10000); also --pods-per-cluster
  --duration S      seconds of measured load per target (churn: per step); default 10 (soak 1800)
  --warmup S        seconds of load before measuring each target; default 2
  --connections C   concurrent connections of the load generator (default 1; throughput 16)
  --rates R,R,...   churn only: the churn rates to step through (changes per second)
  --subscribers N,N subscriptions only: subscriber counts, smallest first (default 1000,10000)
  --churn R         subscriptions, churn-query: changes per second while latency is measured
                    (default 10; churn-query 200)
  --query-rate Q    churn-query only: pods-queries per second asked (default 150)
  --history S       metrics only: seconds of scraped history before measuring (default 300, rate()'s
                    5-minute window; 0: as soon as every cluster has a rate)
  --out FILE        where the JSON goes (default bench/results/<scenario>.json)
  --no-auth         run the gateway without authentication (results go to <scenario>.no-auth.json)
  --keep            keep the scratch folder (kubeconfig, gateway config, captured answers)
`;

class UsageError extends Error {}

function positive(name: string, value: string | undefined, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n)))
    throw new UsageError(
      `--${name} must be a ${integer ? "non-negative integer" : "non-negative number"}, got "${value}"`,
    );
  return n;
}

function list(name: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const values = value.split(",").map((v) => positive(name, v.trim(), 0));
  if (values.some((v) => v <= 0)) throw new UsageError(`--${name} values must be positive, got "${value}"`);
  return values;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      clusters: { type: "string" },
      pods: { type: "string" },
      "pods-per-cluster": { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      rates: { type: "string" },
      subscribers: { type: "string" },
      churn: { type: "string" },
      "query-rate": { type: "string" },
      history: { type: "string" },
      out: { type: "string" },
      keep: { type: "boolean" },
      "no-auth": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const all = scenarios({
    churnRates: list("rates", values.rates),
    subscribers: list("subscribers", values.subscribers),
    churn: values.churn === undefined ? undefined : positive("churn", values.churn, 0, false),
    queryRate:
      values["query-rate"] === undefined ? undefined : positive("query-rate", values["query-rate"], 0, false),
    historyS: values.history === undefined ? undefined : positive("history", values.history, 0, false),
  });
  const name = positionals[0];
  const scenario = name === undefined ? undefined : all.get(name);
  if (!scenario) throw new UsageError(name === undefined ? "missing scenario" : `unknown scenario "${name}"`);
  const clusters = list("clusters", values.clusters) ?? scenario.defaults.clusters;
  if (scenario.name !== "sync" && clusters.length !== 1)
    throw new UsageError("--clusters takes one number here");
  const connections =
    values.connections === undefined ? undefined : positive("connections", values.connections, 1);
  if (connections === 0) throw new UsageError("--connections must be at least 1");

  const auth = values["no-auth"] !== true;
  const out = resolve(
    values.out ?? join(ROOT, "bench/results", `${scenario.name}${auth ? "" : ".no-auth"}.json`),
  );
  const dir = await mkdtemp(join(tmpdir(), `fleetgraph-bench-${scenario.name}-`));
  const startedAt = new Date();
  const log = (message: string): void => {
    const s = ((Date.now() - startedAt.getTime()) / 1000).toFixed(1).padStart(6);
    process.stderr.write(`[bench ${scenario.name} ${s}s] ${message}\n`);
  };
  try {
    const result = await scenario.run({
      clusters,
      pods: positive("pods", values.pods ?? values["pods-per-cluster"], scenario.defaults.pods),
      durationS: positive("duration", values.duration, scenario.defaults.durationS || 10, false),
      warmupS: positive("warmup", values.warmup, 2, false),
      connections,
      auth,
      dir,
      log,
    });
    const full: BenchResult = {
      ...result,
      authentication: auth ? "on" : "off",
      machine: machine(),
      started_at: startedAt.toISOString(),
      wall_s: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    };
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(full, null, 2)}\n`);
    log(`wrote ${out}`);
    return 0;
  } finally {
    if (values.keep) log(`scratch folder kept: ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    process.stderr.write(`bench: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
