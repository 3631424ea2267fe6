/**
 * `fleetgraph sim`: starts a simulated fleet, prints one ready line to stdout (scripts wait for
 * it), logs to stderr, and stops gracefully on SIGINT / SIGTERM.
 */
import { getHeapStatistics } from "node:v8";
import { pino } from "pino";
import { findResource } from "../../sim/kinds.js";
import { FLEET_LIMITS, FLEET_LOG_DOCUMENTS, startFleet, type FleetOptions } from "../../sim/fleet.js";
import { integerFlag, logLevelFlag, parseFlags, rateFlag } from "./flags.js";
import { UsageError } from "./usage.js";

const POD = findResource("", "pods")!;

function parse(argv: string[]) {
  return parseFlags(argv, {
    clusters: { type: "string" },
    nodes: { type: "string" },
    pods: { type: "string" },
    seed: { type: "string" },
    "kubeconfig-out": { type: "string" },
    "kubeconfig-user": { type: "string" },
    churn: { type: "string" },
    http: { type: "boolean" },
    "admin-port": { type: "string" },
    "log-store": { type: "string" },
    "log-documents": { type: "string" },
    "log-feed": { type: "string" },
    "log-store-port": { type: "string" },
    "log-level": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
}

const LOG_STORE_MODES = { shared: "shared", "per-cluster": "per-cluster", off: false } as const;

/** --log-store shared|per-cluster|off, --log-documents N, --log-feed on|off, --log-store-port P. */
function logStoreFlags(
  mode: string | undefined,
  documents: string | undefined,
  feed: string | undefined,
  port: string | undefined,
): Pick<FleetOptions, "logStore" | "logStoreOptions"> {
  if (port !== undefined && mode === "per-cluster")
    throw new UsageError(
      "--log-store-port needs one store: it cannot be combined with --log-store per-cluster",
    );
  if (mode !== undefined && !(mode in LOG_STORE_MODES))
    throw new UsageError(`--log-store must be shared, per-cluster or off, not "${mode}"`);
  if (feed !== undefined && feed !== "on" && feed !== "off")
    throw new UsageError(`--log-feed must be on or off, not "${feed}"`);
  return {
    ...(mode !== undefined ? { logStore: LOG_STORE_MODES[mode as keyof typeof LOG_STORE_MODES] } : {}),
    logStoreOptions: {
      ...(documents !== undefined
        ? { maxDocuments: integerFlag("log-documents", documents, FLEET_LOG_DOCUMENTS, 1000, 50_000_000) }
        : {}),
      ...(feed === "off" ? { feed: false } : {}),
      ...(port !== undefined ? { port: integerFlag("log-store-port", port, 0, 1, 65535) } : {}),
    },
  };
}

/** Runs until a signal stops it; resolves with the exit code. */
export async function runSim(argv: string[], usage: string): Promise<number> {
  const flags = parse(argv);
  if (flags.help) {
    process.stdout.write(usage);
    return 0;
  }
  const options = {
    clusters: integerFlag("clusters", flags.clusters, 3, 1, FLEET_LIMITS.clusters),
    nodes: integerFlag("nodes", flags.nodes, 3, 1, FLEET_LIMITS.nodes),
    pods: integerFlag("pods", flags.pods, 100, 0, FLEET_LIMITS.pods),
    seed: flags.seed ?? "fleetgraph",
    kubeconfigOut: flags["kubeconfig-out"] ?? ".fleetgraph/sim/kubeconfig.yaml",
    ...(flags["kubeconfig-user"] !== undefined ? { kubeconfigUser: flags["kubeconfig-user"] } : {}),
    churn: rateFlag("churn", flags.churn, 10_000),
    http: flags.http ?? false,
    ...(flags["admin-port"] !== undefined
      ? { adminPort: integerFlag("admin-port", flags["admin-port"], 0, 1, 65535) }
      : {}),
    ...logStoreFlags(flags["log-store"], flags["log-documents"], flags["log-feed"], flags["log-store-port"]),
  };
  if (flags.seed !== undefined && flags.seed.trim() === "") throw new UsageError(`--seed must not be empty`);
  const log = pino(
    {
      name: "fleetgraph-sim",
      level: logLevelFlag(flags["log-level"]),
    },
    pino.destination(2),
  );

  // V8 sizes its heap from the machine's memory and collects lazily: under churn a big fleet's
  // garbage alone can push RSS past 2 GB. A heap cap keeps it near the live set (see docs/simulator.md).
  const heapLimitMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  if (options.clusters * options.pods >= 20_000 && heapLimitMiB > 2048) {
    log.warn(
      { heapLimitMiB },
      "large fleet without a heap cap: run node with --max-old-space-size=1536 to keep RSS under 2 GB",
    );
  }
  const started = performance.now();
  log.info({ ...options }, "starting simulated fleet");
  const fleet = await startFleet({
    ...options,
    onClusterReady: (cluster, index) =>
      log.debug(
        { cluster: cluster.name, server: cluster.url, pods: cluster.store.count(POD), index },
        "cluster ready",
      ),
  });
  const pods = fleet.clusters.reduce((sum, c) => sum + c.store.count(POD), 0);
  const startupMs = Math.round(performance.now() - started);
  log.info(
    {
      clusters: fleet.clusters.length,
      pods,
      startupMs,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      // Each cluster's /metrics endpoint is in the fleet file; this config scrapes them all.
      prometheusConfig: `${fleet.adminUrl}/prometheus.yml`,
      // The Elasticsearch-compatible log store(s); each cluster's is also in the fleet file (logStoreUrl).
      logStores: [...new Set(fleet.clusters.map((c) => fleet.logStoreUrl(c.name)))],
    },
    "simulated fleet ready",
  );
  process.stdout.write(
    `fleetgraph sim: ${fleet.clusters.length} clusters ready (${pods} pods); kubeconfig=${fleet.kubeconfigPath}; users=${fleet.fleetFilePath}; admin=${fleet.adminUrl}\n`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, "second signal: exiting without a clean stop");
        process.exit(130);
      }
      stopping = true;
      log.info({ signal }, "stopping simulated fleet");
      fleet.stop().then(
        () => resolve(0),
        (error: unknown) => {
          log.error({ err: error }, "the fleet did not stop cleanly");
          resolve(1);
        },
      );
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
