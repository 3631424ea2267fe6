/**
 * The shape of bench/results/<scenario>.json. Figures are snake_case numbers with their unit in
 * the name (_ms, _bytes, _per_s); a peer that has no meaning for a scenario says why instead.
 */
import { cpus, release, totalmem } from "node:os";
import { availableParallelism } from "node:os";

export type Figures = Record<string, unknown>;

export interface Skipped {
  skipped: string;
}

export const PEERS = ["passthrough", "raw-fanout", "graphql-constant"] as const;
export type PeerName = (typeof PEERS)[number];

/**
 * A peer of one scenario only: the metrics scenario's per-object client (one query per workload),
 * the logs scenario's direct search of the store, entity-objects' Backstage Kubernetes backend, the
 * federation scenario's query sent straight to the gateway.
 */
export type ScenarioPeerName = "per-object" | "direct-store" | "backstage" | "direct-gateway";

export interface Machine {
  cpus: number;
  cpu_model: string;
  memory_bytes: number;
  node: string;
  kernel: string;
}

export interface BenchResult {
  scenario: string;
  fleet: { clusters: number; pods: number; pods_total: number };
  fleetgraph: Figures;
  peers: Record<PeerName, Figures | Skipped> & Partial<Record<ScenarioPeerName, Figures | Skipped>>;
  machine: Machine;
  started_at: string;
  wall_s: number;
  /** Whether the gateway required a bearer token (as deployed) or ran `--no-auth`; older runs: on. */
  authentication?: "on" | "off";
  /** How the figures were taken (concurrency, query, definitions). */
  method: Record<string, unknown>;
  notes?: string[];
}

export function machine(): Machine {
  return {
    cpus: availableParallelism(),
    cpu_model: cpus()[0]?.model.trim() ?? "unknown",
    memory_bytes: totalmem(),
    node: process.version,
    kernel: release(),
  };
}

export function isSkipped(value: Figures | Skipped | undefined): value is Skipped {
  return typeof value === "object" && value !== null && typeof (value as Skipped).skipped === "string";
}
