/**
 * A closed loop of complete entity-objects answers against one server, in its own process
 * (argv[2] is an AnswerLoopSpec as JSON): an answer is timed from its first request to its last
 * page parsed, as the client that shows it would wait for it. Prints one JSON result on stdout.
 */
import { round } from "../proc-stats.js";
import { backstageAnswer, fleetgraphAnswer } from "../scenarios/entity-answers.js";
import { summarize } from "../stats.js";
import type { AnswerLoopResult, AnswerLoopSpec } from "./answer-loop-spec.js";

const spec = JSON.parse(process.argv[2] ?? "{}") as AnswerLoopSpec;

/** One answer; resolves with the HTTP requests it took. */
const answer = async (): Promise<number> =>
  spec.target === "fleetgraph"
    ? (await fleetgraphAnswer(spec.url, spec.headers ?? {}, spec.selector)).requests
    : (await backstageAnswer(spec.url, spec.selector), 1);

let answers = 0;
let requests = 0;

async function worker(until: number, latencies: number[], minSamples: number): Promise<void> {
  while (performance.now() < until || latencies.length < minSamples) {
    const t = performance.now();
    requests += await answer();
    answers++;
    latencies.push(performance.now() - t);
  }
}

const workers = (until: number, latencies: number[], minSamples: number): Promise<void[]> =>
  Promise.all(Array.from({ length: spec.concurrency }, () => worker(until, latencies, minSamples)));

await workers(performance.now() + spec.warmupS * 1000, [], 0);
const latencies: number[] = [];
const cpuBefore = process.cpuUsage();
const startedAt = performance.now();
await workers(startedAt + spec.durationS * 1000, latencies, spec.minSamples);
const seconds = (performance.now() - startedAt) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const result: AnswerLoopResult = {
  ...summarize(latencies),
  rps: round(latencies.length / seconds, 2),
  duration_s: round(seconds, 2),
  connections: spec.concurrency,
  answers_total: answers,
  http_requests_per_answer: round(requests / answers, 2),
  loadgen_cpu_cores: round((cpu.user + cpu.system) / 1e6 / seconds, 3),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
