/**
 * The faults the soak injects, one at a time, each on one cluster for a while, through the
 * simulator's admin endpoint; and the windows in which an error naming that cluster is expected.
 */
import type { FleetFile } from "../processes/simulator.js";

export interface InjectedFault {
  name: string;
  cluster: string;
  /** When the fault began and ended (performance.now()); `end` is undefined while it lasts. */
  start: number;
  end?: number;
  /** The first answer after `end` that covered the cluster without an error about it. */
  recovered?: number;
}

interface FaultAction {
  name: string;
  /** Admin requests that begin the fault: [method, path after /clusters/<name>/, body]. */
  begin: [string, string, unknown?][];
  /** Undone after the fault's time (instant faults have nothing to undo). */
  end: [string, string, unknown?][];
}

/** The rotation: a cluster down, slow, failing half its requests, its watches cut, its history expired. */
const ROTATION: FaultAction[] = [
  { name: "down", begin: [["POST", "down"]], end: [["POST", "up"]] },
  { name: "slow", begin: [["PATCH", "faults", { latencyMs: 2500 }]], end: [["DELETE", "faults"]] },
  {
    name: "5xx",
    begin: [["PATCH", "faults", { errorRate: 0.5, errorCode: 500 }]],
    end: [["DELETE", "faults"]],
  },
  { name: "drop-watches", begin: [["POST", "drop-watches"]], end: [] },
  { name: "expire-history", begin: [["POST", "expire-history"]], end: [] },
];

/** An error naming the faulted cluster stays expected this long after the fault ends (recovery). */
export const RECOVERY_GRACE_MS = 10_000;

export class FaultInjector {
  readonly injected: InjectedFault[] = [];
  private next = 0;

  constructor(
    private readonly fleet: FleetFile,
    /** Clusters faults may hit: the first is kept healthy so every answer has a healthy part. */
    private readonly clusters: string[],
  ) {}

  /** Injects the next fault of the rotation on the next cluster, lasting `holdMs`. */
  async cycle(holdMs: number, stopped: () => boolean): Promise<void> {
    const action = ROTATION[this.next % ROTATION.length]!;
    const cluster =
      this.clusters[1 + (this.next % Math.max(1, this.clusters.length - 1))] ?? this.clusters[0]!;
    this.next++;
    const fault: InjectedFault = { name: action.name, cluster, start: performance.now() };
    this.injected.push(fault);
    for (const request of action.begin) await this.admin(cluster, request);
    const until = performance.now() + holdMs;
    while (action.end.length > 0 && performance.now() < until && !stopped())
      await new Promise((r) => setTimeout(r, 250));
    for (const request of action.end) await this.admin(cluster, request);
    fault.end = performance.now();
  }

  /** Ends whatever fault is on (the soak stopping mid-fault). */
  async clear(): Promise<void> {
    for (const cluster of this.clusters) {
      await this.admin(cluster, ["DELETE", "faults"]);
      await this.admin(cluster, ["POST", "up"]);
    }
    for (const fault of this.injected) fault.end ??= performance.now();
  }

  /**
   * An answer covering every cluster came back at `t` without an error about `cluster`: the last
   * fault that ended on it before `t` has recovered, if it had not yet.
   */
  clean(cluster: string, t: number): void {
    const last = this.lastOn(cluster);
    if (last?.end !== undefined && last.recovered === undefined && t >= last.end) last.recovered = t;
  }

  /** Per kind of fault, fault end -> first clean answer (ms); faults never seen clean are left out. */
  recoveries(): Record<string, number[]> {
    const byName: Record<string, number[]> = {};
    for (const f of this.injected)
      if (f.end !== undefined && f.recovered !== undefined)
        (byName[f.name] ??= []).push(Math.round(f.recovered - f.end));
    return byName;
  }

  /** For a person reading an unexplained error: the fault on `cluster` before `t`, if any. */
  context(cluster: string | undefined, t: number): string {
    const last = cluster === undefined ? undefined : this.lastOn(cluster, t);
    if (last === undefined) return "no fault on it before";
    if (last.end === undefined) return `during "${last.name}"`;
    return `${((t - last.end) / 1000).toFixed(1)} s after "${last.name}" on it ended`;
  }

  private lastOn(cluster: string, before = Infinity): InjectedFault | undefined {
    for (let i = this.injected.length - 1; i >= 0; i--) {
      const f = this.injected[i]!;
      if (f.cluster === cluster && f.start <= before) return f;
    }
    return undefined;
  }

  /** Whether an error about `cluster` at time `t` is explained by a fault injected on it. */
  explains(cluster: string | undefined, t: number): boolean {
    if (cluster === undefined) return false;
    return this.injected.some(
      (f) => f.cluster === cluster && t >= f.start && t <= (f.end ?? Infinity) + RECOVERY_GRACE_MS,
    );
  }

  private async admin(cluster: string, [method, action, body]: [string, string, unknown?]): Promise<void> {
    const url = `${this.fleet.admin}/clusters/${encodeURIComponent(cluster)}/${action}`;
    const res = await fetch(url, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  }
}
