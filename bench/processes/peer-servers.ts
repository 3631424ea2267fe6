/** The peers' processes: the GraphQL servers (the subscriptions' pass-through among them), raw-fanout and per-object runs. */
import type { DebugMemory } from "../../src/http/debug-routes.js";
import { getJson } from "../http-client.js";
import type { PerObjectResult, PerObjectSpec } from "../peers/metrics-per-object-spec.js";
import type { FanoutResult, FanoutSpec, FanoutSyncResult } from "../peers/raw-fanout-spec.js";
import { Child } from "./child.js";

export class PeerServer {
  private constructor(
    readonly child: Child,
    readonly url: string,
  ) {}

  static async start(name: string, script: string, args: string[]): Promise<PeerServer> {
    const child = new Child({ name, script, args: ["0", ...args], nodeFlags: ["--expose-gc"] });
    try {
      const line = await child.waitForLine(/^listening /, 30_000);
      return new PeerServer(child, line.slice("listening ".length).trim());
    } catch (error) {
      await child.stop(2000);
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid;
  }

  /** The debug routes are at the root of the peer's origin, whatever path it serves its API at. */
  memory(collect: boolean): Promise<DebugMemory> {
    return getJson<DebugMemory>(new URL(`/debug/memory${collect ? "?gc=1" : ""}`, this.url).href);
  }

  /** Another of its debug routes, e.g. "subscriptions". */
  debug<T>(route: string): Promise<T> {
    return getJson<T>(new URL(`/debug/${route}`, this.url).href);
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

export function startPassthrough(kubeconfig: string): Promise<PeerServer> {
  return PeerServer.start("passthrough", "dist/bench/peers/passthrough.js", [kubeconfig]);
}

/** The subscriptions' pass-through: its own upstream watches for every subscription. */
export function startPassthroughWatch(kubeconfig: string): Promise<PeerServer> {
  return PeerServer.start("passthrough-watch", "dist/bench/peers/passthrough-watch.js", [kubeconfig]);
}

/** `dataFile` holds the constant answer (the gateway's `data` for the same operation). */
export function startGraphqlConstant(dataFile: string): Promise<PeerServer> {
  return PeerServer.start("graphql-constant", "dist/bench/peers/graphql-constant.js", [dataFile]);
}

export async function runRawFanout(spec: FanoutSpec & { operation: "sync" }): Promise<FanoutSyncResult>;
export async function runRawFanout(spec: FanoutSpec): Promise<FanoutResult>;
export async function runRawFanout(spec: FanoutSpec): Promise<FanoutResult | FanoutSyncResult> {
  const child = new Child({
    name: "raw-fanout",
    script: "dist/bench/peers/raw-fanout.js",
    args: [JSON.stringify(spec)],
    nodeFlags: ["--expose-gc"],
  });
  // Slow fan-outs (seconds per call at full size) still finish their minimum samples.
  const output = await child.output((spec.warmupS + spec.durationS) * 1000 + 300_000);
  return JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as FanoutResult | FanoutSyncResult;
}

/** The metrics scenario's per-object peer: one timed loop in its own process. */
export async function runMetricsPerObject(spec: PerObjectSpec): Promise<PerObjectResult> {
  const child = new Child({
    name: "per-object",
    script: "dist/bench/peers/metrics-per-object.js",
    args: [JSON.stringify(spec)],
  });
  // Room past the loop's own time for its last pages and the process's start.
  const output = await child.output((spec.warmupS + spec.durationS) * 1000 + 120_000);
  return JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as PerObjectResult;
}
