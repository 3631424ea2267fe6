/** What every scenario receives and returns. */
import type { BenchResult } from "../results.js";

export interface ScenarioOptions {
  /** Fleet sizes in clusters: one for most scenarios; the sync scenario grows through several. */
  clusters: number[];
  /** Pods per cluster. */
  pods: number;
  /** Seconds of measured load per target (per step for churn). */
  durationS: number;
  /** Seconds of load before measuring. */
  warmupS: number;
  /** Concurrent connections of the load generator (latency scenarios default to 1). */
  connections: number | undefined;
  /** Authentication on (the default, as deployed) or off (`--no-auth`, for the comparison). */
  auth: boolean;
  /** A scratch folder for kubeconfigs, configs and captured answers. */
  dir: string;
  log: (message: string) => void;
}

export type ScenarioResult = Omit<BenchResult, "machine" | "started_at" | "wall_s">;

export interface Scenario {
  name: string;
  summary: string;
  defaults: { clusters: number[]; pods: number; durationS: number };
  run(options: ScenarioOptions): Promise<ScenarioResult>;
}
