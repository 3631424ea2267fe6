/** What the harness asks of the answer loop's process (answer-loop.ts), and what it answers. */
import type { LatencySummary } from "../stats.js";

export interface AnswerLoopSpec {
  target: "fleetgraph" | "backstage";
  /** fleetgraph: its /graphql; backstage: the plugin's base, .../api/kubernetes. */
  url: string;
  /** Sent with every request (the gateway's bearer token). */
  headers?: Record<string, string>;
  selector: string;
  durationS: number;
  warmupS: number;
  /** Answers asked at once (closed loops). */
  concurrency: number;
  /** At least this many measured answers, however long they take. */
  minSamples: number;
}

export interface AnswerLoopResult extends LatencySummary {
  /** Complete answers per second. */
  rps: number;
  duration_s: number;
  connections: number;
  /** Answers made, the warm-up's included: what the API servers' request counts are divided by. */
  answers_total: number;
  /** HTTP requests each answer took on average (Fleetgraph: 1 + further pages). */
  http_requests_per_answer: number;
  /** CPU of the loop's own process (parsing the answers), in cores. */
  loadgen_cpu_cores: number;
}
