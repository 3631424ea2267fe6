/**
 * The load generator's process: runs autocannon against one URL as the harness asked (argv[2] is
 * a LoadSpec as JSON) and prints one LoadResult as JSON on stdout. It runs apart from the harness
 * and the servers so its CPU is its own.
 */
import autocannon from "autocannon";
import { round } from "../proc-stats.js";
import { summarize } from "../stats.js";
import type { LoadResult, LoadSpec } from "./load-spec.js";

function run(
  options: autocannon.Options,
  onResponse?: (status: number, ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) =>
      error ? reject(error as Error) : resolve(result),
    );
    if (onResponse) instance.on("response", (_client, status, _bytes, ms) => onResponse(status, ms));
  });
}

async function main(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  let graphqlErrors = 0;
  const errorSamples = new Set<string>();
  const base: autocannon.Options = {
    url: url.origin,
    connections: spec.connections,
    timeout: spec.timeoutS,
    ...(spec.overallRate !== undefined ? { overallRate: spec.overallRate } : {}),
    requests: [
      {
        method: "POST",
        path: url.pathname,
        headers: { ...spec.headers, "content-type": "application/json" },
        body: spec.body,
        // A 200 answer can still be a GraphQL error: count them, every figure must be of real answers.
        onResponse: (_status: number, body: string) => {
          if (!body.includes('"errors"')) return;
          graphqlErrors++;
          // A few of them verbatim: a failed run must say what the server answered.
          if (errorSamples.size < 3) errorSamples.add(body.slice(0, 500));
        },
      },
    ],
  };
  if (spec.warmupS > 0) await run({ ...base, duration: spec.warmupS });
  graphqlErrors = 0;
  errorSamples.clear();

  const latencies: number[] = [];
  let non2xx = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const result = await run(
    spec.amount !== undefined ? { ...base, amount: spec.amount } : { ...base, duration: spec.durationS },
    (status, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
      else non2xx++;
    },
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...summarize(latencies),
    requests: latencies.length + non2xx,
    rps: round(latencies.length / seconds, 1),
    duration_s: round(seconds, 2),
    connections: spec.connections,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx,
    graphql_errors: graphqlErrors,
    graphql_error_samples: [...errorSamples],
    bytes_per_response: latencies.length ? Math.round(result.throughput.total / latencies.length) : 0,
    loadgen_cpu_cores: round((cpu.user + cpu.system) / 1e6 / seconds, 3),
  };
}

const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
process.stdout.write(`${JSON.stringify(await main(spec))}\n`);
