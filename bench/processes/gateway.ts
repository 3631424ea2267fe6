/**
 * The gateway under test in its own process: `fleetgraph serve` with a generated config over the
 * simulator's kubeconfig contexts, its debug routes on (FLEETGRAPH_DEBUG_ROUTES=1) and --expose-gc
 * so heap figures can be taken after a full collection. Sync timings come from its own logs.
 */
import { appendFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type {
  DebugBackends,
  DebugCache,
  DebugMemory,
  DebugSubscriptions,
} from "../../src/http/debug-routes.js";
import { freePort, getJson, waitUntil } from "../http-client.js";
import { benchAuth, type BenchCaller } from "./bench-auth.js";
import { Child } from "./child.js";
import type { FleetFile } from "./simulator.js";

export interface GatewayOptions {
  fleet: FleetFile;
  kubeconfigPath: string;
  dir: string;
  /** On: as deployed, every request carries a bearer token (bench-auth.ts); off: `--no-auth`. */
  auth: boolean;
  /** The shared Prometheus holding every cluster (`metrics.prometheus`); no metrics without it. */
  prometheus?: { url: string; clusterLabel: string };
  /** The shared log store holding every cluster (`logs.elasticsearch`); no log search without it. */
  logStore?: { url: string };
  /** How long the start and the initial sync may take; default 5 minutes. */
  readyTimeoutMs?: number;
  /** Who the requests are made as (with authentication on); default the fleet's admin. */
  caller?: BenchCaller;
  /** Served as a Federation 2 subgraph (`graphql.subgraph`), for a router in front. */
  subgraph?: boolean;
}

/** Timestamps (epoch ms) of the gateway's own log lines about its initial sync, and what they said. */
interface SyncLog {
  started?: number;
  complete?: number;
  /** "cache sync ended: ... failed": the sync ended without every cluster. */
  ended?: number;
  /** Clusters its health probe ever called UNREACHABLE. */
  unreachable: Set<string>;
  /** Clusters that gave up their initial sync. */
  gaveUp: Set<string>;
  /** Relist lines. */
  relists: number;
}

/** The first /readyz that answered 200: when (epoch ms) and what it counted. */
export interface FirstReady {
  at: number;
  synced: number;
  pending: number;
  gaveUp: number;
}

export class Gateway {
  private constructor(
    readonly child: Child,
    readonly url: string,
    readonly base: string,
    private readonly sync: SyncLog,
    /** From spawn to /readyz answering 200: process start, schema build and the initial sync. */
    readonly readyMs: number,
    /** Sent with every GraphQL request: the bearer token when authentication is on. */
    readonly headers: Record<string, string>,
    /** The first /readyz that answered 200. */
    readonly firstReady: FirstReady,
  ) {}

  static async start(options: GatewayOptions): Promise<Gateway> {
    const port = await freePort();
    await mkdir(options.dir, { recursive: true });
    const configPath = join(options.dir, "fleetgraph.yaml");
    const base = `http://127.0.0.1:${port}`;
    const auth = options.auth ? benchAuth(base, options.caller) : undefined;
    await writeFile(
      configPath,
      JSON.stringify(
        { ...(gatewayConfig(options, port) as object), ...(auth ? { auth: auth.config } : {}) },
        null,
        2,
      ),
    );
    const sync: SyncLog = { unreachable: new Set(), gaveUp: new Set(), relists: 0 };
    let firstReady: FirstReady | undefined;
    let pending = "";
    // A copy of the gateway's log for a person chasing something a run showed (e.g. the soak's).
    const logCopy = process.env.FLEETGRAPH_BENCH_GATEWAY_LOG;
    const startedAt = performance.now();
    const child = new Child({
      name: "gateway",
      // The lead may point this at another build of the gateway (e.g. a branch being compared).
      script: process.env.FLEETGRAPH_BENCH_GATEWAY_MAIN ?? "dist/src/main.js",
      // Node refuses --cpu-prof in NODE_OPTIONS; profiles of the gateway are asked for here instead.
      nodeFlags: [
        "--expose-gc",
        ...(process.env.FLEETGRAPH_BENCH_GATEWAY_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
      ],
      args: [
        "serve",
        "--config",
        configPath,
        "--port",
        String(port),
        // Both builds on the loopback address the harness calls (without authentication the
        // gateway binds 127.0.0.1 by default; with it, every interface).
        "--host",
        "127.0.0.1",
        "--log-level",
        "info",
        ...(auth ? [] : ["--no-auth"]),
      ],
      env: { FLEETGRAPH_DEBUG_ROUTES: "1", NODE_ENV: "production" },
      onStderr: (chunk) => {
        if (logCopy) appendFileSync(logCopy, chunk);
        pending += chunk;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) readSyncLog(line, sync);
      },
    });
    /** Waits for `ready`, or stops the gateway and fails with its stderr. */
    const waitFor = async (
      what: string,
      intervalMs: number,
      ready: () => Promise<boolean>,
    ): Promise<void> => {
      try {
        await waitUntil(ready, {
          timeoutMs: options.readyTimeoutMs ?? 300_000,
          intervalMs,
          stillAlive: () => child.running,
          what,
        });
      } catch (error) {
        await child.stop(2000);
        throw child.failure((error as Error).message);
      }
    };
    await waitFor("gateway /readyz", 50, async () => {
      const answer = await fetch(`${base}/readyz`).catch(() => undefined);
      if (answer?.status !== 200) return false;
      const body = (await answer.json()) as { synced: string[]; pending: string[]; gaveUp: string[] };
      firstReady = {
        at: Date.now(),
        synced: body.synced.length,
        pending: body.pending.length,
        gaveUp: body.gaveUp.length,
      };
      return true;
    });
    const readyMs = performance.now() - startedAt;
    const headers: Record<string, string> = auth ? { authorization: `Bearer ${await auth.token()}` } : {};
    const gateway = new Gateway(child, `${base}/graphql`, base, sync, readyMs, headers, firstReady!);
    // The debug routes are the harness's only window on heap and ingestion: fail early without them.
    const probe = await fetch(`${base}/debug/memory`);
    if (probe.status !== 200) {
      await child.stop(2000);
      throw child.failure(
        `GET /debug/memory answered ${probe.status}: the gateway must mount src/http/debug-routes.ts when FLEETGRAPH_DEBUG_ROUTES=1`,
      );
    }
    // Ready also counts a cluster whose first list timed out (given up, retried later): on a large
    // fleet sharing two cores with the simulator that happens, and its queries would answer with a
    // "not synced" error. Every scenario measures a complete cache, so wait for each cluster.
    await waitFor("every cluster synced", 100, async () => {
      const { clustersSynced, clustersTotal } = await gateway.cache();
      return clustersSynced === clustersTotal;
    });
    return gateway;
  }

  get pid(): number {
    return this.child.pid;
  }

  /** From the "cache sync started" to the "cache sync complete" log line, in ms. */
  syncMs(): number | undefined {
    const { started, complete } = this.sync;
    return started !== undefined && complete !== undefined ? complete - started : undefined;
  }

  /** What the gateway's logs said about its initial sync so far. */
  syncEvents(): {
    startedAt: number | undefined;
    completeAt: number | undefined;
    endedAt: number | undefined;
    unreachable: string[];
    gaveUp: string[];
    relists: number;
  } {
    const { started, complete, ended, unreachable, gaveUp, relists } = this.sync;
    return {
      startedAt: started,
      completeAt: complete,
      endedAt: ended,
      unreachable: [...unreachable],
      gaveUp: [...gaveUp],
      relists,
    };
  }

  memory(collect: boolean): Promise<DebugMemory> {
    return getJson<DebugMemory>(`${this.base}/debug/memory${collect ? "?gc=1" : ""}`);
  }

  /** Live handles and requests of the gateway process by type (TCPSocketWrap, Timeout, ...). */
  handles(): Promise<Record<string, number>> {
    return getJson<Record<string, number>>(`${this.base}/debug/handles`);
  }

  cache(): Promise<DebugCache> {
    return getJson<DebugCache>(`${this.base}/debug/cache`);
  }

  /** Open subscription sockets and what the object subscriptions hold. */
  subscriptions(): Promise<DebugSubscriptions> {
    return getJson<DebugSubscriptions>(`${this.base}/debug/subscriptions`);
  }

  /** Requests sent so far to the Prometheus backends and the log stores. */
  backends(): Promise<DebugBackends> {
    return getJson<DebugBackends>(`${this.base}/debug/backends`);
  }

  /** The bearer token the harness's requests carry; undefined with authentication off. */
  get token(): string | undefined {
    return this.headers.authorization?.replace(/^Bearer /, "");
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

function gatewayConfig(options: GatewayOptions, port: number): unknown {
  return {
    port,
    // The dashboard asks for 50 workloads with their pods on every cluster: at 50 clusters its
    // cost (about 500,000) is far above the default limit of 50,000. The limit is not what is measured.
    limits: { maxCost: 1_000_000_000 },
    clusters: options.fleet.clusters.map((c) => ({
      name: c.name,
      labels: c.labels,
      kubeconfig: { path: options.kubeconfigPath, context: c.name },
    })),
    // Timeout and concurrency limit left at their defaults, as a deployment would start.
    ...(options.prometheus ? { metrics: { prometheus: options.prometheus } } : {}),
    ...(options.logStore ? { logs: { elasticsearch: options.logStore } } : {}),
    ...(options.subgraph ? { graphql: { subgraph: true } } : {}),
  };
}

function readSyncLog(line: string, sync: SyncLog): void {
  if (!line.startsWith("{")) return;
  try {
    const entry = JSON.parse(line) as { msg?: string; time?: number; cluster?: string };
    const msg = entry.msg ?? "";
    if (msg === "cache sync started") sync.started ??= entry.time;
    if (msg === "cache sync complete") sync.complete ??= entry.time;
    if (msg.startsWith("cache sync ended")) sync.ended ??= entry.time;
    if (entry.cluster !== undefined && /health \S+ -> UNREACHABLE$/.test(msg))
      sync.unreachable.add(entry.cluster);
    if (entry.cluster !== undefined && msg.includes("gave up its initial sync"))
      sync.gaveUp.add(entry.cluster);
    if (msg.includes(" relisted at resourceVersion ")) sync.relists++;
  } catch {
    // Not a log line of ours.
  }
}
