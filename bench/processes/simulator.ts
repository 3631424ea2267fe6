/**
 * The simulated fleet in its own process: `fleetgraph sim` started from dist/, its ready line
 * parsed, its fleet file read, and its admin endpoint used for churn and revisions.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Child } from "./child.js";

export interface FleetFileCluster {
  name: string;
  server: string;
  labels: Record<string, string>;
  /** The log store holding the cluster's logs, events and audit (the simulator's, shared by default). */
  logStoreUrl?: string;
  /** The cluster's CA (PEM); absent for plain-HTTP clusters. */
  caPem?: string;
}

/** A user of the fleet (docs/simulator.md): the token its clients send. */
export interface FleetFileUser {
  name: string;
  token: string;
}

/** The part of `<kubeconfig>.users.json` the harness reads (docs/simulator.md). */
export interface FleetFile {
  kubeconfig: string;
  admin: string;
  clusters: FleetFileCluster[];
  users: FleetFileUser[];
}

export interface SimulatorOptions {
  clusters: number;
  /** Pods per cluster. */
  pods: number;
  /** Where the kubeconfig and fleet file go. */
  dir: string;
  seed?: string;
  churn?: number;
  /**
   * The simulator's log store: off unless asked (its feeders would share the CPU with what other
   * scenarios measure); `{documents}` starts a shared store without feeders, for data the
   * scenario writes itself.
   */
  logStore?: { documents: number };
}

export interface ClusterRevision {
  name: string;
  revision: number;
  pods: number;
  /** Watches open on its API server now (any client's). */
  watches: number;
  /** Resource requests its API server received so far, by verb (list, get, watch, ...). */
  requests: Record<string, number>;
}

/** One revision of a cluster's store, as the admin endpoint's commit log tells it. */
export interface SimCommit {
  revision: number;
  /** When it was committed: epoch ms, sub-millisecond. */
  at: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  resource: string;
  namespace?: string;
}

const READY = /^fleetgraph sim: (\d+) clusters ready \((\d+) pods\)/;

export class Simulator {
  private constructor(
    readonly child: Child,
    readonly fleet: FleetFile,
    readonly kubeconfigPath: string,
    /** Pods in the whole fleet when it became ready. */
    readonly pods: number,
  ) {}

  static async start(options: SimulatorOptions): Promise<Simulator> {
    const kubeconfigPath = join(options.dir, "kubeconfig.yaml");
    // About 100 pods per node keeps every node within the kubelet's usual pod limit (110).
    const nodes = Math.max(2, Math.ceil(options.pods / 100));
    const child = new Child({
      name: "simulator",
      script: "dist/src/main.js",
      // The simulator's documented cap: without it V8 lets garbage grow past 2 GB under churn.
      // A fleet beyond 100,000 pods needs more (about 8 KB per pod of whole objects and history).
      nodeFlags: [
        `--max-old-space-size=${Math.max(1536, Math.ceil((options.clusters * options.pods * 8) / 1024))}`,
      ],
      args: [
        "sim",
        ...["--clusters", String(options.clusters), "--nodes", String(nodes), "--pods", String(options.pods)],
        ...["--seed", options.seed ?? "bench", "--kubeconfig-out", kubeconfigPath, "--log-level", "warn"],
        ...["--churn", String(options.churn ?? 0)],
        ...(options.logStore
          ? [
              "--log-store",
              "shared",
              "--log-feed",
              "off",
              "--log-documents",
              String(options.logStore.documents),
            ]
          : ["--log-store", "off"]),
      ],
    });
    try {
      // 50 x 2,000 pods takes about 9 s on 2 cores; leave room for slower machines.
      // A million pods take minutes to generate: half a millisecond per pod, at least 3 minutes.
      const line = await child.waitForLine(READY, Math.max(180_000, options.clusters * options.pods * 0.5));
      const pods = Number(READY.exec(line)![2]);
      const fleet = JSON.parse(
        await readFile(join(options.dir, "kubeconfig.users.json"), "utf8"),
      ) as FleetFile;
      return new Simulator(child, fleet, kubeconfigPath, pods);
    } catch (error) {
      await child.stop(2000);
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid;
  }

  async setChurn(rate: number): Promise<void> {
    const res = await fetch(`${this.fleet.admin}/churn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rate }),
    });
    if (!res.ok)
      throw this.child.failure(`POST /churn {"rate": ${rate}} answered ${res.status}: ${await res.text()}`);
  }

  /** Every cluster's store revision right now (each change of any kind adds one). */
  async revisions(): Promise<ClusterRevision[]> {
    const res = await fetch(`${this.fleet.admin}/clusters`);
    if (!res.ok) throw this.child.failure(`GET /clusters answered ${res.status}`);
    const body = (await res.json()) as { clusters: ClusterRevision[] };
    return body.clusters.map(({ name, revision, pods, watches, requests }) => ({
      name,
      revision,
      pods,
      watches,
      requests,
    }));
  }

  /** The commits of `resource` in `cluster` after revision `from` up to `to`. */
  async commits(cluster: string, from: number, to: number, resource: string): Promise<SimCommit[]> {
    const query = new URLSearchParams({ from: String(from), to: String(to), resource });
    const url = `${this.fleet.admin}/clusters/${encodeURIComponent(cluster)}/commits?${query.toString()}`;
    const res = await fetch(url);
    if (!res.ok) throw this.child.failure(`GET ${url} answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { commits: SimCommit[] }).commits;
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
